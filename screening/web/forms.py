"""WTForms forms generated from the question catalogue: one form class per page, never hand-written.

Each question type maps to one field type, and one validator per question turns what was
typed into an answer (the same values the rules core uses) or a specific, plain message.
"""

from __future__ import annotations

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

from ..questionnaire.model import EXCLUSIVE_CHOICES, Question
from ..rules.conditions import Answer


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
        q = self.q
        if q.type in ("yesno", "single"):
            if raw not in q.choice_values():
                raise ValidationError("Choose one of the answers shown")
            return str(raw)
        if q.type == "confirm":
            return "yes"
        if q.type == "multi":
            values = list(dict.fromkeys(raw))
            if any(v not in q.choice_values() for v in values):
                raise ValidationError("Choose from the answers shown")
            alone = [v for v in values if v in EXCLUSIVE_CHOICES]
            if alone and len(values) > 1:
                label = q.choice_label(alone[0])
                raise ValidationError(
                    f"“{label}” cannot be chosen with other answers. Untick it or untick the others"
                )
            return values
        if q.type == "number":
            return self._number(str(raw))
        text = str(raw).strip()
        if len(text) > q.max_length:
            raise ValidationError(
                f"Use {q.max_length} characters or fewer. You have typed {len(text)}"
            )
        return text

    def _number(self, raw: str) -> int:
        q = self.q
        text = raw.strip().replace(",", "")
        if not text.isascii() or not text.isdigit():
            raise ValidationError(f"Enter {_number_words(q)}, like {example_number(q)}")
        value = int(text)
        if (
            q.max is not None
            and value > q.max
            or (q.min is not None and value < q.min and not q.under_min_message)
        ):
            what = "a year" if q.max is not None and q.max >= 1900 else "a number"
            raise ValidationError(f"Enter {what} from {q.min} to {q.max}")
        if q.not_above:
            limit = self.earlier.get(q.not_above)
            if isinstance(limit, int) and value > limit:
                other = self.questions[q.not_above]
                name = other.short or other.id.replace("_", " ")
                raise ValidationError(f"Enter a number no bigger than {limit} (your {name})")
        return value


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

    def answers(self) -> dict[str, Answer]:
        """The answers given on this page (after ``validate``); blank questions are left out."""
        out: dict[str, Answer] = {}
        for field in self:
            value = getattr(field, "answer", None)
            if value is not None:
                out[field.name] = value
        return out


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
