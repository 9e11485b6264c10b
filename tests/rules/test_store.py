"""Editors change rules.yaml while the app runs: good changes load, broken ones are refused."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from screening.rules import RulesInvalid
from screening.rules.store import RulesStore

from .conftest import MINI


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_broken_reload_keeps_last_good_and_fixed_file_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "rules.yaml"
    good = MINI.read_text()
    path.write_text(good)
    store = RulesStore(path, check_every=0)
    assert store.rules.meta.version == "0.1"

    path.write_text(good.replace("level: discuss", "level: discus"))
    _touch_later(path)
    with caplog.at_level(logging.ERROR, logger="screening.rules.store"):
        assert store.rules.meta.version == "0.1"
    assert len(store.errors) == 1 and "discus" in store.errors[0]
    assert "still serving version 0.1" in caplog.text

    path.write_text(good.replace('version: "0.1"', 'version: "0.2"'))
    _touch_later(path)
    _touch_later(path)
    assert store.rules.meta.version == "0.2"
    assert store.errors == []


def test_first_load_of_a_broken_file_refuses(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(MINI.read_text().replace("level: discuss", "level: discus"))
    with pytest.raises(RulesInvalid):
        RulesStore(path)
