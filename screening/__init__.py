"""Neuropathy risk-factor screening questionnaire.

Public API (usable without Flask or a request):

    load_rules(path=None) -> Catalogue            (reads and checks the file every call)
    cached_rules(path=None) -> Catalogue          (the same, once per file version)
    evaluate(answers, rules=None) -> Evaluation
    validate_answers(answers, rules=None) -> list[AnswerProblem]
    render_pdf(answers, *, paper="letter", rules=None, name=None) -> bytes
    create_app(settings=None, *, rules=None) -> Flask
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any, cast

from .questionnaire.answers import AnswerProblem, AnswersInvalid
from .questionnaire.answers import validate_answers as _validate
from .rules import Catalogue, Evaluation, RulesInvalid, cached_rules, evaluate, load_rules

if TYPE_CHECKING:
    from flask import Flask

    from .config import Settings

__all__ = [
    "AnswerProblem",
    "AnswersInvalid",
    "Catalogue",
    "Evaluation",
    "RulesInvalid",
    "create_app",
    "cached_rules",
    "evaluate",
    "load_rules",
    "render_pdf",
    "validate_answers",
]


def validate_answers(
    answers: Mapping[str, Any], rules: Catalogue | None = None
) -> list[AnswerProblem]:
    """Every problem in an answers mapping: unknown id, value not a choice, out of range, type."""
    catalogue = rules or cached_rules()
    return _validate(answers, catalogue.questions, catalogue.retired.questions)


def create_app(settings: Settings | None = None, *, rules: Catalogue | None = None) -> Flask:
    """The Flask app (imported lazily so the rules core stays free of Flask).

    ``rules``: an already loaded Catalogue of the same file, so it is not read twice.
    """
    factory = import_module(".web.app", __name__).create_app
    return cast("Flask", factory(settings, rules=rules))


def render_pdf(
    answers: Mapping[str, Any],
    *,
    paper: str = "letter",
    rules: Catalogue | None = None,
    name: str | None = None,
) -> bytes:
    """The PDF summary for these answers, as bytes (imports WeasyPrint on first use).

    Validates the answers (AnswersInvalid) and the paper size (SettingsError) first."""
    from .config import check_paper
    from .summary import summary_of_answers

    paper = check_paper(paper)
    summary = summary_of_answers(rules or cached_rules(), answers, name=name)
    render = import_module(".pdf", __name__).render_summary_pdf
    return cast(bytes, render(summary, paper=paper))
