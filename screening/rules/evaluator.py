"""Answers in, educational flags out. Pure Python: no Flask, no WeasyPrint."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..language.conditions import Answer, ConditionContext
from ..questionnaire.answers import AnswersInvalid, validate_answers, visible_answers
from .catalogue import ACTIONS, LEVELS, Catalogue, Flag, Source


@dataclass(frozen=True)
class UnsureItem:
    question_id: str
    name: str


@dataclass(frozen=True)
class FiredFlag:
    id: str
    level: str
    action: str | None
    title: str
    text: str  # urgent: the box (the action and one reason); others: the main facts
    extra: tuple[str, ...]  # add_when texts whose condition holds, in file order (not in the box)
    tests: tuple[str, ...]
    asks: tuple[str, ...]
    sources: tuple[Source, ...]
    unsure: tuple[UnsureItem, ...] = ()
    box_extra: tuple[str, ...] = ()  # urgent: add_when texts that belong in the box
    after: str | None = None  # urgent: facts below the box
    summary: str | None = None
    clinician: str = ""  # one line in clinician voice (PDF page 1); the title when none is set
    priority: int = 2
    pdf_note: str | None = None

    @property
    def box(self) -> tuple[str, ...]:
        """What the interrupting urgent box shows: the action and its reason, nothing more."""
        return (self.text, *self.box_extra)

    @property
    def details(self) -> tuple[str, ...]:
        """Everything below the box (urgent) or after the main text (others)."""
        return tuple(t for t in (self.after, *self.extra) if t)

    @property
    def full_text(self) -> str:
        return "\n\n".join((*self.box, *self.details))


@dataclass(frozen=True)
class MergedTest:
    id: str
    name: str
    why: str
    done_recently: bool


@dataclass(frozen=True)
class MergedAsk:
    id: str
    text: str


@dataclass(frozen=True)
class Evaluation:
    rules_version: str
    rules_hash: str
    answers: Mapping[str, Answer]  # only answers to questions that were shown
    flags: tuple[FiredFlag, ...]  # urgent (by action tier), then discuss, then info
    tests: tuple[MergedTest, ...]  # in the tests vocabulary's order
    asks: tuple[MergedAsk, ...]

    def by_level(self, level: str) -> tuple[FiredFlag, ...]:
        return tuple(f for f in self.flags if f.level == level)

    @property
    def flag_ids(self) -> list[str]:
        return [f.id for f in self.flags]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "rules_hash": self.rules_hash,
            "flags": [
                {
                    "id": f.id,
                    "level": f.level,
                    "action": f.action,
                    "title": f.title,
                    "text": f.full_text,
                    "summary": f.summary,
                    "clinician": f.clinician,
                    "unsure": [u.name for u in f.unsure],
                    "tests": list(f.tests),
                    "asks": list(f.asks),
                    "sources": [
                        {"tag": s.tag, "citation": s.citation, "url": s.url} for s in f.sources
                    ],
                }
                for f in self.flags
            ],
            "tests": [
                {"id": t.id, "name": t.name, "done_recently": t.done_recently} for t in self.tests
            ],
            "asks": [{"id": a.id, "text": a.text} for a in self.asks],
        }


def _fill(text: str, catalogue: Catalogue) -> str:
    return text.replace("{emergency_number}", catalogue.meta.emergency_number)


_ANSWER = re.compile(r"\{answer:([a-z0-9_]+)\}")


def _fill_answers(text: str, catalogue: Catalogue, shown: Mapping[str, Answer]) -> str:
    """Clinician lines may quote an answer: {answer:question_id} becomes its text."""

    def answer(match: re.Match[str]) -> str:
        q = catalogue.questions[match.group(1)]
        return q.answer_text(shown[q.id]) if q.id in shown else "not answered"

    return _ANSWER.sub(answer, _fill(text, catalogue))


def _sort_key(flag: Flag) -> tuple[int, int, int]:
    """Urgent by action tier, discuss by priority, then file order; levels in LEVELS order."""
    if flag.level == "urgent":
        rank = ACTIONS.index(flag.action) if flag.action else 0
    elif flag.level == "discuss":
        rank = flag.priority
    else:
        rank = 0
    return (LEVELS.index(flag.level), rank, flag.index)


def fired_flag_ids(catalogue: Catalogue, shown: Mapping[str, Answer]) -> set[str]:
    """Ids of the flags that fire on these (already pruned) answers, after suppression."""
    fired: set[str] = set()
    ctx = ConditionContext(shown, catalogue.conditions, fired)
    for fid in catalogue.evaluation_order:
        flag = catalogue.flags_by_id[fid]
        if flag.when.holds(ctx) and not any(s in fired for s in flag.suppressed_by):
            fired.add(fid)
    return fired


def evaluate(
    answers: Mapping[str, Any], rules: Catalogue | None = None, *, check: bool = True
) -> Evaluation:
    """Evaluate every flag on the answers to questions that were shown.

    With ``check`` (the default) invalid answers raise AnswersInvalid listing every problem.
    """
    if rules is None:
        from .loader import cached_rules  # the loader imports this module

        rules = cached_rules()
    catalogue = rules
    if check:
        problems = validate_answers(answers, catalogue.questions, catalogue.retired.questions)
        if problems:
            raise AnswersInvalid(problems)
    shown = visible_answers(catalogue.questions, answers, catalogue.conditions)
    fired_ids = fired_flag_ids(catalogue, shown)
    ctx = ConditionContext(shown, catalogue.conditions, fired_ids)
    fired_flags: list[FiredFlag] = []
    for flag in sorted((catalogue.flags_by_id[f] for f in fired_ids), key=_sort_key):
        extras = [a for a in flag.add_when if a.when.holds(ctx)]
        tests = dict.fromkeys([*flag.tests, *(t for a in extras for t in a.tests)])
        asks = dict.fromkeys([*flag.asks, *(t for a in extras for t in a.asks)])
        unsure = tuple(
            UnsureItem(q, catalogue.questions[q].name)
            for q in flag.lists_unsure
            if shown.get(q) == "not_sure"
        )
        source_tags = dict.fromkeys([*flag.sources, *(s for a in extras for s in a.sources)])
        clinician = "; ".join(
            _fill_answers(line, catalogue, shown)
            for line in (flag.clinician or flag.title, *(a.clinician for a in extras))
            if line
        )
        fired_flags.append(
            FiredFlag(
                id=flag.id,
                level=flag.level,
                action=flag.action,
                title=flag.title,
                text=_fill(flag.text, catalogue),
                extra=tuple(_fill(a.text, catalogue) for a in extras if a.text and not a.in_box),
                tests=tuple(t for t in catalogue.tests_by_id if t in tests),
                asks=tuple(a for a in catalogue.asks_by_id if a in asks),
                sources=tuple(catalogue.sources[s] for s in source_tags),
                unsure=unsure,
                box_extra=tuple(_fill(a.text, catalogue) for a in extras if a.text and a.in_box),
                after=_fill(flag.after, catalogue) if flag.after else None,
                summary=_fill(flag.summary, catalogue) if flag.summary else None,
                clinician=clinician,
                priority=flag.priority,
                pdf_note=flag.pdf_note,
            )
        )
    wanted_tests = {t for f in fired_flags for t in f.tests}
    wanted_asks = {a for f in fired_flags for a in f.asks}
    merged_tests = tuple(
        MergedTest(
            t.id,
            t.name,
            t.why,
            bool(t.covered_when is not None and t.covered_when.holds(ctx)),
        )
        for t in catalogue.tests
        if t.id in wanted_tests
    )
    merged_asks = tuple(MergedAsk(a.id, a.text) for a in catalogue.asks if a.id in wanted_asks)
    return Evaluation(
        rules_version=catalogue.meta.version,
        rules_hash=catalogue.content_hash,
        answers=shown,
        flags=tuple(fired_flags),
        tests=merged_tests,
        asks=merged_asks,
    )
