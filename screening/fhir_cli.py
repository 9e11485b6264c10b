"""`screening fhir questionnaire|response`: the FHIR export on the command line.

Kept apart from cli.py so that `screening rules ...` never imports the FHIR models. Answers
files are read and checked exactly as `screening evaluate` reads them (cli.read_answers):
a message with the file name, exit code 2, no traceback.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from .cli import _load, read_answers, rules_option

EXIT_OUTPUT = 3  # the output file could not be written
DEFAULT_BASE_URL = "https://example.invalid"


def _base_url(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    if not value:
        click.echo(
            f"note: no --base-url or SCREENING_PUBLIC_URL given; code systems and the "
            f"questionnaire are named under {DEFAULT_BASE_URL}",
            err=True,
        )
        return DEFAULT_BASE_URL
    from .fhir import clean_base_url

    try:
        return clean_base_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


base_url_option = click.option(
    "--base-url",
    envvar="SCREENING_PUBLIC_URL",
    default=None,
    callback=_base_url,
    help="The app's public URL, which names the questionnaire and code systems "
    f"(default: SCREENING_PUBLIC_URL, else {DEFAULT_BASE_URL}).",
)
output_option = click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help='JSON file to write; "-" writes to standard output.',
)


def _write(output: str, resource: dict[str, Any]) -> None:
    text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
    if output == "-":
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"{output}: cannot write the file: {exc.strerror}", err=True)
        sys.exit(EXIT_OUTPUT)


@click.group("fhir")
def fhir_cli() -> None:
    """FHIR R4B (read as R4) export: the questionnaire and a person's answers."""


@fhir_cli.command("questionnaire")
@rules_option
@base_url_option
@output_option
def questionnaire_cmd(rules_path: Path | None, base_url: str, output: str) -> None:
    """Write the rules' questions as a FHIR Questionnaire."""
    from .fhir import questionnaire

    _write(output, questionnaire(_load(rules_path), base_url))


@fhir_cli.command("response")
@click.argument("answers_file", metavar="ANSWERS.json")
@rules_option
@base_url_option
@output_option
def response_cmd(answers_file: str, rules_path: Path | None, base_url: str, output: str) -> None:
    """Write an answers file ("-" reads stdin) as a FHIR QuestionnaireResponse."""
    from .fhir import questionnaire_response

    rules = _load(rules_path)
    answers = read_answers(answers_file, rules)
    _write(output, questionnaire_response(answers, rules, base_url, datetime.now(UTC)))
