"""Whole journeys in chromium for the CONTENT.md personas, on a phone and a desktop width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from personas import PERSONA_1, PERSONA_2, PERSONA_3, SEED
from playwright.sync_api import Browser

from screening import evaluate

from .driver import Journey

PERSONAS = {"persona1": PERSONA_1, "persona2": PERSONA_2, "persona3": PERSONA_3, "seed": SEED}
WIDTHS = {"phone": (375, 812), "desktop": (1280, 900)}


def _flag_titles(answers: dict[str, Any]) -> list[str]:
    return [f.title for f in evaluate(answers).flags]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_journey_reaches_the_right_results(
    browser: Browser, live_server: str, screenshot_dir: Path, persona: str, width: str
) -> None:
    answers = {**PERSONAS[persona], "final_disclaimer_ack": "yes"}
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, java_script_enabled=False)
    page = context.new_page()
    journey = Journey(page, live_server, screenshot_dir / f"{persona}-{width}")
    journey.start()
    journey.run_to_results(answers)

    shown = page.locator(".card__title").all_inner_texts()
    titles = [" ".join(t.split()) for t in shown]
    expected = _flag_titles(answers)
    assert len(titles) == len(expected)
    for title, want in zip(titles, expected, strict=True):
        assert title.endswith(want)  # urgent cards start with their action ("Call 911 now")
    # No sideways scrolling at this width.
    assert page.evaluate("document.documentElement.scrollWidth") <= w
    context.close()


def test_urgent_answer_interrupts_straight_after_the_safety_page(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    page = context.new_page()
    journey = Journey(page, live_server, None)
    journey.start()
    journey.answer_page(PERSONA_2)
    page.get_by_role("button", name="Continue").click()
    assert journey.page_name() == "urgent"
    assert page.get_by_role("heading", level=1).inner_text() == "Get help now"
    assert "Call 911 now" in (page.locator("main").text_content() or "")
    page.get_by_role("button", name="Continue the questions").click()
    assert journey.page_name() == "questions-about-you"  # no safety follow-up applies
    context.close()
