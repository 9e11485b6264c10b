"""Flask test-client fixtures. CSRF stays on: the client posts the token the page gave it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from screening import Catalogue, create_app
from screening.config import Settings

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Visitor:
    """A person's browser: follows redirects, remembers the CSRF token of the last page."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def _remember(self, text: str) -> None:
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(url, **kwargs)
        self._remember(response.get_data(as_text=True))
        return response

    def post(
        self, url: str, data: dict[str, Any] | None = None, *, token: bool = True, **kwargs: Any
    ) -> TestResponse:
        form = dict(data or {})
        if token and "csrf_token" not in form:
            form["csrf_token"] = self.token
        response = self.client.post(url, data=form, **kwargs)
        if response.mimetype == "text/html":
            self._remember(response.get_data(as_text=True))
        return response

    def post_with_errors(
        self, url: str, data: dict[str, Any] | None = None, **kwargs: Any
    ) -> TestResponse:
        """Post a page that has errors: it redirects back to itself (post/redirect/get) and
        the GET shows the errors with what was typed. Returns that GET."""
        response = self.post(url, data, **kwargs)
        assert response.status_code == 302, response.status_code
        assert response.location == url, (response.location, url)
        return self.get(url)

    def start(self) -> str:
        """Open the start page and select Start; returns the first question page's path."""
        self.get("/")
        response = self.post("/start")
        assert response.status_code == 302
        self.get(response.location)
        return str(response.location)

    def session(self) -> dict[str, Any]:
        with self.client.session_transaction() as sess:
            return dict(sess)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(secret_key="test-secret", instance_dir=tmp_path / "instance")


@pytest.fixture
def app(settings: Settings, rules: Catalogue) -> Flask:
    app = create_app(settings, rules=rules if settings.rules_path is None else None)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def visitor(app: Flask) -> Visitor:
    return Visitor(app.test_client())


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the real rules.yaml, for reload tests."""
    source = Path(__file__).resolve().parents[2] / "rules.yaml"
    target = tmp_path / "rules.yaml"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return target


FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="([a-z0-9_]+)"')
NOT_ANSWERS = {"csrf_token", "name", "paper"}


def fields_on(html: str) -> list[str]:
    return list(dict.fromkeys(n for n in FIELD.findall(html) if n not in NOT_ANSWERS))


def form_data(answers: dict[str, Any], names: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in names:
        if name in answers:
            value = answers[name]
            data[name] = value if isinstance(value, list) else str(value)
    return data


def walk(visitor: Visitor, answers: dict[str, Any], *, stop_at: str = "/check") -> list[str]:
    """Answer every page the app shows with ``answers`` until ``stop_at``; returns the paths."""
    path = visitor.start()
    visited = [path]
    for _ in range(80):
        if path.startswith(stop_at):
            return visited
        if path == "/urgent":
            response = visitor.post("/urgent")
        else:
            page = visitor.get(path)
            assert page.status_code == 200, path
            response = visitor.post(
                path, form_data(answers, fields_on(page.get_data(as_text=True)))
            )
        assert response.status_code == 302, (path, response.get_data(as_text=True)[:3000])
        path = response.location
        visited.append(path)
    raise AssertionError("the journey did not end")
