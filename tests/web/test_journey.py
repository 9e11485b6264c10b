"""The patient's journey through the Flask test client: every route and branch."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from personas import PERSONA_1, PERSONA_2, PERSONA_3, SAFE, SEED

from screening import cached_rules, evaluate
from screening.summary import build_summary

from .conftest import Visitor, fields_on, form_data, walk

RULES = cached_rules()
SAFETY_FIRST_PAGE = [q.id for q in RULES.sections[0].questions if q.show_if is None]


def text_of(response: Any) -> str:
    return str(response.get_data(as_text=True))


def error_links(html: str) -> list[tuple[str, str]]:
    box = html.split('class="error-summary"', 1)
    if len(box) < 2:
        return []
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a>', box[1].split("</div>", 1)[0])


def test_start_page_says_what_this_is_and_starts_the_safety_check(visitor: Visitor) -> None:
    page = text_of(visitor.get("/"))
    assert "not a diagnosis" in page
    assert "adults" in page
    assert "/privacy" in page
    assert f"Rules version {RULES.meta.version}" in page
    first = visitor.start()
    assert first == "/questions/safety"
    html = text_of(visitor.get(first))
    assert fields_on(html) == SAFETY_FIRST_PAGE


def test_question_pages_need_a_started_session(visitor: Visitor) -> None:
    response = visitor.get("/questions/gut")
    assert response.status_code == 302 and response.location == "/"


def test_later_pages_wait_for_the_safety_answers(visitor: Visitor) -> None:
    visitor.start()
    response = visitor.get("/questions/gut")
    assert response.location == "/questions/safety"


def test_missing_safety_answers_give_a_summary_inline_errors_and_keep_what_was_chosen(
    visitor: Visitor,
) -> None:
    visitor.start()
    response = visitor.post_with_errors("/questions/safety", {"safety_climbing": "no"})
    html = text_of(response)
    assert "<title>Error: " in html
    links = error_links(html)
    assert [target for target, _ in links] == [f"{q}-1" for q in SAFETY_FIRST_PAGE[1:]]
    for target, message in links:
        assert f'id="{target}"' in html  # the link lands on the first radio of that question
        assert message in html.split("error-summary", 2)[2]  # the same words inline
    assert 'value="no" checked' in html.split('id="q-safety_climbing"')[1].split("</fieldset>")[0]


def test_a_yes_on_the_safety_page_interrupts_at_once_then_lets_the_person_continue(
    visitor: Visitor,
) -> None:
    visitor.start()
    data = {q: "no" for q in SAFETY_FIRST_PAGE} | {"safety_breathing": "yes"}
    response = visitor.post("/questions/safety", data)
    assert response.location == "/urgent"
    html = text_of(visitor.get("/urgent"))
    assert "Get help now" in html
    assert f"Call {RULES.meta.emergency_number} now" in html
    assert RULES.flags_by_id["breathing_swallowing"].title in html
    response = visitor.post("/urgent")
    assert response.location == "/questions/about_you"  # no safety follow-up applies
    # Once seen, the same flag does not interrupt again on later pages.
    visitor.get("/questions/about_you")
    response = visitor.post("/questions/about_you", {"age": "60", "sex": "male"})
    assert response.location == "/questions/symptoms_feelings"


def test_not_sure_gets_the_softer_check_today_message(visitor: Visitor) -> None:
    visitor.start()
    data = {q: "no" for q in SAFETY_FIRST_PAGE} | {"safety_stroke": "not_sure"}
    assert visitor.post("/questions/safety", data).location == "/urgent"
    html = text_of(visitor.get("/urgent"))
    assert "Please check these signs today" in html
    assert "Get help now" not in html
    assert "sudden signs of a stroke" in html  # the sign named in the person's words


def test_an_urgent_flag_from_a_later_page_interrupts_right_after_that_page(
    visitor: Visitor,
) -> None:
    answers = {
        **PERSONA_1,
        "symptom_numb": "yes",
        "med_fluoroquinolone": "yes",
        "med_fluoroquinolone_timing": "yes",
    }
    visited = walk(visitor, answers)
    position = visited.index("/urgent")
    assert visited[position - 1].startswith("/questions/medicines_other")
    assert visited.count("/urgent") == 1


def test_follow_up_questions_appear_only_when_they_apply(visitor: Visitor) -> None:
    walk(visitor, {**PERSONA_1, "diabetes": "no"})
    follow_ups = fields_on(text_of(visitor.get("/questions/diabetes_sugar-2")))
    assert follow_ups == ["prediabetes"]
    other = Visitor(visitor.client.application.test_client())
    walk(other, {**PERSONA_1, "diabetes": "type_2", "diabetes_years": 3})
    follow_ups = fields_on(text_of(other.get("/questions/diabetes_sugar-2")))
    assert follow_ups == ["diabetes_years", "diabetes_foot_test", "diabetes_fast_drop"]
    assert other.session()["a"]["diabetes_years"] == 3


def test_a_foot_wound_asks_about_infection_and_foot_risk_on_the_next_page(
    visitor: Visitor,
) -> None:
    visitor.start()
    data = {q: "no" for q in SAFETY_FIRST_PAGE} | {"safety_foot_wound": "yes"}
    # A sore alone is not urgent yet: whether it is depends on the follow-ups.
    assert visitor.post("/questions/safety", data).location == "/questions/safety-2"
    html = text_of(visitor.get("/questions/safety-2"))
    assert fields_on(html) == ["safety_foot_infection", "safety_foot_risk"]
    response = visitor.post(
        "/questions/safety-2", {"safety_foot_infection": "no", "safety_foot_risk": "yes"}
    )
    assert response.location == "/urgent"  # a sore on an at-risk foot: care today
    assert RULES.flags_by_id["foot_wound"].title in text_of(visitor.get("/urgent"))


def test_number_errors_are_specific_and_keep_every_typed_answer(visitor: Visitor) -> None:
    walk(visitor, PERSONA_1, stop_at="/questions/about_you")
    response = visitor.post_with_errors("/questions/about_you", {"age": "fifty", "sex": "female"})
    html = text_of(response)
    assert error_links(html) == [("age", "Enter a whole number of years, like 58")]
    assert 'value="fifty"' in html
    assert 'value="female" checked' in html


def test_an_age_under_18_ends_the_check_kindly(visitor: Visitor) -> None:
    walk(visitor, PERSONA_1, stop_at="/questions/about_you")
    response = visitor.post("/questions/about_you", {"age": "16"})
    assert response.location == "/stop/age"
    html = text_of(visitor.get("/stop/age"))
    assert "This check is for adults" in html
    assert (RULES.questions["age"].under_min_message or "").split(".")[0] in html


def test_years_with_diabetes_cannot_be_more_than_age(visitor: Visitor) -> None:
    answers = {**PERSONA_1, "age": 50, "diabetes": "type_1"}
    walk(visitor, answers, stop_at="/questions/diabetes_sugar-2")
    response = visitor.post_with_errors("/questions/diabetes_sugar-2", {"diabetes_years": "70"})
    assert error_links(text_of(response)) == [
        ("diabetes_years", "Enter a number no bigger than 50 (your age)")
    ]


def test_none_of_these_cannot_be_ticked_with_other_answers(visitor: Visitor) -> None:
    walk(visitor, PERSONA_1, stop_at="/questions/medicines_other")
    response = visitor.post_with_errors(
        "/questions/medicines_other",
        {"med_other_nerve": ["amiodarone", "none"], "med_statin": "yes"},
    )
    html = text_of(response)
    ((target, message),) = error_links(html)
    assert target == "med_other_nerve-1"
    assert message.startswith("“None of these”") or "cannot be chosen with other answers" in message
    assert 'value="amiodarone" checked' in html
    assert 'value="yes" checked' in html.split('id="q-med_statin"')[1]


def test_back_link_goes_to_the_previous_page_that_was_shown(visitor: Visitor) -> None:
    walk(visitor, PERSONA_1, stop_at="/questions/about_you")
    html = text_of(visitor.get("/questions/about_you"))
    assert 'class="back-link" href="/questions/safety"' in html
    first = text_of(visitor.get("/questions/safety"))
    assert 'class="back-link" href="/"' in first


def test_check_answers_lists_answers_in_words_with_change_links(visitor: Visitor) -> None:
    walk(visitor, SEED)
    html = text_of(visitor.get("/check"))
    assert "Yes, type 2" in html  # the choice label, not the code type_2
    assert "250 mg a day" in html
    assert 'href="/questions/diabetes_sugar?change=1#q-diabetes"' in html
    assert RULES.questions["final_disclaimer_ack"].label not in html


def test_changing_an_answer_asks_new_follow_ups_then_returns_to_check(visitor: Visitor) -> None:
    walk(visitor, PERSONA_1)
    response = visitor.post("/questions/diabetes_sugar?change=1", {"diabetes": "type_1"})
    assert response.location == "/questions/diabetes_sugar-2?change=1"
    response = visitor.post(
        "/questions/diabetes_sugar-2?change=1",
        {"diabetes_years": "2", "diabetes_foot_test": "never"},
    )
    assert response.location == "/check#row-diabetes_years"  # back to the row that changed


def test_changing_an_answer_that_hides_questions_drops_their_answers(visitor: Visitor) -> None:
    walk(visitor, SEED)
    assert "diabetes_years" in visitor.session()["a"]
    response = visitor.post("/questions/diabetes_sugar?change=1", {"diabetes": "no"})
    assert response.location == "/questions/diabetes_sugar-2?change=1"  # asks about prediabetes
    assert visitor.post(response.location, {"prediabetes": "no"}).location.startswith("/check")
    answers = visitor.session()["a"]
    assert answers["diabetes"] == "no"
    assert "diabetes_years" not in answers and "diabetes_foot_test" not in answers
    assert "Yes, type 2" not in text_of(visitor.get("/check"))


def test_results_follow_the_evaluation_level_by_level(visitor: Visitor) -> None:
    walk(visitor, SEED)
    html = text_of(visitor.get("/results"))
    expected = evaluate(SEED)
    positions = [html.index(f'id="flag-{f.id}"') for f in expected.flags]
    assert positions == sorted(positions)
    assert "Talk with your doctor about" in html
    for test in expected.tests:
        assert test.name in html
    assert "Download your summary (PDF)" in html


def test_tests_done_in_the_last_year_say_ask_what_it_showed(visitor: Visitor) -> None:
    walk(visitor, PERSONA_3)
    html = text_of(visitor.get("/results"))
    done = [t for t in evaluate(PERSONA_3).tests if t.done_recently]
    assert done
    for test in done:
        merged_list = html.split('class="test-list"', 1)[1]
        item = merged_list.split(test.name, 1)[1].split("</li>", 1)[0]
        assert "ask what it showed" in item


def test_results_for_a_person_with_nothing_found_never_say_all_clear(visitor: Visitor) -> None:
    walk(visitor, PERSONA_1)
    html = text_of(visitor.get("/results"))
    assert "did not match any of the topics" in html
    assert "you are fine" not in html.lower()


def test_results_wait_for_the_final_confirmation(visitor: Visitor) -> None:
    answers = {k: v for k, v in PERSONA_3.items() if k != "final_disclaimer_ack"}
    walk(visitor, answers, stop_at="/questions/finish")
    response = visitor.get("/results")
    assert response.location == "/questions/finish"
    html = text_of(visitor.post_with_errors("/questions/finish", {}))
    assert error_links(html) == [
        ("final_disclaimer_ack", "Tick the box to show you understand, then select Continue")
    ]


def test_start_over_clears_everything(visitor: Visitor) -> None:
    walk(visitor, PERSONA_2 | {"final_disclaimer_ack": "yes"})
    assert visitor.session().get("a")
    # "Start over" asks first (a page of its own: no JavaScript needed) ...
    assert visitor.post("/start-over").location == "/start-over"
    page = text_of(visitor.get("/start-over"))
    assert "Start over?" in page and "No, keep my answers" in page
    assert visitor.session().get("a")
    # ... and clears only when the person says yes.
    response = visitor.post("/start-over", {"confirm": "yes"})
    assert response.location == "/"
    assert visitor.session().get("a") is None
    assert "Your answers have been cleared" in text_of(visitor.get("/"))
    assert visitor.get("/check").location == "/"


def test_persona_answers_round_trip_through_the_pages(visitor: Visitor) -> None:
    walk(visitor, PERSONA_3)
    stored = visitor.session()["a"]
    assert stored == dict(evaluate(PERSONA_3).answers)


def test_form_data_helper_only_sends_fields_the_page_has() -> None:
    assert form_data({"a": 1, "b": ["x"]}, ["b", "c"]) == {"b": ["x"]}
    assert SAFE["safety_climbing"] == "no"


def test_urgent_flags_come_first_on_the_results_page(visitor: Visitor) -> None:
    answers = {**PERSONA_2, "final_disclaimer_ack": "yes"}
    walk(visitor, answers)
    html = text_of(visitor.get("/results"))
    first_urgent = html.index('id="flag-climbing_weakness"')
    assert first_urgent < html.index("This is not a diagnosis") < html.index("On this page")
    assert f'href="tel:{RULES.meta.emergency_number}"' in html


def test_results_and_pdf_number_sources_the_same_way(visitor: Visitor) -> None:
    walk(visitor, SEED)
    html = html_lib.unescape(text_of(visitor.get("/results")))
    summary = build_summary(RULES, SEED)
    for number, source in enumerate(summary.sources, start=1):
        item = html.split(f'id="source-{number}"', 1)[1].split("</li>", 1)[0]
        assert source.citation.split(".")[0] in item
    from screening.pdf import summary_html

    pdf_html = summary_html(summary)
    assert f"[{len(summary.sources)}]" in pdf_html
    flag = summary.discuss[0]
    numbers = "".join(f"[{summary.source_number(s.tag)}]" for s in flag.sources)
    assert f"(sources {numbers})" in pdf_html
    assert "Where this comes from: " in html


def test_check_page_back_link_goes_to_the_last_page(visitor: Visitor) -> None:
    walk(visitor, SEED)
    assert 'class="back-link" href="/questions/finish"' in text_of(visitor.get("/check"))
