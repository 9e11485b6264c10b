"""The patient's path through the questionnaire, as a pure object: no Flask, no HTTP.

Given a Catalogue and the answers so far, a Journey knows which pages apply, what comes next
and before, the first page with a required question still open, what a page's new answers
reveal or hide, whether a number ends the questionnaire (under 18), which urgent flags are
new, and where to go after a page is saved. The web layer only maps HTTP to this object and
back; the CLI, tests or another front end can walk the same path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .language.conditions import Answer, questions_read
from .questionnaire.answers import visible_answers
from .questionnaire.model import Question, Section
from .questionnaire.pages import Page, is_shown, split_pages
from .rules.catalogue import Catalogue
from .rules.evaluator import fired_flag_ids

_pages_cache: dict[str, tuple[Page, ...]] = {}


def pages_of(rules: Catalogue) -> tuple[Page, ...]:
    """The pages of a rule set, worked out once per rule set (by content hash)."""
    key = rules.content_hash
    pages = _pages_cache.get(key)
    if pages is None:  # threads may race here: each works out the same pages, none fails
        pages = split_pages(rules.sections, rules.conditions)
        _pages_cache.clear()  # only the current rules matter
        _pages_cache[key] = pages
    return pages


@dataclass(frozen=True)
class Where:
    """Where the person goes next: a question page (maybe in change mode) or check answers."""

    page_id: str | None  # None: the check-answers page
    changing: bool = False
    anchor: str | None = None  # a question id to land on (check answers after a change)
    opened_summary: bool = False  # the summary of answers opened from a code or file


@dataclass(frozen=True)
class CheckRow:
    question: Question
    answer: str | None  # in the patient's words; None when skipped
    page_id: str


@dataclass(frozen=True)
class CheckSection:
    section: Section
    rows: tuple[CheckRow, ...]


@dataclass(frozen=True)
class Saved:
    """What saving a page did, and where to go now."""

    journey: Journey  # the journey with the page's answers in it
    go: Where  # after any urgent interruption
    todo: tuple[str, ...] = ()  # questions a change revealed, still to ask
    stop: Question | None = None  # a number that ends the questionnaire kindly (under 18)
    new_urgent: tuple[str, ...] = ()  # urgent flag ids to interrupt with now
    hidden: tuple[str, ...] = ()  # answers the change hid (and so dropped)


@dataclass(frozen=True)
class Journey:
    rules: Catalogue
    answers: Mapping[str, Answer]  # valid under ``rules``; pruned to shown questions on build
    _shown: tuple[Page, ...] = field(init=False, repr=False, compare=False)

    @classmethod
    def start(cls, rules: Catalogue, answers: Mapping[str, Answer]) -> Journey:
        """A journey over answers that may include hidden ones: those are dropped."""
        return cls(rules, visible_answers(rules.questions, answers, rules.conditions))

    def __post_init__(self) -> None:
        shown = tuple(p for p in self.pages if any(self.is_shown(q) for q in p.questions))
        object.__setattr__(self, "_shown", shown)

    # -- pages -----------------------------------------------------------------------------

    @property
    def pages(self) -> tuple[Page, ...]:
        return pages_of(self.rules)

    @property
    def shown_pages(self) -> tuple[Page, ...]:
        """Pages with at least one question that applies, given the answers so far."""
        return self._shown

    @property
    def first_page(self) -> Page:
        return self.pages[0]

    def page(self, page_id: str) -> Page | None:
        return next((p for p in self.pages if p.id == page_id), None)

    def page_of(self, question_id: str) -> Page | None:
        return next((p for p in self.pages if any(q.id == question_id for q in p.questions)), None)

    def is_shown(self, q: Question) -> bool:
        return is_shown(q, self.answers, self.rules.conditions)

    def questions_on(self, page: Page) -> tuple[Question, ...]:
        return tuple(q for q in page.questions if self.is_shown(q))

    def _position(self, page: Page) -> int:
        return next(i for i, p in enumerate(self.pages) if p.id == page.id)

    def next_page(self, after: Page) -> Page | None:
        position = self._position(after)
        return next((p for p in self._shown if self._position(p) > position), None)

    def previous_page(self, before: Page) -> Page | None:
        position = self._position(before)
        earlier = [p for p in self._shown if self._position(p) < position]
        return earlier[-1] if earlier else None

    def first_missing_required(self, before: Page | None = None) -> Page | None:
        """The first page (before ``before``, or anywhere) with a required question open."""
        for page in self._shown:
            if before is not None and page.id == before.id:
                return None
            if any(q.required and q.id not in self.answers for q in self.questions_on(page)):
                return page
        return None

    @property
    def complete(self) -> bool:
        return self.first_missing_required() is None

    def resume_point(self) -> Where:
        """Where answers brought back from a saved file go on: the first page after the safety
        pages that has no answer yet (a page with some answers was seen and partly skipped),
        else check answers."""
        safety = self.first_page.section.id
        for page in self._shown:
            if page.section.id != safety and not any(
                q.id in self.answers for q in self.questions_on(page)
            ):
                return Where(page.id)
        return Where(None)

    @property
    def last_page(self) -> Page | None:
        return self._shown[-1] if self._shown else None

    # -- flags -----------------------------------------------------------------------------

    @cached_property
    def fired(self) -> frozenset[str]:
        return frozenset(fired_flag_ids(self.rules, self.answers))

    def urgent_fired(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.rules.flags if f.level == "urgent" and f.id in self.fired)

    def page_to_change(self, flag_id: str) -> Page | None:
        """The page of the earliest answered question a flag reads: "Change my answer"."""
        flag = self.rules.flags_by_id[flag_id]
        read = questions_read(flag.when, self.rules.conditions)
        answered = [
            q for q in self.rules.ordered_questions() if q.id in read and q.id in self.answers
        ]
        return self.page_of(answered[0].id) if answered else None

    # -- check answers ---------------------------------------------------------------------

    def check_sections(self) -> tuple[CheckSection, ...]:
        """Every question asked, by section, with the answer in the patient's words."""
        sections: list[CheckSection] = []
        for section in self.rules.sections:
            rows = tuple(
                CheckRow(
                    q,
                    q.answer_text(self.answers[q.id]) if q.id in self.answers else None,
                    page.id,
                )
                for page in self._shown
                if page.section.id == section.id
                for q in self.questions_on(page)
                if q.type != "confirm"
            )
            if rows:
                sections.append(CheckSection(section, rows))
        return tuple(sections)

    # -- saving a page ---------------------------------------------------------------------

    def with_answers(self, answers: Mapping[str, Answer]) -> Journey:
        return Journey.start(self.rules, answers)

    def save(
        self,
        page: Page,
        given: Mapping[str, Answer],
        *,
        changing: bool = False,
        todo: Iterable[str] = (),
        seen_urgent: Iterable[str] = (),
    ) -> Saved:
        """The journey after ``page`` was answered with ``given``, and where to go next."""
        on_page = {q.id for q in page.questions}
        merged = {k: v for k, v in self.answers.items() if k not in on_page}
        merged.update(given)
        after = self.with_answers(merged)
        hidden = tuple(q for q in merged if q not in after.answers)

        for q in page.questions:
            value = after.answers.get(q.id)
            if (
                q.under_min_message
                and isinstance(value, int)
                and q.min is not None
                and value < q.min
            ):
                return Saved(after, Where(page.id), stop=q, hidden=hidden)

        go, left = after._destination(page, self, changing=changing, todo=set(todo))
        seen = set(seen_urgent)
        new = tuple(f for f in after.urgent_fired() if f not in seen)
        if new and after._ask_follow_ups_first(page, new):
            # The warning sign's own follow-up questions come first, so one interruption
            # covers the sign and its follow-ups (a sore, then whether it looks infected).
            new = ()
        return Saved(after, go, todo=tuple(sorted(left)), new_urgent=new, hidden=hidden)

    def _ask_follow_ups_first(self, page: Page, new: tuple[str, ...]) -> bool:
        """Whether to ask the next page before interrupting: only for a follow-up page of the
        same section, and never when a new flag is an emergency (that cannot wait a page)."""
        if any(self.rules.flags_by_id[f].action == "emergency" for f in new):
            return False
        nxt = self.next_page(page)
        return nxt is not None and nxt.section.id == page.section.id and nxt.part > page.part

    def _shown_ids(self) -> set[str]:
        return {q.id for q in self.rules.questions.values() if self.is_shown(q)}

    def _destination(
        self, page: Page, before: Journey, *, changing: bool, todo: set[str]
    ) -> tuple[Where, set[str]]:
        """The next page; after a change, the questions it revealed (page by page), then the
        check page at the row that was changed."""
        if not changing:
            nxt = self.next_page(page)
            return Where(nxt.id if nxt else None), set()
        shown = self._shown_ids()
        left = (todo | (shown - before._shown_ids())) - {q.id for q in page.questions}
        left &= shown
        for candidate in self._shown:
            if candidate.id != page.id and any(q.id in left for q in candidate.questions):
                return Where(candidate.id, changing=True), left
        first = next((q.id for q in page.questions if q.id in self.answers), None)
        return Where(
            None, anchor=first or (page.questions[0].id if page.questions else None)
        ), set()
