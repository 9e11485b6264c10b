"""The CLI contract other tools rely on: output lines, JSON shape and exit codes, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINI, BrokenRules

SCRIPT = str(Path(sys.executable).with_name("screening"))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [SCRIPT, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )
    assert "Traceback" not in result.stderr + result.stdout
    return result


def test_rules_check_ok_line() -> None:
    result = run("rules", "check", "--rules", str(MINI))
    assert result.returncode == 0
    assert result.stdout.strip().startswith("OK: 12 questions, 4 flags, version 0.1 (hash ")


def test_rules_check_lists_every_error_and_exits_1(broken: BrokenRules) -> None:
    broken.errors(
        ('when: {q: climbing, is: "yes"}', 'when: {q: climbng, is: "yes"}'),
        ("level: discuss", "level: discus"),
        ("{q: sex, in: [female]}", "{q: sex, in: [femal]}"),
        ("{q: age, gte: 65}", '{q: age, gte: "65"}'),
        ("tests: [sugar, b12]", "tests: [sugr, b12]"),
    )
    result = run("rules", "check", "--rules", str(broken.path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 6 and lines[-1] == f"5 error(s) in {broken.path}"
    assert all(line.startswith(f"{broken.path}:") for line in lines[:5])


def test_flask_cli_is_the_same_command(broken: BrokenRules) -> None:
    broken.errors(("level: discuss", "level: discus"))
    flask = str(Path(sys.executable).with_name("flask"))
    result = subprocess.run(
        [flask, "--app", "screening", "rules", "check", "--rules", str(broken.path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert '"level" must be one of' in result.stderr and "Traceback" not in result.stderr


def test_rules_test_names_failing_flag_and_example(tmp_path: Path) -> None:
    text = MINI.read_text().replace(
        'fires: [{numb: "yes", tingle: "yes"}]', 'fires: [{numb: "yes"}]'
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    result = run("rules", "test", "--rules", str(path))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert 'flag "workup": example 1 under fires did not show the flag' in first
    assert first.startswith(f"{path}:")
    assert result.stderr.strip().endswith("1 of 10 examples failed")


def test_rules_test_explains_hidden_answers(tmp_path: Path) -> None:
    text = MINI.read_text().replace(
        "fires: [{meds: [statin]}, {age: 70, sex: female}]",
        'fires: [{meds: [statin]}, {age: 70, sex: female}, {sex: male, pregnant: "yes", meds: [statin], numb: "yes", tingle: "yes"}]',
    )
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    result = run("rules", "test", "--rules", str(path))
    assert "it was suppressed by workup" in result.stderr
    assert "answers were ignored because their questions were not shown: pregnant" in result.stderr


def test_evaluate_prints_the_documented_json(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"climbing": "yes", "meds": ["metformin"]}))
    result = run("evaluate", str(answers), "--rules", str(MINI))
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert set(data) == {"rules_version", "rules_hash", "flags", "tests", "asks"}
    assert [f["id"] for f in data["flags"]] == ["climbing_flag", "meds_flag"]
    assert data["tests"] == [{"id": "b12", "name": "B12 test", "done_recently": True}]


def test_evaluate_reads_stdin() -> None:
    result = run("evaluate", "-", "--rules", str(MINI), stdin='{"climbing": "not_sure"}')
    assert [f["id"] for f in json.loads(result.stdout)["flags"]] == ["unsure"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"age": 40,\n "sex": }', "a.json:2:9: not valid JSON: Expecting value"),
        ("[1, 2]", "a.json: expected a JSON object of question id → answer"),
        ('{"agee": 40, "sex": "mal"}', 'unknown question "agee" (did you mean age?)'),
        ('{"notes": "\\udc00"}', "a.json: the file has a broken character (a lone surrogate"),
    ],
)
def test_evaluate_bad_answers_exit_2(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "a.json"
    path.write_text(content)
    result = run("evaluate", str(path), "--rules", str(MINI))
    assert result.returncode == 2
    assert expected in result.stderr.replace(str(tmp_path) + "/", "")


def test_evaluate_names_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"agee": 40, "sex": "mal", "age": 7}')
    result = run("evaluate", str(path), "--rules", str(MINI))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 4  # three problems and a count line
    assert '"sex": "mal" is not an answer (did you mean male?)' in result.stderr


def test_an_answers_file_with_a_retired_question_is_refused_by_name(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    text = MINI.read_text(encoding="utf-8").replace(
        "\nend: true",
        '\nretired:\n  questions:\n    - {id: old_meds, retired_in: "0.1", replaced_by: [meds]}\n'
        "\nend: true",
    )
    rules.write_text(text, encoding="utf-8")
    answers = tmp_path / "answers.json"
    answers.write_text('{"old_meds": "yes"}', encoding="utf-8")
    done = run("evaluate", str(answers), "--rules", str(rules))
    assert done.returncode == 2
    assert '"old_meds": this question was retired in rules 0.1 (replaced by meds)' in done.stderr
    assert "Traceback" not in done.stderr


def test_a_duplicate_answer_and_a_bad_paper_setting_are_refused_plainly(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text('{"age": 58, "age": 60}', encoding="utf-8")
    done = run("evaluate", str(answers))
    assert done.returncode == 2 and '"age" appears twice' in done.stderr
    bad = subprocess.run(
        [SCRIPT, "pdf", str(answers), "-o", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        env={**os.environ, "SCREENING_PAPER": "a5"},
        check=False,
    )
    assert bad.returncode == 2 and "'a5' is not one of 'letter', 'a4'" in bad.stderr


def test_help_and_version_are_ours() -> None:
    helped = run("--help")
    assert helped.returncode == 0
    for ours in ("rules", "evaluate", "pdf", "fhir", "codec"):
        assert ours in helped.stdout
    for flasks in ("run ", "shell", "routes"):
        assert flasks not in helped.stdout
    assert "SECRET_KEY" not in helped.stdout + helped.stderr
    assert run("--version").stdout.startswith("screening, version ")
