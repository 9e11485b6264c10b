"""Security and privacy: headers, CSRF, cookie, request limits, secret key, logs."""

from __future__ import annotations

import logging
import random
import re
import string
from typing import Any

import pytest
from flask import Flask
from personas import PERSONA_3, SEED

from screening import cached_rules, create_app
from screening.config import Settings, SettingsError
from screening.questionnaire.model import EXCLUSIVE_CHOICES

from .conftest import Visitor, walk

RULES = cached_rules()
PAGES = ["/", "/privacy", "/rules", "/questions/safety", "/check", "/results", "/no-such-page"]


def longest_answers() -> dict[str, Any]:
    """Every question answered with its longest allowed value (random text compresses badly)."""
    rng = random.Random(7)
    answers: dict[str, Any] = {}
    for q in RULES.ordered_questions():
        values = q.choice_values()
        if q.type == "multi":
            answers[q.id] = [v for v in values if v not in EXCLUSIVE_CHOICES]
        elif q.type in ("yesno", "single"):
            # "yes" opens the most follow-up questions; for other choices take the longest code
            answers[q.id] = "yes" if q.type == "yesno" else max(values, key=len)
        elif q.type == "confirm":
            answers[q.id] = "yes"
        elif q.type == "number":
            answers[q.id] = q.max if not q.not_above else min(q.max or 0, 99)
        else:
            answers[q.id] = "".join(
                rng.choice(string.ascii_letters + " ") for _ in range(q.max_length)
            )
    answers["age"] = 99
    answers["diabetes"] = "type_1"
    answers["sex"] = "female"
    return answers


def test_the_longest_possible_answers_fit_in_one_cookie(visitor: Visitor) -> None:
    answers = longest_answers()
    walk(visitor, answers)
    stored = visitor.session()["a"]
    assert len(stored) > 80  # nearly every question was asked and answered
    cookie = visitor.client.get_cookie("screening_session")
    assert cookie is not None
    assert len(cookie.value) < 4000, len(cookie.value)


def test_every_response_carries_the_security_headers(visitor: Visitor) -> None:
    visitor.start()
    for path in PAGES:
        response = visitor.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert "default-src 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store", path


def test_pages_have_no_inline_script_or_style(visitor: Visitor) -> None:
    walk(visitor, SEED)
    for path in [*PAGES, "/questions/diabetes_sugar-2", "/results"]:
        html = visitor.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"<[^>]+\son[a-z]+=", html), path  # no inline event handlers


def test_session_cookie_is_httponly_and_lax(visitor: Visitor) -> None:
    response = visitor.post("/start")
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header


def test_cookie_is_secure_when_configured() -> None:
    app = create_app(Settings(secret_key="k", cookie_secure=True))
    visitor = Visitor(app.test_client())
    visitor.get("/")
    assert "Secure" in visitor.post("/start").headers["Set-Cookie"]


def test_answers_never_appear_in_urls(visitor: Visitor) -> None:
    visited = walk(visitor, SEED)
    for path in visited:
        assert "?" not in path or path.endswith("?change=1")


def test_a_missing_csrf_token_reshows_the_page_with_the_typed_values(visitor: Visitor) -> None:
    walk(visitor, SEED, stop_at="/questions/about_you")
    response = visitor.post_with_errors(
        "/questions/about_you", {"age": "61", "sex": "male"}, token=False
    )
    html = response.get_data(as_text=True)
    assert "Please check this page and select Continue again" in html
    assert 'value="61"' in html and 'value="male" checked' in html
    # Earlier answers are still there, and the fresh token on the page works.
    assert visitor.session()["a"]["safety_climbing"] == "no"
    again = visitor.post("/questions/about_you", {"age": "61", "sex": "male"})
    assert again.status_code == 302
    assert visitor.session()["a"]["age"] == 61


def test_a_stale_token_after_the_session_ended_says_so_plainly(app: Flask) -> None:
    visitor = Visitor(app.test_client())
    visitor.start()
    visitor.client.delete_cookie("screening_session")
    response = visitor.post("/questions/safety", {"safety_climbing": "no"})
    assert response.status_code == 400
    assert "Your answers were cleared" in response.get_data(as_text=True)


def test_other_forms_with_a_bad_token_offer_to_try_again(visitor: Visitor) -> None:
    visitor.start()
    response = visitor.post("/start-over", {"csrf_token": "forged"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please try again" in html and 'action="/start-over"' in html
    assert visitor.session().get("a") is not None  # nothing was cleared by a forged post


def test_too_large_a_request_gets_a_friendly_page(visitor: Visitor) -> None:
    walk(visitor, SEED, stop_at="/questions/supplements")
    response = visitor.post("/questions/supplements", {"supp_other": "x" * 100_000})
    assert response.status_code == 413
    assert "That was too much text" in response.get_data(as_text=True)
    assert visitor.session()["a"]["age"] == SEED["age"]


def test_a_long_text_answer_gets_a_clear_limit_message(visitor: Visitor) -> None:
    walk(visitor, SEED, stop_at="/questions/supplements")
    limit = RULES.questions["supp_other"].max_length
    response = visitor.post_with_errors(
        "/questions/supplements", {"supp_other": "y" * (limit + 5), "supp_b12": "yes"}
    )
    html = response.get_data(as_text=True)
    assert f"Use {limit} characters or fewer. You have typed {limit + 5}" in html
    assert "y" * (limit + 5) in html  # the text is kept for the person to shorten


def test_unknown_pages_and_methods_get_friendly_pages(visitor: Visitor) -> None:
    response = visitor.get("/questions/not-a-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    response = visitor.client.delete("/")
    assert response.status_code == 405


def test_healthz_reports_the_rules_version(visitor: Visitor) -> None:
    body = visitor.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["rules_version"] == RULES.meta.version
    assert body["rules_hash"] == RULES.content_hash


def test_production_asks_browsers_to_stay_on_https() -> None:
    app = create_app(Settings(secret_key="k" * 32, env="production"))
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert (
        "Strict-Transport-Security"
        not in create_app(Settings(secret_key="k")).test_client().get("/").headers
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(SettingsError, match="SCREENING_SECRET_KEY is not set"):
        create_app(Settings(env="production"))


def test_production_refuses_a_short_secret_key() -> None:
    with pytest.raises(SettingsError, match=r"too short \(8 bytes\)"):
        Settings.from_env({"SCREENING_ENV": "production", "SCREENING_SECRET_KEY": "hunter22"})
    assert Settings.from_env(
        {"SCREENING_ENV": "production", "SCREENING_SECRET_KEY": "x" * 32}
    ).production


def test_development_without_a_key_starts_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        app = create_app(Settings())
    assert app.secret_key
    assert "random key" in caplog.text


def test_no_answer_or_name_reaches_the_logs(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    secret_text = "Zanzibar-ointment-4471"
    visitor = Visitor(app.test_client())
    with caplog.at_level(logging.DEBUG):
        walk(visitor, {**PERSONA_3, "supp_other": secret_text, "age": 58})
        visitor.get("/results")
    assert secret_text not in caplog.text
    # The age (58) appears nowhere, once request ids, timings and source lines are set aside.
    cleaned = re.sub(r"id=\w+|ms=[\d.]+|\.py:\d+", "", caplog.text)
    assert not re.search(r"\b58\b", cleaned)


def test_each_request_logs_one_structured_line(
    visitor: Visitor, caplog: pytest.LogCaptureFixture
) -> None:
    visitor.start()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="screening.request"):
        response = visitor.post("/questions/safety", {"safety_climbing": "no"})
    lines = [r.getMessage() for r in caplog.records if r.name == "screening.request"]
    request_id = response.headers["X-Request-ID"]
    assert lines == [
        f"request id={request_id} method=POST route=/questions/<page_id> path=/questions/safety "
        f"status=302 ms={lines[0].rsplit('ms=', 1)[1]}"
    ]
    assert "safety_climbing" not in lines[0] and "no" not in lines[0].split()
