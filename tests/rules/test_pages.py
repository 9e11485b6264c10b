"""How sections become pages: no page asks a question that depends on its own answers."""

from __future__ import annotations

from screening import cached_rules
from screening.language.conditions import questions_read
from screening.questionnaire.pages import split_pages

from .conftest import MINI

RULES = cached_rules()


def test_every_question_is_on_exactly_one_page_in_file_order() -> None:
    pages = split_pages(RULES.sections, RULES.conditions)
    order = [q.id for p in pages for q in p.questions]
    assert order == [q.id for q in RULES.ordered_questions()]
    assert len({p.id for p in pages}) == len(pages)


def test_no_question_depends_on_an_answer_on_its_own_page() -> None:
    for page in split_pages(RULES.sections, RULES.conditions):
        here = {q.id for q in page.questions}
        for q in page.questions:
            if q.show_if is not None:
                assert not questions_read(q.show_if, RULES.conditions) & here, (page.id, q.id)


def test_follow_ups_come_right_after_their_section_and_share_a_page() -> None:
    pages = {p.id: p for p in split_pages(RULES.sections, RULES.conditions)}
    assert [q.id for q in pages["safety-2"].questions] == [
        "safety_foot_infection",
        "safety_hot_foot_numb",
    ]
    assert pages["safety-2"].section_number == 1 and pages["safety-2"].part == 2
    assert [q.id for q in pages["about_you"].questions] == ["age", "sex"]


def test_a_section_without_follow_ups_is_one_page() -> None:
    mini = cached_rules(MINI)
    pages = split_pages(mini.sections, mini.conditions)
    assert len(pages) >= len(mini.sections)
    for page in pages:
        if page.parts == 1:
            assert page.id == page.section.id
