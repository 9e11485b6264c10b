"""Errors an editor sees: every one carries the line and column in rules.yaml."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class RuleError:
    """One mistake in the rules file. ``line`` and ``col`` are 1-based, like an editor's."""

    line: int
    col: int
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}:{self.col}: {self.message}"


class RulesInvalid(Exception):  # noqa: N818 - reads better at call sites than RulesInvalidError
    """The rules file cannot be used; ``errors`` lists every mistake found, in file order."""

    def __init__(self, path: str, errors: Iterable[RuleError]) -> None:
        self.path = path
        self.errors = sorted(set(errors))
        super().__init__(f"{path}: {len(self.errors)} error(s)")

    def lines(self) -> list[str]:
        return [e.format(self.path) for e in self.errors]


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """A ' (did you mean x?)' hint for a misspelled id, or '' when nothing is close."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
