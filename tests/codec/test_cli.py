"""`screening codec record-layout`: writes one readable file per layout, once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from screening.codec import layout_of

from .catalogues import MINI, MINI_PATH

SCRIPT = str(Path(sys.executable).with_name("screening"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert "Traceback" not in result.stderr + result.stdout
    return result


def test_record_layout_writes_once(tmp_path: Path) -> None:
    args = ("codec", "record-layout", "--rules", str(MINI_PATH), "--into", str(tmp_path))
    first, second = run(*args), run(*args)
    digest = layout_of(MINI).digest.hex()
    assert first.returncode == 0 and "recorded" in first.stdout and digest in first.stdout
    assert second.returncode == 0 and "already recorded" in second.stdout
    data = json.loads((tmp_path / f"{digest}.json").read_text())
    assert data["digest"] == digest and data["slots"][0] == {
        "id": "age",
        "type": "number",
        "min": 18,
        "max": 120,
    }


def test_record_layout_of_broken_rules_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(MINI_PATH.read_text().replace("level: discuss", "level: discus"))
    result = run("codec", "record-layout", "--rules", str(path), "--into", str(tmp_path))
    assert result.returncode == 1 and '"level" must be one of' in result.stderr
    assert not list(tmp_path.glob("*.json"))
