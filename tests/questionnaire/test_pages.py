"""How sections become pages: no page asks a question that depends on its own answers."""

from __future__ import annotations

from rule_files import MINI

from screening import load_rules
from screening.language.conditions import questions_read
from screening.questionnaire.pages import split_pages

RULES = load_rules()


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
        "safety_foot_risk",
    ]
    assert pages["safety-2"].section_number == 1 and pages["safety-2"].part == 2
    assert [q.id for q in pages["about_you"].questions] == [
        "concern_text",
        "age",
        "sex",
        "weight_loss_fast",
    ]
    assert [q.id for q in pages["about_you-2"].questions] == ["pregnant"]


def test_a_section_without_follow_ups_is_one_page() -> None:
    mini = load_rules(MINI)
    pages = split_pages(mini.sections, mini.conditions)
    assert len(pages) >= len(mini.sections)
    for page in pages:
        if page.parts == 1:
            assert page.id == page.section.id


def test_no_main_question_starts_an_extra_page() -> None:
    """Every page after a section's first holds only follow-ups of that section."""
    for page in split_pages(RULES.sections, RULES.conditions):
        if page.part > 1:
            here = {q.id for q in page.section.questions}
            for q in page.questions:
                assert q.show_if is not None, (page.id, q.id)
                assert questions_read(q.show_if, RULES.conditions) & here, (page.id, q.id)


def test_the_safety_page_is_two_pages_at_most() -> None:
    safety = [p for p in split_pages(RULES.sections, RULES.conditions) if p.section_number == 1]
    assert [p.id for p in safety] == ["safety", "safety-2"]
