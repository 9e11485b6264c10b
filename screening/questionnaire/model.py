"""Questions and sections as the rest of the app sees them: frozen, checked, ready to use."""

from __future__ import annotations

from dataclasses import dataclass

from ..language.conditions import YESNO, Condition

YESNO_LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
EXCLUSIVE_CHOICES = ("none", "not_sure")  # in a multi question, these cannot go with others


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # yesno | single | multi | number | text | confirm
    label: str
    section_id: str
    index: int  # position in the whole questionnaire
    hint: str | None = None
    why: str | None = None
    short: str | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None
    not_above: str | None = None
    unit: str | None = None
    max_length: int = 500
    under_min_message: str | None = None
    show_if: Condition | None = None

    def choice_values(self) -> tuple[str, ...]:
        if self.type == "yesno":
            return YESNO
        if self.type == "confirm":
            return ("yes",)
        return tuple(c.value for c in self.choices)

    def choice_label(self, value: str) -> str:
        if self.type == "yesno":
            return YESNO_LABELS.get(value, value)
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value

    @property
    def name(self) -> str:
        """A short name for lists and the rules catalogue; the label when no short name is set."""
        return self.short or self.label

    def answer_text(self, value: object) -> str:
        """The answer in the patient's words (choice labels, not codes)."""
        if isinstance(value, list):
            return "; ".join(self.choice_label(v) for v in value)
        if self.type == "confirm":
            return "Yes" if value == "yes" else str(value)
        if isinstance(value, str) and self.type in ("yesno", "single"):
            return self.choice_label(value)
        if self.type == "number" and self.unit:
            return f"{value} {self.unit}"
        return str(value)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None
    short: str | None = None  # a clinician's label for it (PDF page 1); the title if unset

    @property
    def name(self) -> str:
        return self.short or self.title
