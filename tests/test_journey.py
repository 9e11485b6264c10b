"""The journey core (screening.journey), without Flask: every decision the views used to hold."""

from __future__ import annotations

import pytest
from rule_files import MINI

from screening.journey import Journey, Where
from screening.rules import Catalogue, cached_rules


@pytest.fixture(scope="module")
def mini() -> Catalogue:
    return cached_rules(MINI)


def ids(pages: object) -> list[str]:
    return [p.id for p in pages]  # type: ignore[attr-defined]


def test_pages_that_apply_follow_the_answers(mini: Catalogue) -> None:
    fresh = Journey.start(mini, {})
    assert "about-2" not in ids(fresh.shown_pages)  # pregnancy is asked of women only
    assert "symptoms-2" not in ids(fresh.shown_pages)  # sides: only with symptoms
    later = Journey.start(mini, {"sex": "female", "numb": "yes"})
    assert {"about-2", "symptoms-2"} <= set(ids(later.shown_pages))


def test_next_and_previous_skip_pages_that_do_not_apply(mini: Catalogue) -> None:
    journey = Journey.start(mini, {"sex": "male"})
    about = journey.page("about")
    assert about is not None
    nxt = journey.next_page(about)
    assert nxt is not None and nxt.id == "symptoms"
    assert journey.previous_page(nxt) == about
    assert journey.previous_page(journey.first_page) is None


def test_required_questions_must_be_answered_first(mini: Catalogue) -> None:
    journey = Journey.start(mini, {})
    later = journey.page("symptoms")
    assert later is not None
    missing = journey.first_missing_required(before=later)
    assert missing is not None and missing.id == "safety"
    answered = Journey.start(mini, {"climbing": "no"})
    assert answered.first_missing_required(before=later) is None
    assert not answered.complete  # the confirm box at the end is required too


def test_answers_to_questions_a_change_hides_are_dropped(mini: Catalogue) -> None:
    journey = Journey.start(mini, {"climbing": "no", "sex": "female", "pregnant": "no"})
    about = journey.page("about")
    assert about is not None
    saved = journey.save(about, {"sex": "male"})
    assert "pregnant" not in saved.journey.answers
    assert saved.hidden == ("pregnant",)


def test_an_age_under_the_minimum_stops_kindly(mini: Catalogue) -> None:
    journey = Journey.start(mini, {"climbing": "no"})
    about = journey.page("about")
    assert about is not None
    saved = journey.save(about, {"age": 16})
    assert saved.stop is not None and saved.stop.id == "age"
    assert journey.save(about, {"age": 40}).stop is None


def test_a_new_urgent_flag_interrupts_once(mini: Catalogue) -> None:
    journey = Journey.start(mini, {})
    saved = journey.save(journey.first_page, {"climbing": "yes"})
    assert saved.new_urgent == ("climbing_flag",)
    assert saved.go == Where("about")
    again = saved.journey.save(
        journey.first_page, {"climbing": "yes"}, seen_urgent=["climbing_flag"]
    )
    assert again.new_urgent == ()


def test_after_a_change_revealed_questions_come_first_then_the_changed_row(
    mini: Catalogue,
) -> None:
    journey = Journey.start(mini, {"climbing": "no", "sex": "male", "numb": "no"})
    symptoms = journey.page("symptoms")
    assert symptoms is not None
    saved = journey.save(symptoms, {"numb": "yes"}, changing=True)
    assert saved.go == Where("symptoms-2", changing=True)  # sides: newly shown
    assert saved.todo == ("sides",)
    follow = saved.journey.page("symptoms-2")
    assert follow is not None
    done = saved.journey.save(follow, {"sides": "both"}, changing=True, todo=saved.todo)
    assert done.go == Where(None, anchor="sides") and done.todo == ()


def test_a_change_that_reveals_nothing_returns_to_its_row(mini: Catalogue) -> None:
    journey = Journey.start(mini, {"climbing": "no", "sex": "male", "age": 50})
    about = journey.page("about")
    assert about is not None
    saved = journey.save(about, {"sex": "male", "age": 51}, changing=True)
    assert saved.go == Where(None, anchor="age")


def test_the_page_to_change_is_where_the_flags_answer_was_given(mini: Catalogue) -> None:
    journey = Journey.start(mini, {"climbing": "yes"})
    page = journey.page_to_change("climbing_flag")
    assert page is not None and page.id == "safety"


def test_check_rows_group_answers_by_section_without_the_confirm_box(mini: Catalogue) -> None:
    journey = Journey.start(mini, {"climbing": "no", "sex": "female", "ack": "yes"})
    sections = journey.check_sections()
    titles = [s.section.title for s in sections]
    assert titles == ["Safety", "About you", "Symptoms"]
    about = sections[1]
    assert [(r.question.id, r.answer) for r in about.rows] == [
        ("age", None),
        ("sex", "Female"),
        ("pregnant", None),
    ]
    assert all(r.question.type != "confirm" for s in sections for r in s.rows)


def test_the_real_rules_walk_from_start_to_finish() -> None:
    rules = cached_rules()
    journey = Journey.start(rules, {})
    page = journey.first_page
    seen = []
    for _ in range(60):
        seen.append(page.id)
        given = {q.id: "no" for q in journey.questions_on(page) if q.type == "yesno"}
        given |= {q.id: "yes" for q in journey.questions_on(page) if q.type == "confirm"}
        saved = journey.save(page, given)
        journey = saved.journey
        if saved.go.page_id is None:
            break
        nxt = journey.page(saved.go.page_id)
        assert nxt is not None
        page = nxt
    assert journey.complete
    assert len(seen) == len(set(seen))  # no page twice
