"""Editors change rules.yaml while the app runs: good changes load, broken or half-written
ones never replace good rules, and a process that starts on a broken file still serves."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from screening.rules import RulesInvalid, load_rules
from screening.rules.loader import DEFAULT_RULES
from screening.rules.store import RulesStore

from .conftest import MINI


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(MINI.read_text())
    return path


def test_broken_reload_keeps_last_good_and_fixed_file_loads(
    rules_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = rules_file.read_text()
    store = RulesStore(rules_file, check_every=0, settle=0)
    assert store.rules.meta.version == "0.1"

    rules_file.write_text(good.replace("level: discuss", "level: discus"))
    _touch_later(rules_file)
    with caplog.at_level(logging.ERROR, logger="screening.rules.store"):
        assert store.rules.meta.version == "0.1"
    assert len(store.errors) == 1 and "discus" in store.errors[0]
    assert "still serving version 0.1" in caplog.text

    rules_file.write_text(good.replace('version: "0.1"', 'version: "0.2"'))
    _touch_later(rules_file)
    assert store.rules.meta.version == "0.2"
    assert store.errors == []


def test_a_file_still_being_written_is_loaded_only_once_it_stops_changing(
    rules_file: Path,
) -> None:
    clock = Clock()
    good = rules_file.read_text()
    store = RulesStore(rules_file, check_every=0, settle=1.0, clock=clock)
    rules_file.write_text(good.replace('version: "0.1"', 'version: "0.2"'))
    _touch_later(rules_file)
    assert store.rules.meta.version == "0.1"  # just changed: wait
    clock.now += 0.5
    assert store.rules.meta.version == "0.1"
    clock.now += 0.6  # unchanged for a second now
    assert store.rules.meta.version == "0.2"


def test_first_load_of_a_broken_file_with_no_good_copy_refuses(rules_file: Path) -> None:
    rules_file.write_text(MINI.read_text().replace("level: discuss", "level: discus"))
    with pytest.raises(RulesInvalid):
        RulesStore(rules_file)


def test_a_process_starting_on_a_broken_file_serves_the_last_good_rules(
    rules_file: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    instance = tmp_path / "instance"
    good = rules_file.read_text()
    first = RulesStore(rules_file, last_good_dir=instance, check_every=0, settle=0)
    rules_file.write_text(good.replace('version: "0.1"', 'version: "0.2"'))
    _touch_later(rules_file)
    assert first.rules.meta.version == "0.2"  # the newest good version is the one kept
    rules_file.write_text(good.replace("level: discuss", "level: discus"))
    _touch_later(rules_file)

    with caplog.at_level(logging.WARNING, logger="screening.rules.store"):
        # Two workers start (recycled by gunicorn) while the file is broken: both serve.
        workers = [
            RulesStore(rules_file, last_good_dir=instance, check_every=0, settle=0)
            for _ in range(2)
        ]
    for worker in workers:
        assert worker.rules.meta.version == "0.2"
        assert worker.using_last_good and "discus" in worker.errors[0]
        assert worker.rules.path == str(rules_file)  # named as the editor's file
    full = [r for r in caplog.records if r.levelno == logging.ERROR]
    short = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(full) == 1 and "discus" in full[0].getMessage()  # the errors, logged once
    assert len(short) == 1 and "listed once in the log" in short[0].getMessage()

    rules_file.write_text(good.replace('version: "0.1"', 'version: "0.3"'))
    _touch_later(rules_file)
    for worker in workers:  # fixing the file reaches every worker
        assert worker.rules.meta.version == "0.3" and worker.errors == []


def _cuts() -> list[tuple[str, int]]:
    data = DEFAULT_RULES.read_bytes()
    cuts = [("4 KiB block", n) for n in range(4096, len(data), 4096)]
    start = data.index(b"\nflags:\n")
    at = data.find(b"\n  - id: ", start + 1)
    while at != -1:
        cuts.append(("before a flag entry", at + 1))
        at = data.find(b"\n  - id: ", at + 1)
    cuts.append(("before the end marker", data.rindex(b"end: true")))
    return cuts


def test_every_cut_of_the_real_rules_file_is_refused(tmp_path: Path) -> None:
    data = DEFAULT_RULES.read_bytes()
    path = tmp_path / "rules.yaml"
    for where, size in _cuts():
        path.write_bytes(data[:size])
        with pytest.raises(RulesInvalid) as info:
            load_rules(path)
        assert "the file ends early" in str(info.value), (where, size)


def test_a_cut_file_never_replaces_good_rules(rules_file: Path, tmp_path: Path) -> None:
    store = RulesStore(rules_file, last_good_dir=tmp_path / "i", check_every=0, settle=0)
    data = DEFAULT_RULES.read_bytes()
    for _, size in _cuts()[:3]:
        rules_file.write_bytes(data[:size])
        _touch_later(rules_file)
        assert store.rules.meta.version == "0.1"
        assert "the file ends early" in store.errors[0]
