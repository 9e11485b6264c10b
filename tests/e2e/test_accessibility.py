"""Accessibility in a real browser: axe-core (WCAG 2.2 A/AA) on every page and state, reflow at
320 px and 200 % zoom, and a keyboard-only journey."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from personas import PERSONA_2, SAFE, SEED
from playwright.sync_api import Browser, Page

from .driver import Journey, navigate

AXE = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# 200 % zoom on a 1280 px screen lays the page out in 640 CSS pixels.
VIEWPORTS = {
    "phone": (375, 812),
    "desktop": (1280, 900),
    "reflow-320": (320, 640),
    "zoom-200": (640, 450),
}


def violations(page: Page) -> list[str]:
    result = AXE.run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
    ]


class Audit:
    """Visit pages as a person would; at every page and state, record axe findings, sideways
    scrolling and heading order at each viewport (one walk, the window resized per check)."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.findings: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def check(self, name: str) -> None:
        self.checked.append(name)
        self.page.wait_for_load_state("load")  # a form's navigation may still be under way
        for viewport, (width, height) in VIEWPORTS.items():
            self.page.set_viewport_size({"width": width, "height": height})
            found = self._problems(width)
            if found:
                self.findings[f"{name} @ {viewport}"] = found
        width, height = VIEWPORTS["phone"]
        self.page.set_viewport_size({"width": width, "height": height})

    def _problems(self, width: int) -> list[str]:
        found = violations(self.page)
        overflow = self.page.evaluate("document.documentElement.scrollWidth")
        if overflow > width:
            found.append(f"horizontal scrolling: page is {overflow}px wide in {width}px")
        lang = self.page.get_attribute("html", "lang")
        if lang != "en":
            found.append("page language missing")
        # The error summary's h2 sits above the h1, as in the GOV.UK pattern; skip it.
        levels = self.page.eval_on_selector_all(
            "main :is(h1, h2, h3, h4):not(.error-summary__title)",
            "els => els.map(e => Number(e.tagName[1]))",
        )
        if (
            not levels
            or levels[0] != 1
            or any(b - a > 1 for a, b in zip(levels, levels[1:], strict=False))
        ):
            found.append(f"heading levels out of order: {levels}")
        return found


@pytest.fixture
def audit(browser: Browser, live_server: str) -> Iterator[Audit]:
    width, height = VIEWPORTS["phone"]
    # Axe is injected by script; bypass_csp lets it run under our strict policy.
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    page = context.new_page()
    yield Audit(page, live_server)
    context.close()


def test_every_page_and_state_has_no_wcag_violations(audit: Audit) -> None:
    page, base = audit.page, audit.base_url
    journey = Journey(page, base, None)
    for path in ["/", "/privacy", "/rules", "/no-such-page"]:
        page.goto(base + path)
        audit.check(path)
    journey.start()
    audit.check("safety")
    navigate(page, page.get_by_role("button", name="Continue"))
    audit.check("safety with errors")
    journey.answer_page(PERSONA_2)
    navigate(page, page.get_by_role("button", name="Continue"))
    audit.check("urgent")
    navigate(page, page.get_by_role("button", name="Continue the questions"))
    answers: dict[str, Any] = {
        **SEED,
        "safety_climbing": "no",
        "final_disclaimer_ack": "yes",
        "age": "sixty",
    }
    for _ in range(40):
        name = journey.page_name()
        if name == "check":
            break
        audit.check(name)
        journey.answer_page(answers)
        navigate(page, page.get_by_role("button", name="Continue"))
        if journey.page_name() == name:  # the age error: check the error state, then fix it
            audit.check(f"{name} with errors")
            answers["age"] = SEED["age"]
            journey.answer_page(answers)
            navigate(page, page.get_by_role("button", name="Continue"))
    audit.check("check")
    navigate(page, page.get_by_role("link", name="See your results").first)
    audit.check("results")
    page.locator("#pdf-name").fill("x" * 200)
    navigate(page, page.get_by_role("button", name="Download the PDF with these choices"))
    assert "Use 80 characters or fewer" in page.content()
    audit.check("results with errors")
    page.goto(base + "/session/ended")
    audit.check("answers cleared")
    # The softer, amber message for a "not sure" safety answer.
    journey.start()
    journey.answer_page({**SAFE, "safety_stroke": "not_sure"})
    navigate(page, page.get_by_role("button", name="Continue"))
    assert "Please check these signs today" in page.locator("h1").inner_text()
    audit.check("urgent (not sure)")
    assert len(audit.checked) >= 25
    assert audit.findings == {}, json.dumps(audit.findings, indent=1)
