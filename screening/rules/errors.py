"""Errors an editor sees: every one carries the line and column in rules.yaml."""

from __future__ import annotations

from collections.abc import Iterable

from ..language.positions import RuleError, did_you_mean

__all__ = ["RuleError", "RulesInvalid", "did_you_mean"]


class RulesInvalid(Exception):  # noqa: N818 - reads better at call sites than RulesInvalidError
    """The rules file cannot be used; ``errors`` lists every mistake found, in file order.

    ``str()`` of the exception holds every ``path:line:col: message`` line, so a log line or a
    start-up failure that prints it tells the editor exactly what to fix.
    """

    def __init__(self, path: str, errors: Iterable[RuleError]) -> None:
        self.path = path
        self.errors = sorted(set(errors))
        super().__init__("\n".join([f"{path}: {len(self.errors)} error(s)", *self.lines()]))

    def lines(self) -> list[str]:
        return [e.format(self.path) for e in self.errors]
