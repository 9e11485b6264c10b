"""The session: encrypted, with an idle limit and an absolute end that nothing moves."""

from __future__ import annotations

import base64
import re
import time
import zlib
from pathlib import Path

import pytest
from flask import Flask
from personas import SEED

import screening.web.session
from screening import Catalogue, create_app
from screening.config import Settings

from .conftest import Visitor, walk


class Clock:
    """The session's clock, moved forward by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        monkeypatch.setattr(screening.web.session, "now", lambda: time.time() + self.offset)

    def later(self, minutes: float) -> None:
        self.offset += minutes * 60


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def cookie_value(visitor: Visitor) -> str:
    cookie = visitor.client.get_cookie("screening_session")
    assert cookie is not None
    return cookie.value


def test_the_cookie_cannot_be_read_without_the_key(visitor: Visitor) -> None:
    walk(visitor, {**SEED, "supp_other": "fish oil"}, stop_at="/questions/gut")
    raw = base64.urlsafe_b64decode(cookie_value(visitor) + "==")
    # Flask's signed cookie was base64 + zlib of the JSON: try everything a snooper would.
    for start in range(len(raw)):
        for wbits in (15, -15):
            try:
                text = zlib.decompress(raw[start:], wbits)
            except zlib.error:
                continue
            assert b"age" not in text
    assert b"age" not in raw and b"safety" not in raw and b"58" not in raw


def test_a_changed_or_foreign_cookie_starts_fresh(visitor: Visitor) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    value = cookie_value(visitor)
    flipped = value[:-5] + ("A" if value[-5] != "A" else "B") + value[-4:]
    visitor.client.set_cookie("screening_session", flipped)
    assert visitor.get("/questions/gut").location == "/"
    visitor.client.set_cookie("screening_session", "eyJhIjp7ImFnZSI6NTh9fQ.Zx.sig")
    assert visitor.get("/questions/gut").location == "/"


def test_another_servers_key_cannot_open_the_cookie(visitor: Visitor, rules: Catalogue) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    value = cookie_value(visitor)
    other = create_app(Settings(secret_key="another-key"), rules=rules).test_client()
    other.set_cookie("screening_session", value)
    assert other.get("/questions/gut").location == "/"


def test_an_expired_session_shows_a_clear_page_not_an_error(visitor: Visitor, clock: Clock) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    clock.later(61)
    response = visitor.get("/questions/gut")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your answers were cleared" in html and "60 minutes" in html
    assert "a" not in visitor.session()  # the stale answers are gone from the browser too


def test_using_the_app_keeps_the_session_alive(visitor: Visitor, clock: Clock) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    # 40 minutes later the person looks at a page; 40 minutes after that they are still in.
    clock.later(40)
    assert visitor.get("/questions/gut").status_code == 200
    clock.later(40)
    html = visitor.get("/questions/gut").get_data(as_text=True)
    assert "Stomach and gut" in html


def test_keepalive_never_moves_the_absolute_end(visitor: Visitor, clock: Clock) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    for _ in range(5):  # 5 × 35 minutes of "I'm still here", never idle for long
        clock.later(35)
        assert visitor.get("/session/keepalive").status_code == 204
    assert "Stomach and gut" in visitor.get("/questions/gut").get_data(as_text=True)
    clock.later(6)  # now past 180 minutes since the start
    html = visitor.get("/questions/gut").get_data(as_text=True)
    assert "Your answers were cleared" in html


def test_an_old_copy_of_the_cookie_dies_at_the_absolute_end(
    visitor: Visitor, app: Flask, clock: Clock
) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    copy = cookie_value(visitor)
    visitor.post("/start-over")  # the owner clears; someone kept a copy of the cookie
    thief = app.test_client()
    thief.set_cookie("screening_session", copy)
    for _ in range(5):
        clock.later(35)
        assert thief.get("/session/keepalive").status_code == 204
        assert "Section" in thief.get("/questions/gut").get_data(as_text=True)  # still works
    clock.later(6)
    assert "Your answers were cleared" in thief.get("/questions/gut").get_data(as_text=True)


def test_pages_carry_the_idle_timer_only_once_answers_exist(visitor: Visitor) -> None:
    assert "data-idle-warn" not in visitor.get("/").get_data(as_text=True)
    visitor.start()
    html = visitor.get("/questions/safety").get_data(as_text=True)
    warn = int(re.findall(r'data-idle-warn="(\d+)"', html)[0])
    end = int(re.findall(r'data-idle-end="(\d+)"', html)[0])
    assert end <= 60 * 60 and end - warn == 300  # warned 5 minutes before
    assert "we will clear them in 5 minutes" in html


@pytest.fixture
def kiosk_app(rules: Catalogue, tmp_path: Path) -> Flask:
    settings = Settings(
        secret_key="k", kiosk=True, kiosk_idle_seconds=90, instance_dir=tmp_path / "i"
    )
    return create_app(settings, rules=rules)


def test_kiosk_mode_clears_after_the_idle_time_and_offers_a_finish_button(
    kiosk_app: Flask, clock: Clock
) -> None:
    visitor = Visitor(kiosk_app.test_client())
    walk(visitor, {**SEED})
    html = visitor.get("/results").get_data(as_text=True)
    assert "Finish and clear for the next person" in html
    assert 'data-idle-warn="90"' in html and "clear them in 1 minute" in html
    start = visitor.get("/").get_data(as_text=True)
    assert "after 150 seconds without use" in start  # the kiosk's real timeout, in words
    clock.later(161 / 60)
    assert "Your answers were cleared" in visitor.get("/results").get_data(as_text=True)


def test_the_idle_timer_end_clears_answers_only_on_a_post(kiosk_app: Flask) -> None:
    visitor = Visitor(kiosk_app.test_client())
    walk(visitor, SEED, stop_at="/questions/gut")
    # A plain link (or an image on another site) cannot clear the answers.
    page = visitor.get("/session/ended")
    assert "Clear your answers?" in page.get_data(as_text=True)
    assert visitor.session().get("a")
    assert visitor.post("/session/ended", token=False).status_code == 400
    assert visitor.session().get("a")
    response = visitor.post("/session/ended")
    assert response.location == "/"
    assert visitor.session().get("a") is None
    assert "the last answers were cleared" in visitor.get("/").get_data(as_text=True)


def test_keepalive_answers_without_content(visitor: Visitor, clock: Clock) -> None:
    visitor.start()
    clock.later(2)  # the idle clock is moved at most once a minute
    response = visitor.get("/session/keepalive")
    assert response.status_code == 204
    assert "screening_session=" in response.headers["Set-Cookie"]  # renewed
