"""Answers in, educational flags out. Pure Python: no Flask, no WeasyPrint."""

from __future__ import annotations

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
    text: str
    extra: tuple[str, ...]  # add_when texts whose condition holds, in file order
    tests: tuple[str, ...]
    asks: tuple[str, ...]
    sources: tuple[Source, ...]
    unsure: tuple[UnsureItem, ...] = ()

    @property
    def full_text(self) -> str:
        return "\n\n".join((self.text, *self.extra))


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


def _sort_key(flag: Flag) -> tuple[int, int, int]:
    tier = ACTIONS.index(flag.action) if flag.level == "urgent" and flag.action else 0
    return (LEVELS.index(flag.level), tier, flag.index)


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
        from .loader import load_rules

        rules = load_rules()
    catalogue = rules
    if check:
        problems = validate_answers(answers, catalogue.questions)
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
        fired_flags.append(
            FiredFlag(
                id=flag.id,
                level=flag.level,
                action=flag.action,
                title=flag.title,
                text=_fill(flag.text, catalogue),
                extra=tuple(_fill(a.text, catalogue) for a in extras if a.text),
                tests=tuple(t for t in catalogue.tests_by_id if t in tests),
                asks=tuple(a for a in catalogue.asks_by_id if a in asks),
                sources=tuple(catalogue.sources[s] for s in flag.sources),
                unsure=unsure,
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
