"""What reading a code or a saved file gives: the answers the current rules accept, and why
anything else was left out. One exception type for everything that cannot be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

DAMAGED = "This code is damaged or incomplete."
NOT_OURS = "This is not a code from this app."
NEWER = "This code was made by a newer version of this app and cannot be read here."


class CodeInvalid(ValueError):  # noqa: N818 - named for what it is, like RulesInvalid
    """A code or saved file that cannot be read; the message is for the person holding it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Decoded:
    answers: dict[str, Any]  # question id -> value the current rules accept, in question order
    problems: list[str]  # plain English: what was not kept, and why
    rules_version: str  # the rules the code was made with
    rules_hash: str
    same_rules: bool  # made with exactly the rules in use now
    created: date  # the day the answers were saved
    urgent_flags_then: tuple[str, ...] = field(default=())  # urgent flag ids shown at the time
