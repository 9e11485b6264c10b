"""Answer the questionnaire in a browser the way a person would: click labels, type, continue.

Only the person's answers are given; which pages and questions appear is left to the app, so
these tests also prove show-if skipping and the page order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page


class Journey:
    def __init__(self, page: Page, base_url: str, shots: Path | None) -> None:
        self.page = page
        self.base_url = base_url
        self.shots = shots
        self.count = 0
        self.visited: list[str] = []

    def shot(self, name: str) -> None:
        self.count += 1
        self.visited.append(name)
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            path = self.shots / f"{self.count:02d}-{name}.png"
            self.page.screenshot(path=str(path), full_page=True)

    def page_name(self) -> str:
        path = self.page.url.split(self.base_url, 1)[-1].split("?")[0].strip("/")
        return re.sub(r"[^a-z0-9-]+", "-", path or "start")

    def answer_page(self, answers: dict[str, Any]) -> None:
        """Fill the questions on the current page that the person has an answer for."""
        for name in self.page.eval_on_selector_all(
            "form [name]:not([type=hidden])", "els => [...new Set(els.map(e => e.name))]"
        ):
            if name not in answers:
                continue
            value = answers[name]
            values = value if isinstance(value, list) else [value]
            first = self.page.locator(f'[name="{name}"]').first
            kind = first.get_attribute("type") or first.evaluate("e => e.tagName.toLowerCase()")
            if kind in ("radio", "checkbox"):
                for v in values:
                    target = self.page.locator(f'input[name="{name}"][value="{v}"]')
                    self.page.locator(f'label[for="{target.get_attribute("id")}"]').click()
            else:
                first.fill(str(value))

    def start(self) -> None:
        self.page.goto(self.base_url + "/")
        self.shot("start")
        self.page.get_by_role("button", name=re.compile("^Start")).click()

    def run_to_results(self, answers: dict[str, Any]) -> None:
        """From the first question to the results page, answering as the person would."""
        for _ in range(60):
            name = self.page_name()
            if name.startswith("questions-"):
                self.shot(name)
                self.answer_page(answers)
                self.page.get_by_role("button", name=re.compile("Continue")).click()
            elif name == "urgent":
                self.shot(name)
                self.page.get_by_role("button", name="Continue the questions").click()
            elif name == "check":
                self.shot(name)
                self.page.get_by_role("link", name="See your results").first.click()
            elif name == "results":
                self.shot(name)
                return
            else:
                raise AssertionError(f"unexpected page {self.page.url}")
        raise AssertionError("the journey did not reach the results page")
