"""The checked rule set: everything rules.yaml says, as frozen dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ..language.conditions import Condition
from ..language.positions import Pos, RuleError
from ..questionnaire.model import Question, Section

LEVELS = ("urgent", "discuss", "info")
ACTIONS = ("emergency", "immediate", "same_day", "prompt", "check_today")


@dataclass(frozen=True)
class Meta:
    title: str
    version: str
    reviewed_by: str
    reviewed_on: str
    emergency_number: str = "911"


@dataclass(frozen=True)
class Test:
    id: str
    name: str
    why: str
    covered_when: Condition | None = None
    loinc: str | None = None


@dataclass(frozen=True)
class Ask:
    id: str
    text: str


@dataclass(frozen=True)
class Source:
    tag: str
    citation: str
    url: str
    note: str | None = None


@dataclass(frozen=True)
class RetiredId:
    id: str
    retired_in: str | None = None
    replaced_by: tuple[str, ...] = ()

    def describe(self) -> str:
        """ "retired in 2.0.0, replaced by x" or "retired", for messages."""
        words = f"retired in rules {self.retired_in}" if self.retired_in else "retired"
        if self.replaced_by:
            words += f" (replaced by {', '.join(self.replaced_by)})"
        return words


@dataclass(frozen=True)
class Retired:
    """Ids used by an earlier rule set: never reused, and known to old answer files."""

    questions: Mapping[str, RetiredId] = field(default_factory=dict)
    choices: Mapping[str, RetiredId] = field(default_factory=dict)  # "question_id.choice"
    flags: Mapping[str, RetiredId] = field(default_factory=dict)
    tests: Mapping[str, RetiredId] = field(default_factory=dict)
    asks: Mapping[str, RetiredId] = field(default_factory=dict)


@dataclass(frozen=True)
class AddWhen:
    when: Condition
    text: str | None = None
    tests: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    in_box: bool = False  # urgent flags: part of the interrupting box
    clinician: str | None = None


@dataclass(frozen=True)
class Example:
    answers: Mapping[str, Any]
    pos: Pos
    number: int  # 1-based within its list, for messages


@dataclass(frozen=True)
class Flag:
    id: str
    level: str
    title: str
    when: Condition
    text: str
    index: int  # catalogue (file) order
    action: str | None = None
    suppressed_by: tuple[str, ...] = ()
    add_when: tuple[AddWhen, ...] = ()
    tests: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    lists_unsure: tuple[str, ...] = ()  # question ids whose "not sure" answers are named
    fires: tuple[Example, ...] = ()
    silent: tuple[Example, ...] = ()
    pos: Pos = Pos(1, 1)
    after: str | None = None  # urgent: facts below the box
    summary: str | None = None  # one plain line for the results page
    clinician: str | None = None  # one line in clinician voice for PDF page 1
    priority: int = 2  # discuss flags: 1 ask soon, 2 next visit, 3 when convenient
    pdf_note: str | None = None
    clinician_note: str | None = None


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Catalogue:
    """A complete, valid rule set. Build it with ``load_rules``; never half-valid."""

    path: str
    content_hash: str
    meta: Meta
    sections: tuple[Section, ...]
    groups: Mapping[str, tuple[str, ...]]
    conditions: Mapping[str, Condition]
    tests: tuple[Test, ...]
    asks: tuple[Ask, ...]
    sources: Mapping[str, Source]
    flags: tuple[Flag, ...]
    evaluation_order: tuple[str, ...]  # flags and named conditions they depend on come first
    retired: Retired = field(default_factory=Retired)
    warnings: tuple[RuleError, ...] = ()  # things an editor should fix that do not stop the file
    questions: Mapping[str, Question] = field(init=False)
    flags_by_id: Mapping[str, Flag] = field(init=False)
    tests_by_id: Mapping[str, Test] = field(init=False)
    asks_by_id: Mapping[str, Ask] = field(init=False)

    def __post_init__(self) -> None:
        questions = {q.id: q for s in self.sections for q in s.questions}
        object.__setattr__(self, "questions", _frozen(questions))
        object.__setattr__(self, "flags_by_id", _frozen({f.id: f for f in self.flags}))
        object.__setattr__(self, "tests_by_id", _frozen({t.id: t for t in self.tests}))
        object.__setattr__(self, "asks_by_id", _frozen({a.id: a for a in self.asks}))

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def label(self) -> str:
        """How pages, PDFs and logs name this rule set: version plus a short content hash."""
        return f"{self.meta.version} ({self.content_hash})"

    def ordered_questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)
