"""Everything the patient sees after the questions, ready for the results page and the PDF.

A Summary is built from the answers and their Evaluation. The results page and the PDF render
the same Summary, so they cannot disagree. Pure Python: no Flask, no WeasyPrint.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .rules.catalogue import Catalogue, Source
from .rules.evaluator import Evaluation, FiredFlag, MergedAsk, MergedTest, evaluate

# Shared wording, kept here once so the page and the PDF say exactly the same thing.
NOT_A_DIAGNOSIS = "This is not a diagnosis. Talk with your doctor about what it means for you."
NOTHING_MATCHED = (
    "Your answers did not match any of the topics this check looks for. That does not rule out "
    "nerve problems: nerve damage can be silent, with no symptoms at first. In one large study "
    "of older adults, almost half of the people found to have nerve damage in their feet did "
    "not know it before. If you have symptoms or worries, talk with your doctor."
)
DONE_RECENTLY = "You said you had this in the last 12 months: ask what it showed."
ACTION_LABELS = {
    "emergency": "Call {emergency_number} now",
    "immediate": "Get medical care right away",
    "same_day": "Get care today",
    "prompt": "Contact a clinician soon",
    "check_today": "Call your doctor or nurse line today",
}
SERIOUS_ACTIONS = ("emergency", "immediate", "same_day")  # red; check_today and prompt: amber
LEVEL_HEADINGS = {
    "urgent": "Get help now",
    "discuss": "Talk with your doctor about",
    "info": "Good to know",
}


@dataclass(frozen=True)
class AnsweredQuestion:
    id: str
    label: str
    answer: str  # in the patient's words: choice labels, not codes
    name: str = ""  # the question's short name (its label when it has none), for tight lists


@dataclass(frozen=True)
class AnsweredSection:
    id: str
    title: str
    items: tuple[AnsweredQuestion, ...]


@dataclass(frozen=True)
class Summary:
    title: str
    rules_version: str
    rules_hash: str
    reviewed_on: str
    emergency_number: str
    created: _dt.date
    name: str | None
    evaluation: Evaluation
    sections: tuple[AnsweredSection, ...]
    sources: tuple[Source, ...]  # of the flags shown, in order of first use
    glance: tuple[AnsweredQuestion, ...] = ()  # short names: what a clinician reads first

    @property
    def rules_label(self) -> str:
        return f"{self.rules_version} ({self.rules_hash})"

    @property
    def urgent(self) -> tuple[FiredFlag, ...]:
        return self.evaluation.by_level("urgent")

    @property
    def discuss(self) -> tuple[FiredFlag, ...]:
        return self.evaluation.by_level("discuss")

    @property
    def info(self) -> tuple[FiredFlag, ...]:
        return self.evaluation.by_level("info")

    @property
    def tests(self) -> tuple[MergedTest, ...]:
        return self.evaluation.tests

    @property
    def asks(self) -> tuple[MergedAsk, ...]:
        return self.evaluation.asks

    @property
    def nothing_matched(self) -> bool:
        """No urgent or discuss flag: show the neutral message (never "you are fine")."""
        return not (self.urgent or self.discuss)

    def source_number(self, tag: str) -> int:
        """The source's number, [1], [2]…, the same on the results page and in the PDF."""
        return next(i for i, source in enumerate(self.sources, start=1) if source.tag == tag)

    @staticmethod
    def tone(flag: FiredFlag) -> str:
        """The card's colour: urgent (red), soon (amber), discuss or info."""
        if flag.level == "urgent":
            return "urgent" if flag.action in SERIOUS_ACTIONS else "soon"
        return flag.level

    @staticmethod
    def serious(flags: tuple[FiredFlag, ...] | list[FiredFlag]) -> bool:
        """Whether any of these flags needs care now or today (the red "Get help now")."""
        return any(f.level == "urgent" and f.action in SERIOUS_ACTIONS for f in flags)

    @staticmethod
    def has_emergency(flags: tuple[FiredFlag, ...] | list[FiredFlag]) -> bool:
        """Whether to offer the Call button."""
        return any(f.action == "emergency" for f in flags)

    def action_label(self, flag: FiredFlag) -> str:
        label = ACTION_LABELS.get(flag.action or "", "")
        return label.replace("{emergency_number}", self.emergency_number)


def build_summary(
    rules: Catalogue,
    answers: Mapping[str, Any],
    *,
    name: str | None = None,
    today: _dt.date | None = None,
) -> Summary:
    """Evaluate ``answers`` and gather what the patient sees. Answers must be valid."""
    evaluation = evaluate(answers, rules)
    shown = evaluation.answers
    sections = []
    for section in rules.sections:
        items = tuple(
            AnsweredQuestion(q.id, q.label, q.answer_text(shown[q.id]), _capitalized(q.name))
            for q in section.questions
            if q.id in shown and q.type != "confirm"
        )
        if items:
            sections.append(AnsweredSection(section.id, section.title, items))
    glance = tuple(
        AnsweredQuestion(q.id, q.label, q.answer_text(shown[q.id]), _capitalized(q.name))
        for q in rules.ordered_questions()
        if q.short and q.id in shown and _worth_a_glance(q.type, shown[q.id])
    )
    sources: dict[str, Source] = {}
    for flag in evaluation.flags:
        for source in flag.sources:
            sources.setdefault(source.tag, source)
    return Summary(
        title=rules.meta.title,
        rules_version=rules.meta.version,
        rules_hash=rules.content_hash,
        reviewed_on=rules.meta.reviewed_on,
        emergency_number=rules.meta.emergency_number,
        created=today or _dt.date.today(),
        name=(name or "").strip() or None,
        evaluation=evaluation,
        sections=tuple(sections),
        sources=tuple(sources.values()),
        glance=glance,
    )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _worth_a_glance(kind: str, value: object) -> bool:
    """Answers a clinician should see first: not "no", not "none of these", not free text."""
    if kind in ("confirm", "text"):
        return False
    return value != "no" and value != ["none"]
