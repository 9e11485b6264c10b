"""One PDF render at a time per worker; a request that cannot start in time gets a kind 503."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from personas import SEED

from screening.web import pdf_download

from .conftest import Visitor, walk


@pytest.fixture
def held_slot(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another thread of this worker is rendering a PDF, and keeps at it."""
    monkeypatch.setattr(pdf_download, "RENDER_WAIT_SECONDS", 0.05)
    assert pdf_download.RENDER_SLOT.acquire(timeout=5)
    try:
        yield
    finally:
        pdf_download.RENDER_SLOT.release()


def answered(visitor: Visitor) -> Visitor:
    walk(visitor, SEED)
    assert visitor.get("/results").status_code == 200
    return visitor


def test_a_busy_render_slot_gives_a_friendly_503_and_keeps_the_answers(
    visitor: Visitor, held_slot: None
) -> None:
    answered(visitor)
    before = visitor.session()["a"]
    response = visitor.post("/results/pdf", {"name": "Maria Lopez", "paper": "a4"})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Many summaries are being made right now. Please try again in a minute." in html
    assert "Your answers are still saved in your browser." in html
    # "Try again" posts the same choices again; the answers are all still there.
    assert 'action="/results/pdf"' in html and 'name="paper" value="a4"' in html
    assert visitor.session()["a"] == before
    assert visitor.get("/results").status_code == 200


def test_the_slot_is_given_back_even_when_a_render_fails(
    visitor: Visitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered(visitor)

    def broken_render(summary: object, *, paper: str) -> bytes:
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr("screening.pdf.render_summary_pdf", broken_render)
    assert visitor.post("/results/pdf", {"paper": "letter"}).status_code == 500
    assert pdf_download.RENDER_SLOT.acquire(blocking=False)  # free for the next person
    pdf_download.RENDER_SLOT.release()
    monkeypatch.undo()
    response = visitor.post("/results/pdf", {"paper": "letter"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"


def test_renders_in_one_worker_never_overlap(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads of one worker (gunicorn gthread) take turns at the renderer."""
    active = 0
    most = 0
    lock = threading.Lock()

    def slow_render(summary: object, *, paper: str, sharing: object = None) -> bytes:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.02)
        with lock:
            active -= 1
        return b"%PDF-1.7 fake"

    monkeypatch.setattr("screening.pdf.render_summary_pdf", slow_render)
    people = [answered(Visitor(app.test_client())) for _ in range(4)]
    statuses: list[int] = []

    def download(person: Visitor) -> None:
        statuses.append(person.post("/results/pdf", {"paper": "letter"}).status_code)

    threads = [threading.Thread(target=download, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [200] * 4
    assert most == 1
