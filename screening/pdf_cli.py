"""`screening pdf`: the PDF summary for an answers file, or for every answers file in a folder.

Kept apart from cli.py so that `screening rules ...` and `screening evaluate` never import
WeasyPrint. Mistakes in answers files are reported exactly as `screening evaluate` reports them
(cli.read_answers): a message with the file name, exit code 2, no traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli import EXIT_ANSWERS, _load, read_answers, rules_option
from .config import PAPER_SIZES
from .rules import Catalogue
from .share import sharing
from .summary import build_summary

EXIT_OUTPUT = 3  # the PDF could not be written


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        click.echo(f"{path}: cannot write the PDF: {exc.strerror}", err=True)
        sys.exit(EXIT_OUTPUT)


def _render(answers_file: str, rules: Catalogue, paper: str, name: str | None) -> tuple[bytes, int]:
    from .pdf import render_summary  # WeasyPrint loads here, after the inputs are known good

    answers = read_answers(answers_file, rules)
    summary = build_summary(rules, answers, name=name)
    public_url = os.environ.get("SCREENING_PUBLIC_URL", "").strip() or None
    shared = sharing(answers, rules, public_url=public_url, today=summary.created)
    rendered = render_summary(summary, paper=paper, sharing=shared)
    return rendered.data, rendered.pages


def _pages(count: int) -> str:
    return f"{count} page{'' if count == 1 else 's'}"


@click.command("pdf")
@click.argument("answers", metavar="ANSWERS.json")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path),
    help='PDF file to write ("-" writes to standard output; a folder when ANSWERS is a folder). '
    "Existing files are replaced.",
)
@click.option(
    "--paper",
    type=click.Choice(PAPER_SIZES, case_sensitive=False),
    envvar="SCREENING_PAPER",
    default="letter",
    show_default=True,
    help="Paper size (default: SCREENING_PAPER, else letter).",
)
@click.option("--name", default=None, help='Print "Patient: NAME" in the header.')
@rules_option
def pdf_cmd(
    answers: str, output: Path, paper: str, name: str | None, rules_path: Path | None
) -> None:
    """Write the PDF summary for ANSWERS.json ("-" reads stdin).

    If ANSWERS.json is a folder, every *.json in it becomes OUTPUT/NAME.pdf; bad files are
    reported and skipped, and the exit code is 2 if any file failed.
    """
    rules = _load(rules_path)
    paper = paper.lower()
    if answers != "-" and Path(answers).is_dir():
        _batch(Path(answers), output, rules, paper, name)
        return
    data, pages = _render(answers, rules, paper, name)
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        click.echo(f"Wrote the PDF to standard output ({_pages(pages)})", err=True)
        return
    _write(output, data)
    click.echo(f"Wrote {output} ({_pages(pages)})")


def _batch(folder: Path, out_dir: Path, rules: Catalogue, paper: str, name: str | None) -> None:
    files = sorted(p for p in folder.glob("*.json") if p.is_file())
    if not files:
        click.echo(f"{folder}: no *.json answers files in this folder", err=True)
        sys.exit(EXIT_ANSWERS)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        click.echo(f"{out_dir}: cannot create the folder: {exc.strerror}", err=True)
        sys.exit(EXIT_OUTPUT)
    failed: list[Path] = []
    pages = 0
    with click.progressbar(files, label="Writing PDFs", file=sys.stderr) as bar:
        for path in bar:
            try:
                data, count = _render(str(path), rules, paper, name)
            except SystemExit as exc:  # read_answers has printed the file's problems
                if exc.code != EXIT_ANSWERS:
                    raise
                failed.append(path)
                continue
            _write(out_dir / f"{path.stem}.pdf", data)
            pages += count
    done = len(files) - len(failed)
    click.echo(f"Wrote {done} PDF{'' if done == 1 else 's'} ({_pages(pages)}) to {out_dir}")
    if failed:
        click.echo(
            f"{len(failed)} of {len(files)} answers files had problems: "
            + ", ".join(p.name for p in failed),
            err=True,
        )
        sys.exit(EXIT_ANSWERS)
