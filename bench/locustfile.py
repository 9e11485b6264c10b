"""`make load`: people doing the whole journey, PDF included, against a local gunicorn."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

# bench/ itself, and tests/ for the shared personas and HTTP helpers
sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

from personas import PERSONA_2, PERSONA_3, SEED  # noqa: E402

FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="([a-z0-9_]+)"')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PEOPLE = [SEED, PERSONA_3, {**PERSONA_2, "final_disclaimer_ack": "yes"}]


def route(path: str) -> str:
    """Group statistics by page kind, never by anything a person typed."""
    return re.sub(r"^/questions/.*", "/questions/[page]", path.split("?")[0])


class Patient(HttpUser):  # type: ignore[misc]  # locust is untyped
    wait_time = between(0.5, 1.5)

    def post(self, path: str, html: str, data: dict[str, Any]) -> Any:
        token = TOKEN.search(html)
        body = {**data, "csrf_token": token.group(1) if token else ""}
        return self.client.post(path, data=body, name=route(path), allow_redirects=False)

    @task  # type: ignore[untyped-decorator]
    def whole_journey(self) -> None:
        answers = PEOPLE[id(self) % len(PEOPLE)]
        self.client.cookies.clear()
        html = self.client.get("/", name="/").text
        response = self.post("/start", html, {})
        path = response.headers["Location"]
        for _ in range(40):
            if path.startswith("/check"):
                break
            if path == "/urgent":
                html = self.client.get("/urgent", name="/urgent").text
                response = self.post("/urgent", html, {})
            else:
                html = self.client.get(path, name=route(path)).text
                names = [n for n in dict.fromkeys(FIELD.findall(html)) if n in answers]
                data = {
                    n: answers[n] if isinstance(answers[n], list) else str(answers[n])
                    for n in names
                }
                response = self.post(path, html, data)
            path = response.headers["Location"]
        self.client.get("/check", name="/check")
        html = self.client.get("/results", name="/results").text
        with self.client.post(
            "/results/pdf",
            data={"csrf_token": TOKEN.findall(html)[0], "paper": "letter"},
            name="/results/pdf",
            catch_response=True,
        ) as r:
            if not r.content.startswith(b"%PDF"):
                r.failure("not a PDF")
