"""Answers: check them against the questions, and keep only those to questions that were shown.

An answers mapping is question id → value: "yes" / "no" / "not_sure" for yes/no questions, a
choice code for single choice, a list of codes for multi choice, an integer for numbers, a
string for text, "yes" for a ticked confirm box.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..language.conditions import Answer, Condition, ConditionContext
from ..language.positions import did_you_mean
from .model import EXCLUSIVE_CHOICES, Question
from .text import byte_limit


@dataclass(frozen=True)
class AnswerProblem:
    question_id: str
    kind: str  # unknown | retired | type | choice | range | combination | length | bytes
    message: str


class AnswersInvalid(ValueError):  # noqa: N818 - named for what it is, like RulesInvalid
    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def _choices_text(q: Question) -> str:
    return ", ".join(f'"{v}"' for v in q.choice_values())


def check_value(q: Question, value: Any) -> AnswerProblem | None:
    """The problem with one answer, or None if it is a valid answer to ``q``."""

    def problem(kind: str, message: str) -> AnswerProblem:
        return AnswerProblem(q.id, kind, f'"{q.id}": {message}')

    if q.type in ("yesno", "single", "confirm"):
        if not isinstance(value, str):
            return problem("type", f"expected one of {_choices_text(q)}, got {value!r}")
        if value not in q.choice_values():
            hint = did_you_mean(value, q.choice_values())
            return problem(
                "choice", f'"{value}" is not an answer{hint}; use one of {_choices_text(q)}'
            )
        return None
    if q.type == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return problem(
                "type", f"expected a list of answers like [{_choices_text(q)}], got {value!r}"
            )
        if not value:
            return problem("type", "expected at least one answer in the list")
        for v in value:
            if v not in q.choice_values():
                hint = did_you_mean(v, q.choice_values())
                return problem(
                    "choice", f'"{v}" is not an answer{hint}; use any of {_choices_text(q)}'
                )
        if len(set(value)) != len(value):
            return problem("combination", "the same answer is listed twice")
        alone = [v for v in value if v in EXCLUSIVE_CHOICES]
        if alone and len(value) > 1:
            return problem(
                "combination", f'"{alone[0]}" cannot be chosen together with other answers'
            )
        return None
    if q.type == "number":
        if isinstance(value, bool) or not isinstance(value, int):
            return problem("type", f"expected a whole number, got {value!r}")
        if q.min is not None and value < q.min or q.max is not None and value > q.max:
            return problem("range", f"{value} is outside {q.min}–{q.max}")
        return None
    if q.type == "text":
        if not isinstance(value, str):
            return problem("type", f"expected text, got {value!r}")
        if len(value) > q.max_length:
            return problem(
                "length", f"the text is {len(value)} characters; the limit is {q.max_length}"
            )
        size = len(value.encode("utf-8"))
        if size > byte_limit(q.max_length):
            return problem(
                "bytes", f"the text is {size} bytes; the limit is {byte_limit(q.max_length)}"
            )
        return None
    return problem("type", f"unsupported question type {q.type}")  # pragma: no cover


class RetiredInfo(Protocol):
    def describe(self) -> str: ...


def validate_answers(
    answers: Mapping[str, Any],
    questions: Mapping[str, Question],
    retired: Mapping[str, RetiredInfo] | None = None,
) -> list[AnswerProblem]:
    """Every problem in an answers mapping: unknown or retired ids, wrong types, bad codes,
    out of range. ``retired`` (Catalogue.retired.questions) names questions an earlier rule
    set asked, so an old answers file gets "retired" instead of "unknown"."""
    problems: list[AnswerProblem] = []
    for qid, value in answers.items():
        q = questions.get(qid)
        if q is None and retired and qid in retired:
            problems.append(
                AnswerProblem(
                    str(qid),
                    "retired",
                    f'"{qid}": this question was {retired[qid].describe()}; no rule reads it '
                    "now, so remove it from the file",
                )
            )
            continue
        if q is None:
            problems.append(
                AnswerProblem(
                    str(qid), "unknown", f'unknown question "{qid}"{did_you_mean(qid, questions)}'
                )
            )
            continue
        found = check_value(q, value)
        if found:
            problems.append(found)
    for qid, value in answers.items():
        q = questions.get(qid)
        if q is None or q.not_above is None or check_value(q, value) is not None:
            continue
        limit = answers.get(q.not_above)
        if isinstance(limit, int) and not isinstance(limit, bool) and value > limit:
            problems.append(
                AnswerProblem(
                    qid, "range", f'"{qid}": {value} is more than "{q.not_above}" ({limit})'
                )
            )
    return problems


def visible_answers(
    questions: Mapping[str, Question],
    answers: Mapping[str, Answer],
    named: Mapping[str, Condition],
) -> dict[str, Answer]:
    """Only the answers to questions that are shown, given the answers before them.

    Show-ifs only read earlier questions, so one pass in question order decides every question.
    """
    kept: dict[str, Answer] = {}
    ctx = ConditionContext(kept, named)
    for q in sorted(questions.values(), key=lambda q: q.index):
        if q.id not in answers:
            continue
        if q.show_if is None or q.show_if.holds(ctx):
            kept[q.id] = answers[q.id]
    return kept
