"""Keyboard-only use from start to PDF download, and the clinic kiosk's idle reset."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from personas import SAFE, SEED
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from screening import create_app, evaluate
from screening.config import Settings

from .driver import navigate

FOCUS_VISIBLE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return false;
  if (e.matches('input[type=radio], input[type=checkbox]')) {
    const label = document.querySelector(`label[for="${e.id}"]`);
    return getComputedStyle(label, '::before').boxShadow !== 'none';
  }
  const s = getComputedStyle(e);
  return s.boxShadow !== 'none' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || s.backgroundColor === 'rgb(255, 221, 0)';
}"""

FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '',
          value: e.value || '', text: (e.innerText || '').trim(), checked: !!e.checked,
          cls: e.className || ''};
}"""


class Keyboard:
    """Moves through a page with Tab only, acting on each control like a keyboard user."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.unseen_focus: list[str] = []

    def tab(self) -> dict[str, Any]:
        self.page.keyboard.press("Tab")
        focused: dict[str, Any] = self.page.evaluate(FOCUSED)
        if focused["tag"] != "body" and not self.page.evaluate(FOCUS_VISIBLE):
            self.unseen_focus.append(f"{self.page.url} {focused}")
        return focused

    def tab_to(self, text: str) -> None:
        for _ in range(200):
            if text in self.tab()["text"]:
                return
        raise AssertionError(f"could not reach {text!r} with Tab on {self.page.url}")

    def answer_page(self, answers: dict[str, Any]) -> None:
        """Tab through the form, answering with arrow keys, Space and typing; then Enter."""
        done: set[str] = set()
        for _ in range(300):
            f = self.tab()
            name = f["name"]
            if f["tag"] == "button" and f["text"] in ("Continue", "Save and continue"):
                with self.page.expect_navigation():
                    self.page.keyboard.press("Enter")
                return
            if name not in answers:
                continue
            wanted = answers[name]
            if f["type"] == "radio" and name not in done:
                # Arrow keys move the choice within a radio group (the group is one Tab stop).
                if not f["checked"] and f["value"] == wanted:
                    self.page.keyboard.press("Space")
                for _ in range(10):
                    if self.page.evaluate(FOCUSED)["value"] == wanted:
                        break
                    self.page.keyboard.press("ArrowDown")
                done.add(name)
            elif f["type"] == "checkbox":
                values = wanted if isinstance(wanted, list) else [wanted]
                if (f["value"] in values) != f["checked"]:
                    self.page.keyboard.press("Space")
            elif f["tag"] in ("input", "textarea") and name not in done:
                self.page.keyboard.type(str(wanted))
                done.add(name)
        raise AssertionError(f"no Continue button reached on {self.page.url}")


def test_keyboard_only_journey_from_start_to_pdf(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    keys = Keyboard(page)
    page.goto(live_server + "/")
    keys.tab_to("Start now")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # An error moves focus to the error summary.
    keys.tab_to("Continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "error-summary" in page.evaluate(FOCUSED)["cls"]

    answers = {**SEED, "final_disclaimer_ack": "yes"}
    for _ in range(30):
        if "/check" in page.url:
            break
        keys.answer_page(answers)
    assert page.url.endswith("/check")
    keys.tab_to("See your results")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The answers chosen with arrow keys and Space are the person's: the same flags as SEED.
    titles = [" ".join(t.split()) for t in page.locator(".card__title").all_text_contents()]
    assert titles == [f.title for f in evaluate(answers).flags]
    keys.tab_to("Download your summary (PDF)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    assert keys.unseen_focus == []
    context.close()


@pytest.fixture(scope="module")
def kiosk_server() -> Iterator[str]:
    settings = Settings(secret_key="kiosk", kiosk=True)  # the real kiosk times: 120 s + 60 s
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_kiosk_asks_are_you_still_there_then_clears_for_the_next_person(
    browser: Browser, kiosk_server: str
) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.clock.install()  # the page's timers run on a clock the test moves: no real waiting
    page.goto(kiosk_server + "/")
    assert "after 3 minutes without use" in page.locator("main").inner_text()  # its real time
    navigate(page, page.get_by_role("button", name="Start now"))
    for name in SAFE:
        page.locator(f'label[for="{name}-2"]').click()  # "No"
    navigate(page, page.get_by_role("button", name="Continue"))
    page.wait_for_url("**/questions/about_you")
    page.locator("#age").fill("58")
    navigate(page, page.get_by_role("button", name="Continue"))
    page.wait_for_url("**/questions/symptoms_feelings")
    assert page.get_by_role("button", name="Download your summary (PDF)").count() == 0
    assert page.get_by_role("button", name="Save my answers to this device").count() == 0

    dialog = page.get_by_role("dialog", name="Are you still there?")
    page.clock.run_for(119_000)
    expect(dialog).to_be_hidden()
    page.clock.run_for(2_000)
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Yes, I am still here").click()
    expect(dialog).to_be_hidden()

    # Scrolling with a mouse wheel, touching and typing all count as use.
    # (Dispatched events run the page's handlers before returning: no race with the clock.)
    for what in ("wheel", "keydown", "touchstart", "scroll"):
        for _ in range(10):  # 100 s idle each time: without the use, 200 s would warn
            page.clock.run_for(10_000)
        page.dispatch_event("body", what)
        expect(dialog).to_be_hidden()
        assert page.url.endswith("/questions/symptoms_feelings"), what  # not cleared
    assert page.url.endswith("/questions/symptoms_feelings")

    # No answer this time: everything is cleared and the start page is shown.
    page.clock.run_for(100_000)
    expect(dialog).to_be_hidden()
    page.clock.run_for(21_000)
    expect(dialog).to_be_visible()
    page.clock.run_for(61_000)
    page.wait_for_url(kiosk_server + "/")
    assert "the last answers were cleared" in page.locator("main").inner_text()

    # The browser's Back button does not bring the previous person's answers back.
    for _ in range(3):
        page.go_back()
        page.wait_for_load_state()
        html = page.content()
        assert 'value="58"' not in html
        assert page.locator("input:checked").count() == 0
    context.close()
