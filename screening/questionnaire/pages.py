"""How the questionnaire is split into pages, and which pages and questions apply.

Pure Python, derived from the catalogue, so a question added to rules.yaml needs no code.

One section is one page, except for follow-up questions (a show-if that reads an earlier
question of the same section): without JavaScript a page cannot react to its own answers, so
follow-ups get a page of their own right after the question they depend on, where their
show-if is already decided. A follow-up page that does not apply is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..language.conditions import Answer, Condition, ConditionContext, questions_read
from .model import Question, Section


@dataclass(frozen=True)
class Page:
    id: str  # the section id, then "-2", "-3" for the follow-up pages of a section
    section: Section
    section_number: int  # 1-based
    part: int  # 1-based within the section
    parts: int
    questions: tuple[Question, ...]

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def first_part(self) -> bool:
        return self.part == 1


def split_pages(sections: Sequence[Section], named: Mapping[str, Condition]) -> tuple[Page, ...]:
    pages: list[Page] = []
    for number, section in enumerate(sections, start=1):
        chunks: list[list[Question]] = []
        current: list[Question] = []
        in_follow_ups = False  # does the current chunk hold follow-up questions?
        earlier: set[str] = set()  # ids of this section's questions so far
        for q in section.questions:
            reads = questions_read(q.show_if, named) if q.show_if is not None else set()
            follow_up = bool(reads & earlier)
            # A follow-up cannot share a page with what it depends on, and the next ordinary
            # question starts a fresh page, so each page reads as one topic.
            if current and (reads & {c.id for c in current} or in_follow_ups and not follow_up):
                chunks.append(current)
                current = []
            if not current:
                in_follow_ups = follow_up
            current.append(q)
            earlier.add(q.id)
        chunks.append(current)
        for part, chunk in enumerate(chunks, start=1):
            page_id = section.id if part == 1 else f"{section.id}-{part}"
            pages.append(Page(page_id, section, number, part, len(chunks), tuple(chunk)))
    return tuple(pages)


def is_shown(q: Question, answers: Mapping[str, Answer], named: Mapping[str, Condition]) -> bool:
    """Whether ``q`` is asked, given the (already pruned) answers to earlier questions."""
    return q.show_if is None or q.show_if.holds(ConditionContext(answers, named))


def shown_questions(
    page: Page, answers: Mapping[str, Answer], named: Mapping[str, Condition]
) -> tuple[Question, ...]:
    return tuple(q for q in page.questions if is_shown(q, answers, named))
