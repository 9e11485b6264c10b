"""`screening fhir questionnaire|response`: JSON out, exit codes like `screening evaluate`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_rules.yaml"
SCRIPT = str(Path(sys.executable).with_name("screening"))


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SCREENING_PUBLIC_URL"}
    result = subprocess.run(
        [SCRIPT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**environ, **(env or {})},
    )
    assert "Traceback" not in result.stderr + result.stdout
    return result


def test_questionnaire_to_stdout_with_a_note_about_the_default_url() -> None:
    result = run("fhir", "questionnaire", "--rules", str(MINI))
    assert result.returncode == 0
    resource = json.loads(result.stdout)
    Questionnaire.model_validate(resource)
    assert resource["url"] == "https://example.invalid/fhir/Questionnaire/nerve-check"
    assert "example.invalid" in result.stderr and "SCREENING_PUBLIC_URL" in result.stderr


def test_questionnaire_to_a_file_under_the_public_url(tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    env = {"SCREENING_PUBLIC_URL": "https://clinic.example/"}
    result = run("fhir", "questionnaire", "--rules", str(MINI), "-o", str(out), env=env)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    resource = json.loads(out.read_text(encoding="utf-8"))
    assert resource["url"] == "https://clinic.example/fhir/Questionnaire/nerve-check"


def test_response_from_stdin() -> None:
    answers = {"climbing": "no", "age": 61, "meds": ["metformin"], "notes": "Pieds engourdis 🦶"}
    result = run(
        "fhir",
        "response",
        "-",
        "--rules",
        str(MINI),
        "--base-url",
        "https://clinic.example",
        stdin=json.dumps(answers),
    )
    assert result.returncode == 0, result.stderr
    resource = json.loads(result.stdout)
    QuestionnaireResponse.model_validate(resource)
    texts = [i["answer"] for g in resource["item"] for i in g["item"] if i["linkId"] == "notes"]
    assert texts == [[{"valueString": "Pieds engourdis 🦶"}]]


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ('{"age": 7}', '<stdin>: "age": 7 is outside 18–120'),
        ('{"agee": 40}', '<stdin>: unknown question "agee"'),
        ("[1]", "<stdin>: expected a JSON object"),
        ('{"age": ', "<stdin>:1:9: not valid JSON"),
        ('{"notes": "\\ud800"}', "<stdin>: the file has a broken character"),
    ],
)
def test_bad_answers_exit_2_with_a_message(stdin: str, message: str) -> None:
    result = run("fhir", "response", "-", "--rules", str(MINI), stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_broken_rules_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(MINI.read_text().replace("level: discuss", "level: discus"))
    result = run("fhir", "questionnaire", "--rules", str(path))
    assert result.returncode == 1 and '"level" must be one of' in result.stderr


def test_a_bad_base_url_is_a_usage_error() -> None:
    result = run("fhir", "questionnaire", "--rules", str(MINI), "--base-url", "clinic.example")
    assert result.returncode == 2 and "base URL must look like" in result.stderr


def test_an_unwritable_output_exits_3(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "q.json"
    result = run("fhir", "questionnaire", "--rules", str(MINI), "-o", str(out))
    assert result.returncode == 3 and "cannot write the file" in result.stderr
