"""Answers read from a code or file, taken into the current rules: keep what they accept.

Used for every decode, not only across rule versions: the same path checks a code made under
the same layout but a different text limit, and a saved file edited by hand. Safety-page
answers are dropped without a word: they are time-bound and always answered afresh.

Messages quote ids, codes and numbers from the file only when they look like ids, codes and
numbers: a hand-edited file must not put 10,000 characters, control characters or text that
cannot be printed into a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..questionnaire.answers import check_value, validate_answers
from ..questionnaire.model import Question
from ..rules.catalogue import Catalogue


def safety_ids(catalogue: Catalogue) -> set[str]:
    return {q.id for q in catalogue.sections[0].questions} if catalogue.sections else set()


_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,60}")


def _quoted(code: str) -> str:
    """A code from the file, quoted, or a plain stand-in when it does not look like one."""
    return f"“{code}”" if _CODE.fullmatch(code) else "(a code that cannot be shown)"


def _number(value: Any) -> str:
    return str(value) if isinstance(value, int) and abs(value) < 10**12 else "given"


def _valid_unicode(value: Any) -> bool:
    """False for text with lone surrogates (JSON can carry them; UTF-8 cannot)."""
    texts = value if isinstance(value, list) else [value]
    try:
        for text in texts:
            if isinstance(text, str):
                text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _why_not(value: Any, kind: str) -> str:
    if kind == "range":
        return f"the answer {_number(value)} is outside what the question now allows"
    if kind in ("length", "bytes"):
        return "the text is longer than the question now allows"
    if kind == "combination":
        return "that combination of answers is no longer allowed"
    if kind == "choice":
        return "that answer is no longer one of its choices"
    return "the question now asks for a different kind of answer"


def _choice_gone(catalogue: Catalogue, q: Question, value: str) -> str:
    retired = catalogue.retired.choices.get(f"{q.id}.{value}")
    how = retired.describe() if retired else "no longer one of its choices"
    return f"The answer {_quoted(value)} to “{q.name}” was not kept: it is {how}."


def _adopt_one(catalogue: Catalogue, qid: str, value: Any) -> tuple[Any | None, list[str]]:
    """The value to keep (None: drop it) and what to tell the person."""
    q = catalogue.questions.get(qid)
    if q is None:
        retired = catalogue.retired.questions.get(qid)
        if retired is not None:
            return None, [
                f"The answer to “{qid}” was not kept: that question was {retired.describe()}."
            ]
        return None, [
            f"The answer to {_quoted(qid)} was not kept: these rules do not ask that question."
        ]
    if not _valid_unicode(value):
        return None, [f"The answer to “{q.name}” was not kept: its text is damaged."]
    notes: list[str] = []
    if q.type == "multi" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        allowed = q.choice_values()
        notes = [_choice_gone(catalogue, q, v) for v in value if v not in allowed]
        value = [v for v in value if v in allowed]
        if not value:
            return None, notes
    elif (
        q.type in ("yesno", "single", "confirm")
        and isinstance(value, str)
        and value not in q.choice_values()
    ):
        return None, [_choice_gone(catalogue, q, value)]
    problem = check_value(q, value)
    if problem is not None:
        reason = _why_not(value, problem.kind)
        return None, [*notes, f"The answer to “{q.name}” was not kept: {reason}."]
    return value, notes


def adopt(
    catalogue: Catalogue, values: Iterable[tuple[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """Answers the catalogue accepts, in question order, and a line for each one left out."""
    safety = safety_ids(catalogue)
    kept: dict[str, Any] = {}
    problems: list[str] = []
    for qid, value in values:
        if qid in safety:
            continue
        adopted, notes = _adopt_one(catalogue, qid, value)
        problems += notes
        if adopted is not None:
            kept[qid] = adopted
    # Limits between answers (years with diabetes not above age) are checked on the whole set.
    for problem in validate_answers(kept, catalogue.questions):
        q = catalogue.questions[problem.question_id]
        value = kept.pop(q.id, None)
        limit = catalogue.questions.get(q.not_above or "")
        if value is not None and limit is not None:
            problems.append(
                f"The answer to “{q.name}” was not kept: {value} is more than the answer to "
                f"“{limit.name}”."
            )
    order = {q.id: q.index for q in catalogue.ordered_questions()}
    return dict(sorted(kept.items(), key=lambda item: order[item[0]])), problems


MAX_PROBLEMS = 30


def capped(problems: list[str]) -> list[str]:
    """A page can list 30 lines; a hand-made file could make thousands."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS + 1
    return [*problems[: MAX_PROBLEMS - 1], f"{rest} more answers or messages were not kept."]


def adopt_flags(catalogue: Catalogue, flag_ids: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
    """Urgent flags recorded with the answers that the current rules still know."""
    kept: list[str] = []
    problems: list[str] = []
    for fid in flag_ids:
        if fid in catalogue.flags_by_id:
            kept.append(fid)
            continue
        retired = catalogue.retired.flags.get(fid)
        how = f"was {retired.describe()}" if retired else "is not in these rules"
        problems.append(f"An urgent message shown at the time ({_quoted(fid)}) {how}.")
    return tuple(kept), problems
