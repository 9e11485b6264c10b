"""Answer the questionnaire in a browser the way a person would: click labels, type, continue.

Only the person's answers are given; which pages and questions appear is left to the app, so
these tests also prove show-if skipping and the page order. Every tap is counted (a click on a
label or button, a tap into a text box), and so is every screen shown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

NO_ANSWERS = ("no", "none", ["none"])


def navigate(page: Page, locator: Any) -> None:
    """Click a button or link that loads a new page, and return once that page has loaded.

    A bare click returns as soon as the click is dispatched, so the next step could read or fill
    the old page (or submit the new one empty) while the browser is still on its way.
    """
    with page.expect_navigation():
        locator.click()


class Journey:
    def __init__(self, page: Page, base_url: str, shots: Path | None) -> None:
        self.page = page
        self.base_url = base_url
        self.shots = shots
        self.count = 0
        self.clicks = 0
        self.visited: list[str] = []
        self.taps_per_page: dict[str, int] = {}

    def shot(self, name: str) -> None:
        self.count += 1
        self.visited.append(name)
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            path = self.shots / f"{self.count:02d}-{name}.png"
            self.page.screenshot(path=str(path), full_page=True)

    def _count_tap(self) -> None:
        self.clicks += 1
        name = self.page_name()
        self.taps_per_page[name] = self.taps_per_page.get(name, 0) + 1

    def click(self, locator: Any) -> None:
        self._count_tap()
        locator.click()

    def go(self, locator: Any) -> None:
        """A counted tap on a button or link that opens the next page."""
        self._count_tap()
        navigate(self.page, locator)

    def page_name(self) -> str:
        path = self.page.url.split(self.base_url, 1)[-1].split("?")[0].split("#")[0].strip("/")
        return re.sub(r"[^a-z0-9-]+", "-", path or "start")

    def fields(self) -> list[str]:
        return list(
            self.page.eval_on_selector_all(
                "main form:not(.save-answers) [name]:not([type=hidden]):not(button)",
                "els => [...new Set(els.map(e => e.name))]",
            )
        )

    def answer_page(self, answers: dict[str, Any]) -> None:
        """Fill the questions on the current page that the person has an answer for."""
        for name in self.fields():
            if name not in answers:
                continue
            value = answers[name]
            values = value if isinstance(value, list) else [value]
            first = self.page.locator(f'[name="{name}"]').first
            kind = first.get_attribute("type") or first.evaluate("e => e.tagName.toLowerCase()")
            if kind in ("radio", "checkbox"):
                for v in values:
                    target = self.page.locator(f'input[name="{name}"][value="{v}"]')
                    self.click(self.page.locator(f'label[for="{target.get_attribute("id")}"]'))
            else:
                self._count_tap()  # the tap into the box; typing is not a click
                first.fill(str(value))

    def none_apply(self, answers: dict[str, Any]) -> bool:
        """Where the page offers "Answer No to the rest": choose only what is not "no", then
        that button (the app answers "No" to the rest)."""
        button = self.page.get_by_role("button", name="Answer “No” to the rest")
        if button.count() == 0:
            return False
        self.answer_page({k: v for k, v in answers.items() if v not in NO_ANSWERS})
        self.go(button)
        return True

    def start(self) -> None:
        self.page.goto(self.base_url + "/")
        self.shot("start")
        self.go(self.page.get_by_role("button", name=re.compile("^Start")))

    def run_to_results(self, answers: dict[str, Any], *, shortcut: bool = False) -> None:
        """From the first question to the results page, answering as the person would."""
        for _ in range(60):
            name = self.page_name()
            if name.startswith("questions-"):
                self.shot(name)
                if not (shortcut and self.none_apply(answers)):
                    self.answer_page(answers)
                    self.go(
                        self.page.get_by_role("button", name=re.compile("^(Save and )?[Cc]ontinue"))
                    )
            elif name == "urgent":
                self.shot(name)
                self.go(self.page.get_by_role("button", name="Continue the questions"))
            elif name == "check":
                self.shot(name)
                self.go(self.page.get_by_role("link", name="See your results").first)
            elif name == "results":
                self.shot(name)
                return
            else:
                raise AssertionError(f"unexpected page {self.page.url}")
        raise AssertionError("the journey did not reach the results page")
