"""Fixtures for the rules core: the small test rule set, and broken copies of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rule_files import DATA, MINI

from screening.rules import RulesInvalid, load_rules

__all__ = ["DATA", "MINI", "BrokenRules"]


@pytest.fixture
def mini_text() -> str:
    return MINI.read_text(encoding="utf-8")


class BrokenRules:
    """Writes a copy of mini_rules.yaml with edits and returns the errors it produces."""

    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "rules.yaml"
        self.text = ""

    def errors(self, *edits: tuple[str, str]) -> list[str]:
        text = MINI.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"test edit does not apply: {old!r}"
            text = text.replace(old, new, 1)
        self.text = text
        self.path.write_text(text, encoding="utf-8")
        with pytest.raises(RulesInvalid) as info:
            load_rules(self.path)
        return info.value.lines()

    def where(self, needle: str, nth: int = 1) -> str:
        """'PATH:LINE:COL' of the nth occurrence of ``needle`` in the edited text."""
        start = -1
        for _ in range(nth):
            start = self.text.index(needle, start + 1)
        line = self.text.count("\n", 0, start) + 1
        col = start - (self.text.rfind("\n", 0, start) + 1) + 1
        return f"{self.path}:{line}:{col}"


@pytest.fixture
def broken(tmp_path: Path) -> BrokenRules:
    return BrokenRules(tmp_path)


WriteRules = Callable[[str], Path]


@pytest.fixture
def write_rules(tmp_path: Path) -> WriteRules:
    def write(text: str) -> Path:
        path = tmp_path / "rules.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write
