"""The catalogues the codec tests use, loaded once per test session, and answer generators."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from screening.questionnaire.answers import check_value
from screening.questionnaire.model import EXCLUSIVE_CHOICES, Question
from screening.rules import Catalogue, load_rules

MINI_PATH = Path(__file__).resolve().parents[1] / "data" / "mini_rules.yaml"
REAL = load_rules()
MINI = load_rules(MINI_PATH)


def safety(rules: Catalogue) -> set[str]:
    return {q.id for q in rules.sections[0].questions}


def _fit(q: Question, text: str) -> str:
    """Shorten generated text until the question accepts it (characters and any byte limit)."""
    while check_value(q, text) is not None:
        text = text[: len(text) * 3 // 4]
    return text


def value_for(q: Question) -> st.SearchStrategy[Any]:
    if q.type in ("yesno", "single", "confirm"):
        return st.sampled_from(q.choice_values())
    if q.type == "multi":
        plain = [v for v in q.choice_values() if v not in EXCLUSIVE_CHOICES]
        alone = [[v] for v in q.choice_values() if v in EXCLUSIVE_CHOICES]
        return st.one_of(
            st.lists(st.sampled_from(plain), min_size=1, unique=True), st.sampled_from(alone)
        )
    if q.type == "number":
        assert q.min is not None and q.max is not None
        return st.integers(q.min, q.max)
    emoji = st.sampled_from(["😀", "👩🏽‍⚕️", "🦶", "🇺🇸", "\u0301", "\r\n", "\x00", "\U0010ffff"])
    pieces = st.lists(st.one_of(st.characters(codec="utf-8"), emoji), max_size=q.max_length).map(
        "".join
    )
    return st.one_of(pieces, st.just("x" * q.max_length)).map(lambda t: _fit(q, t))


def _within_limits(rules: Catalogue, answers: dict[str, Any]) -> dict[str, Any]:
    for q in rules.ordered_questions():
        limit = answers.get(q.not_above or "")
        if q.id in answers and isinstance(limit, int):
            answers[q.id] = min(answers[q.id], limit)
    return answers


def answer_sets(rules: Catalogue) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the questions, each with a valid answer (hidden ones too)."""
    parts = {q.id: st.one_of(st.none(), value_for(q)) for q in rules.ordered_questions()}
    return st.fixed_dictionaries(parts).map(
        lambda d: _within_limits(rules, {k: v for k, v in d.items() if v is not None})
    )


def expected(rules: Catalogue, answers: dict[str, Any]) -> dict[str, Any]:
    """What decoding gives back: no safety answers; multi choices in the question's order."""
    out: dict[str, Any] = {}
    for q in rules.ordered_questions():
        if q.id in answers and q.id not in safety(rules):
            value = answers[q.id]
            out[q.id] = [v for v in q.choice_values() if v in value] if q.type == "multi" else value
    return out
