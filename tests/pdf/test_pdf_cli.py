"""`screening pdf`, run as a user runs it: the installed console script in a subprocess."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from personas import PERSONA_1, PERSONA_2, SEED
from pypdf import PdfReader

SCREENING = str(Path(sys.executable).with_name("screening"))


def run(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCREENING, "pdf", *map(str, args)], capture_output=True, text=True, input=stdin, timeout=60
    )


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_single_file_writes_a_pdf(tmp_path: Path) -> None:
    answers = write_json(tmp_path / "seed.json", SEED)
    out = tmp_path / "seed.pdf"
    result = run(answers, "-o", out, "--paper", "a4", "--name", "Ann Example")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert result.stdout.strip() == f"Wrote {out} ({len(reader.pages)} pages)"
    assert float(reader.pages[0].mediabox.height) == pytest.approx(841.89, abs=0.01)
    assert "Patient: Ann Example" in reader.pages[0].extract_text()


def test_stdin_and_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    out.write_bytes(b"old")
    result = run("-", "-o", out, stdin=json.dumps(PERSONA_2))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote {out} (2 pages)"
    assert out.read_bytes().startswith(b"%PDF-")


def test_bad_json_gives_line_and_column_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"age": 58,\n  "sex": }\n', encoding="utf-8")
    out = tmp_path / "bad.pdf"
    result = run(bad, "-o", out)
    assert result.returncode == 2
    assert f"{bad}:2:10: not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_invalid_answer_is_named(tmp_path: Path) -> None:
    answers = write_json(tmp_path / "a.json", {**SEED, "age": "old"})
    result = run(answers, "-o", tmp_path / "a.pdf")
    assert result.returncode == 2
    assert f"{answers}: \"age\": expected a whole number, got 'old'" in result.stderr
    assert "Traceback" not in result.stderr


def test_folder_renders_the_good_files_and_exits_2_for_a_bad_one(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    write_json(folder / "seed.json", SEED)
    write_json(folder / "persona1.json", PERSONA_1)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    out = tmp_path / "pdfs"  # created by the command
    result = run(folder, "-o", out)
    assert result.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["persona1.pdf", "seed.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in out.iterdir())
    assert f"{folder / 'broken.json'}:1:2: not valid JSON" in result.stderr
    assert "1 of 3 answers files had problems: broken.json" in result.stderr
    assert "Wrote 2 PDFs" in result.stdout
    assert "Traceback" not in result.stderr


def test_folder_of_good_files_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    write_json(folder / "p2.json", PERSONA_2)
    result = run(folder, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Wrote 1 PDF (2 pages) to {tmp_path / 'out'}"
