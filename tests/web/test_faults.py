"""Faults a real deployment meets: rules that change mid-journey, answers too big for a cookie,
crafted input. Each is refused plainly, and nothing the person typed is lost."""

from __future__ import annotations

import logging
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from personas import SAFE, SEED

import screening.web.state
from screening import Catalogue, create_app
from screening.config import Settings
from screening.journey import pages_of
from screening.rules.store import RulesStore
from screening.web.session import MAX_COOKIE_BYTES

from .conftest import Visitor, fields_on, form_data, walk


def text_questions(rules: Catalogue) -> list[str]:
    return [q.id for q in rules.ordered_questions() if q.type == "text"]


def emoji_text(length: int, seed: int = 1) -> str:
    """Varied emoji (4 UTF-8 bytes each): the worst case for a cookie, they barely compress."""
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x1F300, 0x1F650)) for _ in range(length))


def cookie_size(visitor: Visitor) -> int:
    cookie = visitor.client.get_cookie("screening_session")
    return 0 if cookie is None else len(cookie.key) + 1 + len(cookie.value)


def page_with(visitor: Visitor, rules: Catalogue, qid: str, answers: dict[str, Any] = SEED) -> str:
    """Walk ``answers`` to the page that asks ``qid``; returns its path."""
    page_id = next(p.id for p in pages_of(rules) if qid in [q.id for q in p.questions])
    walk(visitor, answers, stop_at=f"/questions/{page_id}")
    return f"/questions/{page_id}"


def test_the_longest_emoji_text_in_every_text_field_is_kept_or_refused_plainly(
    visitor: Visitor, rules: Catalogue
) -> None:
    # As long as a text answer may be: its character limit, or its byte limit in emoji.
    longest = {
        qid: emoji_text(rules.questions[qid].max_length // 2, seed=n)
        for n, qid in enumerate(text_questions(rules))
    }
    answers = {**SEED, **longest, "final_disclaimer_ack": "yes"}
    path = visitor.start()
    for _ in range(80):
        if path.startswith("/check"):
            break
        if path == "/urgent":
            response = visitor.post("/urgent")
        else:
            html = visitor.get(path).get_data(as_text=True)
            response = visitor.post(path, form_data(answers, fields_on(html)))
        if response.location == path:  # refused: a plain message, and the text is still there
            html = visitor.get(path).get_data(as_text=True)
            assert "Your answers are too long for us to keep" in html
            assert any(text in html for text in longest.values())
            return
        assert response.status_code == 302
        assert cookie_size(visitor) <= MAX_COOKIE_BYTES
        path = response.location
    check = visitor.get("/check").get_data(as_text=True)
    for text in longest.values():  # every word kept, nothing silently dropped
        assert text in check


def test_a_cookie_that_would_be_too_big_is_refused_with_the_text_kept(
    visitor: Visitor, rules: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    qid = text_questions(rules)[0]
    path = page_with(visitor, rules, qid)
    before = visitor.session()["a"]
    monkeypatch.setattr(screening.web.state, "MAX_COOKIE_BYTES", cookie_size(visitor) + 40)
    html = visitor.get(path).get_data(as_text=True)
    typed = "I take fish oil and a green tea pill every morning. " * 4
    response = visitor.post(path, {**form_data(SEED, fields_on(html)), qid: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Your answers are too long for us to keep" in page
    assert typed.strip() in page  # what they typed is still in the box
    assert visitor.session()["a"] == before  # and nothing half-saved


def test_text_over_its_byte_limit_gets_a_plain_message(visitor: Visitor, rules: Catalogue) -> None:
    qid = text_questions(rules)[0]
    path = page_with(visitor, rules, qid)
    html = visitor.get(path).get_data(as_text=True)
    too_long = emoji_text(rules.questions[qid].max_length)  # within characters, not bytes
    response = visitor.post_with_errors(path, {**form_data(SEED, fields_on(html)), qid: too_long})
    assert "emoji and some symbols take up more room" in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["9" * 4301, "5,8", "1,2,0", "58.0", "٥٨", "1e3"])
def test_numbers_that_are_not_plain_whole_numbers_are_refused(
    visitor: Visitor, rules: Catalogue, typed: str
) -> None:
    path = page_with(visitor, rules, "age", SAFE)
    html = visitor.get(path).get_data(as_text=True)
    response = visitor.post_with_errors(path, {**form_data(SEED, fields_on(html)), "age": typed})
    assert "Enter a whole number of years, like 58" in response.get_data(as_text=True)
    assert "age" not in visitor.session()["a"]


def test_a_number_with_thousands_commas_is_read(visitor: Visitor, rules: Catalogue) -> None:
    qid = next(
        q.id
        for q in rules.ordered_questions()
        if q.type == "number" and (q.unit or "").startswith("mg")
    )
    answers = {**SEED, "supp_magnesium": "yes", "supp_b6": "yes"}
    path = page_with(visitor, rules, qid, answers)
    html = visitor.get(path).get_data(as_text=True)
    assert qid in fields_on(html)
    response = visitor.post(path, {**form_data(answers, fields_on(html)), qid: "1,000"})
    assert response.status_code == 302
    assert visitor.session()["a"][qid] == 1000


def test_direction_and_zero_width_characters_are_removed_from_text(
    visitor: Visitor, rules: Catalogue
) -> None:
    qid = text_questions(rules)[0]
    path = page_with(visitor, rules, qid)
    html = visitor.get(path).get_data(as_text=True)
    typed = "fish\u202e lio\u200b oil\u2066"
    visitor.post(path, {**form_data(SEED, fields_on(html)), qid: typed})
    assert visitor.session()["a"][qid] == "fish lio oil"


def test_a_crafted_url_cannot_write_a_log_line_of_its_own(
    visitor: Visitor, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="screening.request"):
        visitor.get("/x%0a2026-12-01T10:00:00 INFO screening.request request id=forged status=200")
    lines = [r.getMessage() for r in caplog.records if r.name == "screening.request"]
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert " id=forged" not in lines[0] and "\\x0a" in lines[0]


# --- rules that change while someone is answering ---------------------------------------------


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))


@pytest.fixture
def live_app(rules_copy: Path, tmp_path: Path, rules: Catalogue) -> Flask:
    app = create_app(Settings(secret_key="k", rules_path=rules_copy, instance_dir=tmp_path / "i"))
    app.extensions["rules_store"] = RulesStore(
        rules_copy, check_every=0, settle=0, last_good_dir=tmp_path / "i"
    )
    return app


def answers_of(visitor: Visitor) -> dict[str, Any]:
    return dict(visitor.session()["a"])


def test_an_answer_the_new_rules_do_not_know_is_kept_for_when_it_comes_back(
    live_app: Flask, rules_copy: Path
) -> None:
    visitor = Visitor(live_app.test_client())
    walk(visitor, SEED, stop_at="/questions/gut")
    assert answers_of(visitor)["diabetes"] == "type_2"
    rewrite(rules_copy, "- id: diabetes\n", "- id: diabetes_renamed\n")  # the editor renames it
    rewrite(rules_copy, "q: diabetes,", "q: diabetes_renamed,")
    html = visitor.get("/questions/gut").get_data(as_text=True)
    visitor.post("/questions/gut", form_data(SEED, fields_on(html)))
    assert answers_of(visitor)["diabetes"] == "type_2"  # still in the session, unused
    rewrite(rules_copy, "- id: diabetes_renamed\n", "- id: diabetes\n")  # and back again
    rewrite(rules_copy, "q: diabetes_renamed,", "q: diabetes,")
    assert "type 2" in visitor.get("/check").get_data(as_text=True).lower()


def test_a_post_to_a_page_that_no_longer_exists_keeps_what_was_typed(
    live_app: Flask, rules_copy: Path
) -> None:
    visitor = Visitor(live_app.test_client())
    walk(visitor, SEED, stop_at="/questions/gut")
    html = visitor.get("/questions/gut").get_data(as_text=True)
    typed = form_data({**SEED, "gut_celiac": "yes"}, fields_on(html))
    rewrite(rules_copy, "  - id: gut\n", "  - id: stomach\n")  # the page is renamed meanwhile
    response = visitor.post("/questions/gut", typed)
    assert response.status_code == 302 and response.location == "/check"
    check = visitor.get("/check").get_data(as_text=True)
    assert "The questions were updated while you were answering" in check
    assert answers_of(visitor)["gut_celiac"] == "yes"
