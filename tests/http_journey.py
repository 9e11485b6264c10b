"""A person's browser over real HTTP (urllib + a cookie jar), for tests and benches that run
against real servers (gunicorn, nginx in front): follows redirects, keeps the CSRF token of
the last page, and answers each page the app shows from an answers mapping.

``source`` picks the client's own loopback address (127.0.0.2, ...), so that nginx's limits
per client address see separate people, as they would on the internet.
"""

from __future__ import annotations

import functools
import html as html_text
import http.client
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="([a-z0-9_]+)"')
NOT_ANSWERS = {"csrf_token", "name", "paper"}
ROW = re.compile(
    r'<dt class="summary-list__key">(.*?)</dt>\s*<dd class="summary-list__value">(.*?)</dd>', re.S
)


class _SourceHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.source, 0))
        return self.do_open(connection, req)


class Browser:
    def __init__(self, base: str, *, source: str | None = None, timeout: float = 30) -> None:
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPCookieProcessor(self.jar)]
        if source:
            handlers.append(_SourceHTTPHandler(source))
        self.opener = urllib.request.build_opener(*handlers)
        self.token = ""
        self.html = ""

    def _open(self, path: str, data: bytes | None = None) -> tuple[int, str, str]:
        """(status, final path, body) of a request, redirects followed."""
        try:
            with self.opener.open(self.base + path, data=data, timeout=self.timeout) as response:
                status, url, body = response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            status, url, body = error.code, error.geturl(), error.read()
        text = body.decode("utf-8", errors="replace")
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)
        self.html = text
        return status, urllib.parse.urlsplit(url).path, text

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(path)

    def post(self, path: str, data: Mapping[str, Any] | None = None) -> tuple[int, str, str]:
        form = {**(data or {}), "csrf_token": self.token}
        return self._open(path, urllib.parse.urlencode(form, doseq=True).encode())

    def cookie(self) -> str:
        """The Cookie header this browser sends."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def check_rows(self) -> dict[str, str]:
        """The /check page's rows: question label -> answer shown."""
        status, path, page = self.get("/check")
        assert (status, path) == (200, "/check"), (status, path)
        return {
            html_text.unescape(k).strip(): html_text.unescape(re.sub("<[^>]+>", "", v)).strip()
            for k, v in ROW.findall(page)
        }


def fields_on(page: str) -> list[str]:
    return list(dict.fromkeys(n for n in FIELD.findall(page) if n not in NOT_ANSWERS))


def form_data(answers: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return {
        name: answers[name] if isinstance(answers[name], list) else str(answers[name])
        for name in names
        if name in answers
    }


def start(browser: Browser) -> str:
    """Open the start page and select Start; returns the first question page's path."""
    status, _, _ = browser.get("/")
    assert status == 200, (status, browser.html[:500])
    status, path, _ = browser.post("/start")
    assert status == 200 and path.startswith("/questions/"), (status, path)
    return path


def answer_page(browser: Browser, path: str, answers: Mapping[str, Any]) -> str:
    """Answer the page at ``path`` (already shown) from ``answers``; returns the next path."""
    if path == "/urgent":
        status, nxt, _ = browser.post("/urgent")
    else:
        status, nxt, _ = browser.post(path, form_data(answers, fields_on(browser.html)))
    assert status == 200, (path, status, browser.html[:2000])
    return nxt


def walk(
    browser: Browser,
    answers: Mapping[str, Any],
    *,
    path: str | None = None,
    stop_at: str = "/check",
    before_each: Callable[[str], None] | None = None,
) -> list[str]:
    """Answer every page from ``path`` until ``stop_at``. Without ``path`` a new journey is
    started; with it, ``path`` must be the page the browser shows now (its last answer).
    ``before_each(path)`` is called before each page is answered. Returns the paths seen."""
    path = path or start(browser)
    seen = [path]
    for _ in range(80):
        if path.startswith(stop_at):
            return seen
        if before_each:
            before_each(path)
        path = answer_page(browser, path, answers)
        seen.append(path)
    raise AssertionError(f"the journey did not reach {stop_at}: {seen}")
