"""The person's progress, kept only in the signed session cookie.

Session keys are short to keep the cookie small:
  a    answers to questions that are shown (question id -> value)
  u    urgent flags already shown to the person
  next where to go after the urgent page
  todo questions a change revealed, to ask before going back to "check your answers"
Nothing here is written to disk or logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, g, session

from ..config import Settings
from ..questionnaire.answers import check_value, visible_answers
from ..questionnaire.pages import Page, is_shown, split_pages
from ..rules.catalogue import Catalogue
from ..rules.conditions import Answer
from ..rules.store import RulesStore

_pages_cache: dict[str, tuple[Page, ...]] = {}


def store() -> RulesStore:
    value: RulesStore = current_app.extensions["rules_store"]
    return value


def current_rules() -> Catalogue:
    return store().rules


def settings() -> Settings:
    value: Settings = current_app.extensions["screening_settings"]
    return value


def pages(rules: Catalogue) -> tuple[Page, ...]:
    key = rules.content_hash
    found = _pages_cache.get(key)
    if found is None:  # safe under gthread's threads: each step is one atomic dict operation
        found = split_pages(rules.sections, rules.conditions)
        _pages_cache.clear()  # only the current rules matter
        _pages_cache[key] = found
    return found


def page_by_id(rules: Catalogue, page_id: str) -> Page | None:
    return next((p for p in pages(rules) if p.id == page_id), None)


def started() -> bool:
    return "a" in session


def load_answers(rules: Catalogue) -> dict[str, Answer]:
    """The stored answers still valid under the current rules, pruned to shown questions.

    Rules can change while someone is answering; an answer the new rules cannot use is dropped
    rather than breaking the page.
    """
    raw = session.get("a")
    if not isinstance(raw, dict):
        return {}
    valid: dict[str, Any] = {
        qid: value
        for qid, value in raw.items()
        if qid in rules.questions and check_value(rules.questions[qid], value) is None
    }
    return visible_answers(rules.questions, valid, rules.conditions)


def save_answers(answers: Mapping[str, Answer]) -> None:
    session["a"] = dict(answers)


def start_fresh() -> None:
    session.clear()
    session["a"] = {}


def seen_urgent() -> list[str]:
    value = session.get("u", [])
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def shown_pages(rules: Catalogue, answers: Mapping[str, Answer]) -> list[Page]:
    """Pages with at least one question that applies. Computed once per request and answers."""
    cache: dict[int, tuple[Mapping[str, Answer], list[Page]]] = g.setdefault("shown_pages", {})
    hit = cache.get(id(answers))
    if hit is not None and hit[0] is answers:
        return hit[1]
    result = [
        p for p in pages(rules) if any(is_shown(q, answers, rules.conditions) for q in p.questions)
    ]
    cache[id(answers)] = (answers, result)
    return result


def first_missing_required(
    rules: Catalogue, answers: Mapping[str, Answer], before: Page | None = None
) -> Page | None:
    """The first page (before ``before``, or anywhere) with a required question not yet answered."""
    for page in shown_pages(rules, answers):
        if before is not None and page.id == before.id:
            return None
        for q in page.questions:
            if q.required and q.id not in answers and is_shown(q, answers, rules.conditions):
                return page
    return None
