"""Fewer taps without less care: "none of these apply", one interruption per warning sign,
a way to say "I chose the wrong answer", results that start with what to do next."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from personas import SAFE, SEED

from screening import Catalogue, create_app
from screening.config import Settings
from screening.journey import Journey, pages_of
from screening.web.forms import none_answers

from .conftest import Visitor, fields_on, form_data, walk


def none_page(rules: Catalogue) -> str:
    """The first page after the safety page that offers "Answer No to the rest"."""
    journey = Journey.start(rules, SEED)
    for page in journey.shown_pages[1:]:
        if none_answers(journey.questions_on(page)):
            return page.id
    raise AssertionError("no page offers 'Answer No to the rest'")


def test_none_of_these_answers_no_to_every_blank_question(
    visitor: Visitor, rules: Catalogue
) -> None:
    page_id = none_page(rules)
    walk(visitor, SEED, stop_at=f"/questions/{page_id}")
    html = visitor.get(f"/questions/{page_id}").get_data(as_text=True)
    assert "Answer “No” to the rest" in html
    names = fields_on(html)
    response = visitor.post(f"/questions/{page_id}", {"none_apply": "yes"})
    assert response.status_code == 302 and response.location != f"/questions/{page_id}"
    answers = visitor.session()["a"]
    expected = none_answers([rules.questions[n] for n in names])
    assert expected and all(answers[q] == value for q, value in expected.items())


def test_no_to_the_rest_keeps_a_yes_the_person_chose(visitor: Visitor, rules: Catalogue) -> None:
    page_id = none_page(rules)
    walk(visitor, SEED, stop_at=f"/questions/{page_id}")
    names = fields_on(visitor.get(f"/questions/{page_id}").get_data(as_text=True))
    yesno = [n for n in names if rules.questions[n].type == "yesno"]
    response = visitor.post(f"/questions/{page_id}", {"none_apply": "yes", yesno[0]: "yes"})
    assert response.status_code == 302
    answers = visitor.session()["a"]
    assert answers[yesno[0]] == "yes"  # never overwritten
    assert all(answers[n] == "no" for n in yesno[1:])


def test_the_safety_page_keeps_an_explicit_answer_for_every_item(
    visitor: Visitor, rules: Catalogue
) -> None:
    visitor.start()
    html = visitor.get("/questions/safety").get_data(as_text=True)
    assert "Answer “No” to the rest" not in html


def test_a_warning_sign_and_its_follow_up_interrupt_once(
    visitor: Visitor, rules: Catalogue
) -> None:
    journey = Journey(rules, {})
    safety = journey.first_page
    follow_up = next(
        p for p in pages_of(rules) if p.section.id == safety.section.id and p.part == 2
    )
    # A "not sure" on the main page, then the follow-up says yes: one interruption, after it.
    trigger = next(
        q.id
        for q in safety.questions
        if any(q.id in str(f.show_if) for f in follow_up.questions)  # what the follow-up reads
    )
    answers = {**SAFE, trigger: "not_sure", **{q.id: "yes" for q in follow_up.questions}}
    visited = walk(visitor, {**SEED, **answers})
    assert visited.count("/urgent") == 1
    assert visited[visited.index("/urgent") - 1] == f"/questions/{follow_up.id}"


def test_an_emergency_interrupts_at_once_even_before_follow_ups(
    visitor: Visitor, rules: Catalogue
) -> None:
    emergency = next(
        f for f in rules.flags if f.action == "emergency" and str(f.when).count("safety_") == 1
    )
    qid = next(q.id for q in rules.sections[0].questions if q.id in str(emergency.when))
    visitor.start()
    html = visitor.get("/questions/safety").get_data(as_text=True)
    data = form_data({**SAFE, qid: "yes", "safety_foot_wound": "yes"}, fields_on(html))
    assert visitor.post("/questions/safety", data).location == "/urgent"


def test_the_urgent_page_offers_to_change_the_answer(visitor: Visitor) -> None:
    visitor.start()
    html = visitor.get("/questions/safety").get_data(as_text=True)
    visitor.post(
        "/questions/safety", form_data({**SAFE, "safety_breathing": "yes"}, fields_on(html))
    )
    page = visitor.get("/urgent").get_data(as_text=True)
    assert "I chose the wrong answer: change it" in page
    assert 'href="/questions/safety?change=1"' in page


def test_results_start_with_what_to_do_next(visitor: Visitor, rules: Catalogue) -> None:
    walk(visitor, SEED)
    html = visitor.get("/results").get_data(as_text=True)
    steps = html.split('id="next-steps-title"')[1].split("</ol>")[0]
    assert 1 <= steps.count("<li>") <= 3
    assert "Bring your summary" in steps
    assert html.index("What to do next") < html.index('class="card')
    assert html.index("Download your summary (PDF)") < html.index('class="card')
    assert "Nerve problems can be silent" in html or "nerve damage can be silent" in html


def test_results_say_how_many_questions_were_skipped(visitor: Visitor) -> None:
    walk(visitor, {**SAFE, "final_disclaimer_ack": "yes"})
    html = visitor.get("/results").get_data(as_text=True)
    assert "You skipped" in html and "could change these results" in html
    assert "did not match any of the topics" in html


@pytest.fixture
def kiosk(rules: Catalogue, tmp_path: Path) -> Flask:
    return create_app(
        Settings(secret_key="k", kiosk=True, instance_dir=tmp_path / "i"), rules=rules
    )


def test_the_kiosk_prints_and_never_downloads(kiosk: Flask) -> None:
    visitor = Visitor(kiosk.test_client())
    walk(visitor, SEED)
    html = visitor.get("/results").get_data(as_text=True)
    assert "Download your summary" not in html and "Print your results" in html
    assert visitor.post("/results/pdf", {"paper": "letter"}).status_code == 404
