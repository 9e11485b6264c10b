"""Command line: `screening rules check|test`, `screening evaluate`, `screening pdf`,
`screening codec record-layout`, `screening fhir questionnaire|response`.

The same commands are reachable as `flask --app screening ...`: they are registered as Flask
plugin commands (pyproject entry points), so they work even when rules.yaml is broken and the
app itself would refuse to start. Mistakes in input files print a message and set the exit
code; they never print a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from .codec import record_layout
from .codec.layout import LAYOUTS_DIR
from .questionnaire.answers import validate_answers
from .rules import Catalogue, RulesInvalid, evaluate, load_rules
from .rules.examples import run_examples

EXIT_RULES = 1  # rules.yaml is invalid, or an example failed
EXIT_ANSWERS = 2  # the answers file is unusable

rules_option = click.option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    envvar="SCREENING_RULES_PATH",
    help="Rules file to use (default: the project's rules.yaml, or SCREENING_RULES_PATH).",
)


def _fail(lines: list[str], code: int) -> NoReturn:
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def _load(rules_path: Path | None) -> Catalogue:
    try:
        return load_rules(rules_path)
    except RulesInvalid as exc:
        _fail([*exc.lines(), f"{len(exc.errors)} error(s) in {exc.path}"], EXIT_RULES)


@click.group("rules")
def rules_cli() -> None:
    """Check and test the rules file."""


@rules_cli.command("check")
@rules_option
def check_cmd(rules_path: Path | None) -> None:
    """List every mistake in the rules file as PATH:LINE:COL: message."""
    rules = _load(rules_path)
    for warning in rules.warnings:
        click.echo(warning.format(rules.path), err=True)
    questions = len(rules.questions)
    warned = f", {len(rules.warnings)} warning(s)" if rules.warnings else ""
    click.echo(
        f"OK: {questions} questions, {len(rules.flags)} flags, version {rules.meta.version} "
        f"(hash {rules.content_hash}){warned}"
    )


@rules_cli.command("test")
@rules_option
def test_cmd(rules_path: Path | None) -> None:
    """Run every flag's examples; each failure names the flag and the example."""
    rules = _load(rules_path)
    count, failures = run_examples(rules)
    if failures:
        _fail(
            [f.format(rules.path) for f in failures]
            + [f"{len(failures)} of {count} examples failed"],
            EXIT_RULES,
        )
    click.echo(f"OK: {count} examples passed for {len(rules.flags)} flags")


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON allows a key twice (the last wins, silently); an answers file must not."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        found[key] = value
    return found


def read_answers(source: str, rules: Catalogue) -> dict[str, Any]:
    """Read an answers JSON file ("-" for stdin); exit 2 with every problem if it is unusable."""
    name = "<stdin>" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        _fail([f"{name}: cannot read the file: {exc.strerror}"], EXIT_ANSWERS)
    except UnicodeDecodeError:
        _fail([f"{name}: the file is not UTF-8 text"], EXIT_ANSWERS)
    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicates)
    except json.JSONDecodeError as exc:
        _fail([f"{name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}"], EXIT_ANSWERS)
    except DuplicateKey as exc:
        _fail([f'{name}: "{exc.key}" appears twice; keep one answer per question'], EXIT_ANSWERS)
    try:  # JSON can write a lone surrogate ("\ud800"); UTF-8, the checks and printing cannot
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        _fail(
            [f"{name}: the file has a broken character (a lone surrogate like \\ud800)"],
            EXIT_ANSWERS,
        )
    if not isinstance(data, dict):
        _fail(
            [f'{name}: expected a JSON object of question id → answer, like {{"age": 58}}'],
            EXIT_ANSWERS,
        )
    problems = validate_answers(data, rules.questions, rules.retired.questions)
    if problems:
        _fail(
            [f"{name}: {p.message}" for p in problems] + [f"{len(problems)} problem(s) in {name}"],
            EXIT_ANSWERS,
        )
    return data


@click.command("evaluate")
@click.argument("answers_file", metavar="ANSWERS.json")
@rules_option
def evaluate_cmd(answers_file: str, rules_path: Path | None) -> None:
    """Print the flags, tests and asks for an answers file as JSON ("-" reads stdin)."""
    rules = _load(rules_path)
    answers = read_answers(answers_file, rules)
    result = evaluate(answers, rules)
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))


@click.group("codec")
def codec_cli() -> None:
    """The compact answer code of the QR code and the saved file."""


@codec_cli.command("record-layout")
@rules_option
@click.option(
    "--into",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=LAYOUTS_DIR,
    help="Folder of recorded layouts (default: the one the app reads, screening/codec/layouts).",
)
def record_layout_cmd(rules_path: Path | None, directory: Path) -> None:
    """Keep the rules' code layout, so codes made under them stay readable after a change."""
    rules = _load(rules_path)
    try:
        path, new = record_layout(rules, directory)
    except OSError as exc:
        _fail([f"{directory}: cannot write the layout: {exc.strerror}"], EXIT_RULES)
    state = "recorded" if new else "already recorded"
    click.echo(f"Layout of rules {rules.label} {state}: {path}")


@click.group(
    name="screening",
    help="Neuropathy risk-factor screening: check the rules, evaluate answers, make PDFs and "
    "FHIR resources. The web app runs with `make run` (gunicorn).",
)
@click.version_option(package_name="screening", prog_name="screening")
def main() -> None:
    """The `screening` command: our commands only (not Flask's run, shell or routes)."""


def _add_commands() -> None:
    from .fhir_cli import fhir_cli
    from .pdf_cli import pdf_cmd

    for command in (rules_cli, evaluate_cmd, pdf_cmd, fhir_cli, codec_cli):
        main.add_command(command)


_add_commands()
