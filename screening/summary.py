"""Everything the patient sees after the questions, ready for the results page and the PDF.

A Summary is built from the answers and their Evaluation. The results page and the PDF render
the same Summary, so they cannot disagree. Pure Python: no Flask, no WeasyPrint.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .language.conditions import questions_read
from .questionnaire.answers import AnswersInvalid, validate_answers
from .questionnaire.model import Question
from .questionnaire.pages import is_shown
from .rules.catalogue import Catalogue, Source
from .rules.evaluator import Evaluation, FiredFlag, MergedAsk, MergedTest, evaluate

OWN_WORDS = "concern_text"  # CONTENT c.2: the patient's own words, read by no rule

# Shared wording, kept here once so the page and the PDF say exactly the same thing.
NOT_A_DIAGNOSIS = "This is not a diagnosis. Talk with your doctor about what it means for you."
NOTHING_MATCHED = (
    "Your answers did not match any of the topics this check looks for. That does not rule out "
    "nerve problems: nerve damage can be silent, with no symptoms at first. In one large study "
    "of older adults, almost half of the people found to have nerve damage in their feet did "
    "not know it before. If you have symptoms or worries, talk with your doctor."
)
SILENT_NERVES = (
    "Nerve problems can be silent, with no symptoms at first. A short list here does not mean "
    "that all is well: talk with your doctor about any symptoms or worries."
)
DONE_RECENTLY = "You said you had this in the last 12 months: ask what it showed."
ACTION_LABELS = {
    "emergency": "Call {emergency_number} now",
    "immediate": "Get medical care right away",
    "same_day": "Get care today",
    "prompt": "Contact a clinician soon",
    "check_today": "Call your doctor or nurse line today",
}
SERIOUS_ACTIONS = ("emergency", "immediate", "same_day")  # red; check_today and prompt: amber
LEVEL_HEADINGS = {
    "urgent": "Get help now",
    "discuss": "Talk with your doctor about",
    "info": "Good to know",
}


@dataclass(frozen=True)
class AnsweredQuestion:
    id: str
    label: str
    answer: str  # in the patient's words: choice labels, not codes
    name: str = ""  # the question's short name (its label when it has none), for tight lists
    positive: bool = False  # not "no", "none" or zero: what a clinician's eye should catch


@dataclass(frozen=True)
class KeyFact:
    """One line of PDF page 1's key facts: a section and its positive answers pulled together."""

    label: str  # the section title
    text: str  # "Metformin (5 years or more); Water pill (diuretic)"


@dataclass(frozen=True)
class Gaps:
    """What the person skipped or was not sure about."""

    skipped: int  # questions shown but left unanswered
    skipped_that_matter: tuple[str, ...]  # short names of skipped questions some flag reads
    not_sure: tuple[str, ...]  # short names of questions answered "not sure"


@dataclass(frozen=True)
class AnsweredSection:
    id: str
    title: str
    items: tuple[AnsweredQuestion, ...]
    name: str = ""  # the section's short name, for the PDF's compact list of answers

    @staticmethod
    def _plain_no(item: AnsweredQuestion) -> bool:
        return item.answer == "No" and not item.positive

    @property
    def answered_no(self) -> tuple[AnsweredQuestion, ...]:
        """The plain "No" answers, which the PDF lists together after the others."""
        return tuple(i for i in self.items if self._plain_no(i))

    @property
    def not_no(self) -> tuple[AnsweredQuestion, ...]:
        return tuple(i for i in self.items if not self._plain_no(i))


@dataclass(frozen=True)
class Summary:
    title: str
    rules_version: str
    rules_hash: str
    reviewed_on: str
    emergency_number: str
    created: _dt.date
    name: str | None
    evaluation: Evaluation
    sections: tuple[AnsweredSection, ...]
    sources: tuple[Source, ...]  # of the flags shown, in order of first use
    own_words: str | None = None  # concern_text: printed first on results and PDF page 1
    who: str = ""  # "Age 62, male": the clinician's first line
    key_facts: tuple[KeyFact, ...] = ()
    gaps: Gaps = Gaps(0, (), ())

    @property
    def rules_label(self) -> str:
        return f"{self.rules_version} ({self.rules_hash})"

    @property
    def urgent(self) -> tuple[FiredFlag, ...]:
        return self.evaluation.by_level("urgent")

    @property
    def discuss(self) -> tuple[FiredFlag, ...]:
        return self.evaluation.by_level("discuss")

    @property
    def info(self) -> tuple[FiredFlag, ...]:
        return self.evaluation.by_level("info")

    @property
    def tests(self) -> tuple[MergedTest, ...]:
        return self.evaluation.tests

    @property
    def asks(self) -> tuple[MergedAsk, ...]:
        return self.evaluation.asks

    @property
    def topics(self) -> tuple[FiredFlag, ...]:
        """Every flag by importance: urgent by tier, discuss by priority, then info."""
        return self.evaluation.flags

    @property
    def next_steps(self) -> tuple[str, ...]:
        """At most three things to do, most urgent first: the top of the results page."""
        steps: list[str] = []
        if self.urgent:
            first = self.urgent[0]
            more = len(self.urgent) - 1
            step = f"{self.action_label(first)}: {first.title.rstrip('.')}."
            if more:
                step += f" See {more} more warning sign{'s' if more > 1 else ''} below."
            steps.append(step)
        if self.tests:
            names = [t.name for t in self.tests]
            shown = ", ".join(names[:3])
            extra = f" and {len(names) - 3} more" if len(names) > 3 else ""
            steps.append(f"Ask your doctor about these tests: {shown}{extra}.")
        elif self.discuss:
            steps.append("Talk with your doctor about the topics below.")
        steps.append("Bring your summary (the PDF or a printout) to your next visit.")
        return tuple(steps)

    @property
    def nothing_matched(self) -> bool:
        """No urgent or discuss flag: show the neutral message (never "you are fine")."""
        return not (self.urgent or self.discuss)

    def source_number(self, tag: str) -> int:
        """The source's number, [1], [2]…, the same on the results page and in the PDF."""
        return next(i for i, source in enumerate(self.sources, start=1) if source.tag == tag)

    @staticmethod
    def tone(flag: FiredFlag) -> str:
        """The card's colour: urgent (red), soon (amber), discuss or info."""
        if flag.level == "urgent":
            return "urgent" if flag.action in SERIOUS_ACTIONS else "soon"
        return flag.level

    @staticmethod
    def serious(flags: tuple[FiredFlag, ...] | list[FiredFlag]) -> bool:
        """Whether any of these flags needs care now or today (the red "Get help now")."""
        return any(f.level == "urgent" and f.action in SERIOUS_ACTIONS for f in flags)

    @staticmethod
    def has_emergency(flags: tuple[FiredFlag, ...] | list[FiredFlag]) -> bool:
        """Whether to offer the Call button."""
        return any(f.action == "emergency" for f in flags)

    def action_label(self, flag: FiredFlag) -> str:
        label = ACTION_LABELS.get(flag.action or "", "")
        return label.replace("{emergency_number}", self.emergency_number)


def summary_of_answers(
    rules: Catalogue, answers: Mapping[str, Any], *, name: str | None = None
) -> Summary:
    """Validate ``answers`` (AnswersInvalid lists every problem) and build their Summary."""
    problems = validate_answers(answers, rules.questions, rules.retired.questions)
    if problems:
        raise AnswersInvalid(problems)
    return build_summary(rules, answers, name=name)


def build_summary(
    rules: Catalogue,
    answers: Mapping[str, Any],
    *,
    name: str | None = None,
    today: _dt.date | None = None,
) -> Summary:
    """Evaluate ``answers`` and gather what the patient and the clinician see. Answers must be
    valid (see questionnaire.answers.validate_answers)."""
    evaluation = evaluate(answers, rules)
    shown = evaluation.answers
    sections = []
    for section in rules.sections:
        items = tuple(
            AnsweredQuestion(
                q.id,
                q.label,
                q.answer_text(shown[q.id]),
                _capitalized(q.name),
                _positive(q, shown[q.id]),
            )
            for q in section.questions
            if q.id in shown and q.type != "confirm"
        )
        if items:
            sections.append(AnsweredSection(section.id, section.title, items, section.name))
    sources: dict[str, Source] = {}
    for flag in evaluation.flags:
        for source in flag.sources:
            sources.setdefault(source.tag, source)
    own = shown.get(OWN_WORDS)
    return Summary(
        title=rules.meta.title,
        rules_version=rules.meta.version,
        rules_hash=rules.content_hash,
        reviewed_on=rules.meta.reviewed_on,
        emergency_number=rules.meta.emergency_number,
        created=today or _dt.date.today(),
        name=(name or "").strip() or None,
        evaluation=evaluation,
        sections=tuple(sections),
        sources=tuple(sources.values()),
        own_words=own if isinstance(own, str) and own else None,
        who=_who(rules, shown),
        key_facts=_key_facts(rules, shown),
        gaps=_gaps(rules, shown),
    )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _positive(q: Question, value: object) -> bool:
    """Answers a clinician should see first: not "no", "none", "not sure" or zero."""
    if q.type == "confirm":
        return False
    if q.type == "number":
        return value != 0
    return value not in ("no", "none", "not_sure", ["none"], ["not_sure"])


def _who(rules: Catalogue, shown: Mapping[str, Any]) -> str:
    parts = []
    if isinstance(shown.get("age"), int):
        parts.append(f"Age {shown['age']}")
    sex = shown.get("sex")
    if "sex" in rules.questions and isinstance(sex, str) and sex != "prefer_not_to_say":
        parts.append(rules.questions["sex"].answer_text(sex).lower())
    return ", ".join(parts)


def _fact(q: Question, value: object) -> str:
    if q.type == "yesno":
        return _capitalized(q.name)
    if q.type == "text":
        text = str(value)
        short = (
            text
            if len(text) <= 160
            else text[:150].rsplit(" ", 1)[0] + " … (in full under all answers)"
        )
        return f"{_capitalized(q.name)}: “{short}”"
    return f"{_capitalized(q.name)}: {q.answer_text(value)}"


def _key_facts(rules: Catalogue, shown: Mapping[str, Any]) -> tuple[KeyFact, ...]:
    """Each section's positive answers in a line; a follow-up joins the answer it follows
    ("Metformin (5 years or more)"). The safety page is left out (its signs are the urgent
    flags), and so are the patient's own words (printed on their own) and who they are."""
    facts: list[KeyFact] = []
    skip = {OWN_WORDS, "age", "sex"}
    for section in rules.sections[1:]:
        ids = {q.id for q in section.questions}
        parent: dict[str, str] = {}
        for q in section.questions:
            if q.show_if is not None:
                reads = questions_read(q.show_if, rules.conditions) & ids
                if len(reads) == 1:
                    parent[q.id] = next(iter(reads))
        parts: list[str] = []
        for q in section.questions:
            if q.id in skip or q.id not in shown or q.id in parent or q.type == "confirm":
                continue
            if not _positive(q, shown[q.id]):
                continue
            children = [
                _fact(c, shown[c.id]).replace(_capitalized(c.name) + ": ", "", 1)
                if c.type != "yesno"
                else _capitalized(c.name)
                for c in section.questions
                if parent.get(c.id) == q.id and c.id in shown and _positive(c, shown[c.id])
            ]
            text = _fact(q, shown[q.id])
            parts.append(f"{text} ({'; '.join(children)})" if children else text)
        if parts:
            facts.append(KeyFact(section.name, "; ".join(parts)))
    return tuple(facts)


def _gaps(rules: Catalogue, shown: Mapping[str, Any]) -> Gaps:
    read_by_flags: set[str] = set()
    for flag in rules.flags:
        read_by_flags |= questions_read(flag.when, rules.conditions)
    skipped = [
        q
        for q in rules.ordered_questions()
        if q.id not in shown and q.type != "confirm" and is_shown(q, shown, rules.conditions)
    ]
    return Gaps(
        skipped=len(skipped),
        skipped_that_matter=tuple(q.name for q in skipped if q.id in read_by_flags),
        not_sure=tuple(q.name for q in rules.ordered_questions() if shown.get(q.id) == "not_sure"),
    )
