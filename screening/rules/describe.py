"""Conditions in words, for the rules catalogue page that editors and clinicians read.

``describe`` turns a parsed condition into a small tree of phrases: a leaf reads like
"diabetes is Type 1", a branch like "All of these:" followed by its parts. Nothing here is
written twice: the page is generated from the same parsed conditions the evaluator runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..language.conditions import (
    All,
    Answered,
    AnyOf,
    Compare,
    Condition,
    Count,
    FlagFired,
    Not,
    Use,
)
from .catalogue import Catalogue

_NUMBER_WORDS = {
    "is": "is {n}",
    "gt": "is more than {n}",
    "gte": "is {n} or more",
    "lt": "is less than {n}",
    "lte": "is {n} or less",
}
_COUNT_WORDS = {
    "is": "exactly {n} of",
    "gt": "more than {n} of",
    "gte": "{n} or more of",
    "lt": "fewer than {n} of",
    "lte": "{n} or fewer of",
}


@dataclass(frozen=True)
class Phrase:
    text: str
    parts: tuple[Phrase, ...] = ()


def question_name(rules: Catalogue, qid: str) -> str:
    q = rules.questions[qid]
    return q.short or qid.replace("_", " ")


def _quoted_choices(rules: Catalogue, qid: str, values: list[str] | tuple[str, ...]) -> str:
    q = rules.questions[qid]
    labels = [f"“{q.choice_label(v)}”" for v in values]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def _compare(rules: Catalogue, cond: Compare) -> str:
    name = question_name(rules, cond.q)
    if cond.op == "is" and isinstance(cond.value, str):
        return f"{name} is {_quoted_choices(rules, cond.q, [cond.value])}"
    if cond.op == "in":
        return f"{name} is {_quoted_choices(rules, cond.q, cond.value)}"
    if cond.op == "has":
        return f"{name} includes {_quoted_choices(rules, cond.q, [cond.value])}"
    if cond.op == "has_any":
        return f"{name} includes {_quoted_choices(rules, cond.q, cond.value)}"
    unit = rules.questions[cond.q].unit
    number = f"{cond.value} {unit}" if unit else str(cond.value)
    return f"{name} {_NUMBER_WORDS[cond.op].format(n=number)}"


def _count(rules: Catalogue, cond: Count) -> str:
    answer = "“Not sure”" if cond.form == "any_not_sure" else "“Yes”"
    names = ", ".join(question_name(rules, q) for q in cond.questions)
    if cond.form == "count_yes":
        return f"{answer} to {_COUNT_WORDS[cond.op].format(n=cond.n)}: {names}"
    return f"{answer} to any of: {names}"


def describe(cond: Condition, rules: Catalogue) -> Phrase:
    """The condition as phrases a clinician can check against the clinical source."""
    if isinstance(cond, Compare):
        return Phrase(_compare(rules, cond))
    if isinstance(cond, Answered):
        return Phrase(f"{question_name(rules, cond.q)} is answered")
    if isinstance(cond, Count):
        return Phrase(_count(rules, cond))
    if isinstance(cond, Use):
        return Phrase(f"{cond.name} holds (see the named conditions)")
    if isinstance(cond, FlagFired):
        flag = rules.flags_by_id[cond.flag]
        return Phrase(f"the flag “{flag.title}” is shown")
    if isinstance(cond, Not):
        inner = describe(cond.item, rules)
        if not inner.parts:
            return Phrase(f"not true: {inner.text}")
        return Phrase("None of this is true:", (inner,))
    parts = tuple(describe(item, rules) for item in cond.items)
    # Two plain parts of an "all" read well as one sentence; "any" is always a list, because
    # answer lists inside a part already use "or".
    simple = not any(isinstance(item, (All, AnyOf)) for item in cond.items)
    if isinstance(cond, All) and simple and len(parts) <= 2 and all(not p.parts for p in parts):
        return Phrase(" and ".join(p.text for p in parts))
    heading = "All of these:" if isinstance(cond, All) else "Any of these:"
    return Phrase(heading, parts)


def describe_condition_text(cond: Condition, rules: Catalogue) -> str:
    """One-line form (for tests and logs): branches in brackets."""

    def flat(p: Phrase) -> str:
        if not p.parts:
            return p.text
        return f"{p.text} [" + "; ".join(flat(x) for x in p.parts) + "]"

    return flat(describe(cond, rules))
