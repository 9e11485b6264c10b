"""Answers are text, never markup, and WeasyPrint can reach only our bundled files."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from personas import SEED
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcherResponse

from screening import pdf
from screening.pdf import STATIC, StaticFetcher
from screening.rules import Catalogue

from .conftest import flat, make_pdf

INJECTIONS = [
    "<img src=http://127.0.0.1:9/x.png>",
    "<link rel=stylesheet href=file:///etc/passwd>",
    "<style>@import url(http://127.0.0.1:9/a.css); body{background:url(file:///etc/passwd)}</style>",
    "../../etc/passwd",
]
FONT = STATIC / "fonts" / "atkinson-hyperlegible-latin-400-normal.woff2"


class SpyFetcher(StaticFetcher):
    """Records every URL WeasyPrint asks for, then answers like the real fetcher."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.attempts: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.attempts.append(url)
        return super().fetch(url, headers)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> SpyFetcher:
    fetcher = SpyFetcher()
    monkeypatch.setattr(pdf, "FETCHER", fetcher)
    return fetcher


def test_markup_in_free_text_is_printed_as_text_and_never_fetched(
    rules: Catalogue, spy: SpyFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    assert rules.questions["supp_other"].type == "text"
    answer = " ".join(INJECTIONS)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        rendered = make_pdf({**SEED, "supp_other": answer}, rules)
    # Only our own fonts may be fetched (when this is the process's first render).
    assert spy.refused == []
    assert all(url.endswith(".woff2") for url in spy.attempts)
    assert [r.getMessage() for r in caplog.records] == []
    # Lines may break after "/" inside a long word, so compare with the spaces taken out.
    squeezed = rendered.text.replace(" ", "")
    for injection in INJECTIONS:
        assert injection.replace(" ", "") in squeezed
    name = rules.questions["supp_other"].name.capitalize()
    assert f"{name}:{answer}".replace(" ", "") in squeezed


def test_markup_in_the_name_is_printed_as_text(rules: Catalogue, spy: SpyFetcher) -> None:
    name = '<b>Ann</b><img src="http://127.0.0.1:9/n.png">'
    rendered = make_pdf(SEED, rules, name=name)
    assert spy.refused == []
    assert all(url.endswith(".woff2") for url in spy.attempts)
    assert f"Patient: {name}" in flat(rendered.pages[0])


def test_spy_sees_what_real_markup_would_fetch() -> None:
    """Control for the tests above: the same spy, given real tags, records and refuses them."""
    spy = SpyFetcher()
    HTML(
        string="".join(INJECTIONS[:2]), base_url=STATIC.as_uri() + "/", url_fetcher=spy
    ).write_pdf()
    assert "http://127.0.0.1:9/x.png" in spy.attempts
    assert "file:///etc/passwd" in spy.attempts
    assert spy.refused == spy.attempts


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/a.css",
        "file:///etc/passwd",
        "file://evil.example/srv/screening/static/pdf.css",
        "data:text/css,body{color:red}",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://127.0.0.1/x",
        STATIC.as_uri() + "/../pdf.py",
        STATIC.as_uri() + "/fonts/%2e%2e/%2e%2e/pdf.py",
        STATIC.as_uri() + "/no-such-file.css",
        STATIC.as_uri() + "/fonts",
        "pdf.css",
    ],
)
def test_fetcher_refuses_anything_but_bundled_files(url: str) -> None:
    fetcher = StaticFetcher()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_a_symlink_out_of_static(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "link.css").symlink_to(tmp_path / "secret.txt")
    fetcher = StaticFetcher(root)
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch((root / "link.css").as_uri())


def test_fetcher_serves_the_bundled_font() -> None:
    fetcher = StaticFetcher()
    response = fetcher.fetch(FONT.as_uri())
    try:
        assert response.read() == FONT.read_bytes()
        assert response.content_type == "font/woff2"
    finally:
        response.close()
    assert fetcher.refused == []


def test_fetcher_can_stop_the_render_on_a_refused_url() -> None:
    fetcher = StaticFetcher(fail_on_errors=True)
    with pytest.raises(FatalURLFetchingError):
        HTML(string=INJECTIONS[0], url_fetcher=fetcher).write_pdf()
