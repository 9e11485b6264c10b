"""Session time limits: an expired session says so plainly; kiosk mode clears sooner."""

from __future__ import annotations

import re

import itsdangerous.timed
import pytest
from flask import Flask
from personas import SEED

import screening.web.session
from screening import create_app
from screening.config import Settings

from .conftest import Visitor, walk


class LaterClock:
    """time.time() for itsdangerous, moved forward by ``seconds``."""

    def __init__(self, real, seconds: float) -> None:  # type: ignore[no-untyped-def]
        self.real = real
        self.seconds = seconds

    def time(self) -> float:
        return float(self.real.time() + self.seconds)


def test_an_expired_session_shows_a_clear_page_not_an_error(
    visitor: Visitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    monkeypatch.setattr(itsdangerous.timed, "time", LaterClock(itsdangerous.timed.time, 61 * 60))
    response = visitor.get("/questions/gut")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your answers were cleared" in html and "60 minutes" in html
    assert "a" not in visitor.session()  # the stale answers are gone from the browser too


def test_using_the_app_keeps_the_session_alive(
    visitor: Visitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    real = itsdangerous.timed.time

    def later(minutes: int) -> None:
        clock = LaterClock(real, minutes * 60)
        monkeypatch.setattr(itsdangerous.timed, "time", clock)
        monkeypatch.setattr(screening.web.session, "time", clock)

    # 40 minutes later the person looks at a page; 40 minutes after that they are still in.
    later(40)
    assert visitor.get("/questions/gut").status_code == 200
    later(80)
    html = visitor.get("/questions/gut").get_data(as_text=True)
    assert "Stomach and gut" in html


def test_pages_carry_the_idle_timer_only_once_answers_exist(visitor: Visitor) -> None:
    assert "data-idle-warn" not in visitor.get("/").get_data(as_text=True)
    visitor.start()
    html = visitor.get("/questions/safety").get_data(as_text=True)
    warn = int(re.search(r'data-idle-warn="(\d+)"', html).group(1))
    end = int(re.search(r'data-idle-end="(\d+)"', html).group(1))
    assert end <= 60 * 60 and end - warn == 300  # warned 5 minutes before
    assert "we will clear them in 5 minutes" in html


@pytest.fixture
def kiosk_app() -> Flask:
    return create_app(Settings(secret_key="k", kiosk=True, kiosk_idle_seconds=90))


def test_kiosk_mode_clears_after_the_idle_time_and_offers_a_finish_button(
    kiosk_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    visitor = Visitor(kiosk_app.test_client())
    walk(visitor, {**SEED})
    html = visitor.get("/results").get_data(as_text=True)
    assert "Finish and clear for the next person" in html
    assert 'data-idle-warn="90"' in html and "clear them in 1 minute" in html
    monkeypatch.setattr(itsdangerous.timed, "time", LaterClock(itsdangerous.timed.time, 161))
    assert "Your answers were cleared" in visitor.get("/results").get_data(as_text=True)


def test_the_idle_timer_end_clears_answers_and_in_kiosk_mode_shows_the_start_page(
    kiosk_app: Flask,
) -> None:
    visitor = Visitor(kiosk_app.test_client())
    walk(visitor, SEED, stop_at="/questions/gut")
    response = visitor.get("/session/ended")
    assert response.location == "/"
    assert visitor.session().get("a") is None
    assert "the last answers were cleared" in visitor.get("/").get_data(as_text=True)


def test_keepalive_answers_without_content(visitor: Visitor) -> None:
    visitor.start()
    response = visitor.get("/session/keepalive")
    assert response.status_code == 204
    assert "screening_session=" in response.headers["Set-Cookie"]  # renewed
