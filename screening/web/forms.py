"""WTForms forms generated from the question catalogue: one form class per page, never hand-written.

Each question type maps to one field type, and one validator per question turns what was
typed into an answer (the same values the rules core uses) or a specific, plain message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

from wtforms import (
    BooleanField,
    Field,
    Form,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # 3.3, newer than the stubs
from wtforms.validators import StopValidation, ValidationError

from ..language.conditions import Answer
from ..questionnaire.answers import check_value
from ..questionnaire.model import EXCLUSIVE_CHOICES, Question
from ..questionnaire.text import clean_text

THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$")
MAX_NUMBER_DIGITS = 6  # every number question's range fits in 6 digits


def example_number(q: Question) -> int:
    """A believable example for "Enter a whole number, like 58" messages."""
    low = q.min if q.min is not None else 0
    high = q.max if q.max is not None else low + 100
    if high >= 1900:  # a year
        return max(low, high - 10)
    if low >= 18:  # an age
        return min(high, low + 40)
    return min(high, low + 3)


def required_message(q: Question) -> str:
    name = q.short or "this question"
    if q.type == "yesno":
        return f"Answer the question about {name}: choose yes, no or not sure"
    if q.type == "confirm":
        return "Tick the box to show you understand, then select Continue"
    if q.type == "number":
        return f"Enter a whole number, like {example_number(q)}"
    if q.type == "text":
        return f"Type an answer about {name}"
    return f"Choose an answer about {name}"


def _number_words(q: Question) -> str:
    return f"a whole number of {q.unit}" if q.unit else "a whole number"


class AnswerCheck:
    """Validate one question's field and store its answer in ``field.answer``.

    ``earlier`` holds the answers already given, for questions like "years since diagnosis"
    that may not be more than an earlier answer (age).
    """

    def __init__(
        self, q: Question, earlier: Mapping[str, Answer], questions: Mapping[str, Question]
    ):
        self.q = q
        self.earlier = earlier
        self.questions = questions

    def __call__(self, form: Form, field: Field) -> None:
        field.answer = None  # type: ignore[attr-defined]
        raw = field.data
        if raw in (None, "", [], False):
            if self.q.required:
                raise StopValidation(required_message(self.q))
            field.errors = []
            raise StopValidation()
        field.answer = self._parse(raw)  # type: ignore[attr-defined]

    def _parse(self, raw: Any) -> Answer:
        """Turn what was typed into an answer, then check it with the same rules as the core."""
        q = self.q
        value = self._coerce(raw)
        problem = check_value(q, value)
        if problem is not None and not self._under_min(value):
            raise ValidationError(self._message(problem.kind, value))
        if q.not_above and isinstance(value, int):
            limit = self.earlier.get(q.not_above)
            if isinstance(limit, int) and value > limit:
                other = self.questions[q.not_above]
                name = other.short or other.id.replace("_", " ")
                raise ValidationError(f"Enter a number no bigger than {limit} (your {name})")
        return value

    def _coerce(self, raw: Any) -> Answer:
        q = self.q
        if q.type == "confirm":
            return "yes"
        if q.type == "multi":
            return [str(v) for v in dict.fromkeys(raw)]
        if q.type == "number":
            text = str(raw).strip()
            if THOUSANDS.match(text):  # "1,000" is a number; "5,8" or "1,2,0" is not
                text = text.replace(",", "")
            # Checked before int(): a thousands-digit string would pass Python's own limit.
            if len(text) > MAX_NUMBER_DIGITS or not text.isascii() or not text.isdigit():
                raise ValidationError(f"Enter {_number_words(q)}, like {example_number(q)}")
            return int(text)
        if q.type == "text":
            return clean_text(str(raw))
        return str(raw)

    def _under_min(self, value: Answer) -> bool:
        """A number below the minimum that ends the questionnaire kindly instead (age < 18)."""
        q = self.q
        return (
            bool(q.under_min_message)
            and isinstance(value, int)
            and q.min is not None
            and (value < q.min)
        )

    def _message(self, kind: str, value: Answer) -> str:
        """The patient's words for a problem check_value found."""
        q = self.q
        if kind == "combination" and isinstance(value, list):
            alone = next(v for v in value if v in EXCLUSIVE_CHOICES)
            label = q.choice_label(alone)
            return f"“{label}” cannot be chosen with other answers. Untick it or untick the others"
        if kind == "range":
            what = "a year" if q.max is not None and q.max >= 1900 else "a number"
            return f"Enter {what} from {q.min} to {q.max}"
        if kind == "length" and isinstance(value, str):
            return f"Use {q.max_length} characters or fewer. You have typed {len(value)}"
        if kind == "bytes":
            return (
                "This answer is too long. Please make it shorter: emoji and some symbols take "
                "up more room than letters"
            )
        return (
            "Choose from the answers shown"
            if q.type == "multi"
            else "Choose one of the answers shown"
        )


def _field_for(q: Question, check: AnswerCheck) -> Field:
    choices = [SelectChoice(v, q.choice_label(v)) for v in q.choice_values()]
    validators = [check]
    if q.type in ("yesno", "single"):
        return RadioField(q.label, choices=choices, validate_choice=False, validators=validators)
    if q.type == "multi":
        return SelectMultipleField(
            q.label, choices=choices, validate_choice=False, validators=validators
        )
    if q.type == "confirm":
        return BooleanField(q.label, false_values=("", "false", "no"), validators=validators)
    if q.type == "text":
        return TextAreaField(q.label, validators=validators)
    return StringField(q.label, validators=validators)  # number: typed as text, parsed kindly


class PageForm(Form):
    """Base of every generated page form; CSRF is checked app-wide by Flask-WTF's CSRFProtect."""

    def add_page_error(self, message: str, prefer: Iterable[Question] = ()) -> None:
        """Show ``message`` on the longest of ``prefer`` (text answers), else the first field."""
        candidates = [self[q.id] for q in prefer if q.id in self]
        field = (
            max(candidates, key=lambda f: len(str(f.data or "").encode()))
            if candidates
            else next(iter(self))
        )
        field.errors = [*field.errors, message]
        self._errors = None  # WTForms caches form.errors

    def answers(self) -> dict[str, Answer]:
        """The answers given on this page (after ``validate``); blank questions are left out."""
        out: dict[str, Answer] = {}
        for field in self:
            value = getattr(field, "answer", None)
            if value is not None:
                out[field.name] = value
        return out


def none_answers(questions: Iterable[Question]) -> dict[str, Answer]:
    """The answers "Answer No to the rest" gives to questions left blank, or {} when a page
    should not offer it.

    A question has a "no" answer when it is yes/no ("No") or a choice list with "None of
    these" or "No". The button is offered on pages with at least two such questions and no
    required one (the safety page keeps an explicit answer for every item). Other questions
    left blank (a number, a text box, a choice without "no") stay blank: skipped, as any
    question after the safety page may be.
    """
    found: dict[str, Answer] = {}
    for q in questions:
        if q.required:
            return {}
        if q.type == "yesno":
            found[q.id] = "no"
        elif q.type == "multi" and "none" in q.choice_values():
            found[q.id] = ["none"]
        elif q.type == "single" and "none" in q.choice_values():
            found[q.id] = "none"
        elif q.type == "single" and "no" in q.choice_values():
            found[q.id] = "no"
    return found if len(found) >= 2 else {}


def page_form(
    questions: Iterable[Question],
    *,
    earlier: Mapping[str, Answer],
    catalogue: Mapping[str, Question],
    formdata: Any = None,
    answers: Mapping[str, Answer] | None = None,
) -> PageForm:
    """A bound form for these questions: from posted ``formdata``, or filled from ``answers``."""
    questions = tuple(questions)
    fields = {q.id: _field_for(q, AnswerCheck(q, earlier, catalogue)) for q in questions}
    form_class = type("GeneratedPageForm", (PageForm,), fields)
    if formdata is not None:
        return cast(PageForm, form_class(formdata=formdata))
    kinds = {q.id: q.type for q in questions}
    data: dict[str, Any] = {}
    for qid, value in (answers or {}).items():
        if qid in kinds:
            data[qid] = value == "yes" if kinds[qid] == "confirm" else value
    return cast(PageForm, form_class(data=data))
