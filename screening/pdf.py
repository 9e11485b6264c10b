"""The PDF summary a patient brings to the doctor (WeasyPrint, no Flask, no request).

The HTML comes from our own template (templates/pdf/summary.html) rendered with autoescape, so
answers and rules text are always text, never markup. WeasyPrint reaches files only through
StaticFetcher, which serves files under screening/static and refuses everything else. The
stylesheets and the font configuration are parsed once per process and reused for every render.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
import segno
from markupsafe import Markup
from segno import consts
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .config import check_paper
from .share import SAVED_FILE_NAME, Sharing
from .summary import (
    DONE_RECENTLY,
    LEVEL_HEADINGS,
    NOT_A_DIAGNOSIS,
    NOTHING_MATCHED,
    Summary,
)

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"
TEMPLATES = PACKAGE.parent / "templates"
CSS_PAGE_SIZES = {"letter": "letter", "a4": "A4"}  # config.PAPER_SIZES -> CSS @page size
PDF_VARIANT = "pdf/ua-1"


class StaticFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files under ``root`` (screening/static) and refuses every other URL.

    Refused URLs are kept in ``refused`` (tests read it; a correct template never adds to it).
    WeasyPrint logs a refused resource and renders without it; with ``fail_on_errors=True``
    the render stops instead.
    """

    def __init__(self, root: Path = STATIC, *, fail_on_errors: bool = False) -> None:
        super().__init__(
            allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=fail_on_errors
        )
        self.root = root.resolve()
        self.refused: list[str] = []

    def path_for(self, url: str) -> Path | None:
        """The file ``url`` names if it is a file: URL inside root, else None."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        path = self.path_for(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"not a bundled file, refused: {url[:200]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".woff2":
            mime = "font/woff2"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime}
        )


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


FETCHER = StaticFetcher()
_FONT_CONFIG: FontConfiguration | None = None
_COMMON: list[Any] = []  # fonts.css and pdf.css, parsed once
_STYLESHEETS: dict[str, list[Any]] = {}  # paper -> [*_COMMON, its @page size sheet]
# Guards the one-time parse. Renders themselves share FONT_CONFIG; FontConfiguration is not
# documented as thread-safe, so the web app renders one PDF at a time per process
# (screening/web/pdf_download.py) while its other threads serve pages.
_LOCK = threading.Lock()
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _stylesheets(paper: str) -> tuple[list[Any], FontConfiguration]:
    """The parsed stylesheets for ``paper`` and the shared FontConfiguration (parsed once)."""
    global _FONT_CONFIG
    with _LOCK:
        if _FONT_CONFIG is None:
            _FONT_CONFIG = FontConfiguration()
            _COMMON[:] = [
                CSS(filename=STATIC / name, url_fetcher=FETCHER, font_config=_FONT_CONFIG)
                for name in ("fonts/fonts.css", "pdf.css")
            ]
        if paper not in _STYLESHEETS:
            # Only the page size differs between papers: a one-rule sheet per paper.
            size = CSS(
                string=f"@page {{ size: {CSS_PAGE_SIZES[paper]} }}",
                url_fetcher=FETCHER,
                font_config=_FONT_CONFIG,
            )
            _STYLESHEETS[paper] = [*_COMMON, size]
        return _STYLESHEETS[paper], _FONT_CONFIG


def warm_up() -> None:
    """Parse the stylesheets and load the fonts now (call once per worker, after fork).

    The first render in a process otherwise pays for this, about 150 ms on the dev machine.
    """
    stylesheets, font_config = _stylesheets("letter")
    _stylesheets("a4")
    HTML(string='<p lang="en">x <b>x</b></p>', url_fetcher=FETCHER).render(
        font_config=font_config, stylesheets=stylesheets
    )


def _long_date(summary: Summary) -> str:
    d = summary.created
    return f"{d:%B} {d.day}, {d.year}"


_ALNUM = re.compile(r"[0-9A-Z $%*+\-./:]+")
_RUNS = re.compile(r"[0-9A-Z $%*+\-./:]+|[^0-9A-Z $%*+\-./:]+")


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` at error correction M, drawn by segno.

    Each run of characters goes in the most compact mode it fits: alphanumeric mode (capitals,
    digits and a few signs: the scheme and host, and the code after "#", see share.open_url),
    byte mode for the rest.
    """
    segments = [
        (run, consts.MODE_ALPHANUMERIC if _ALNUM.fullmatch(run) else consts.MODE_BYTE)
        for run in _RUNS.findall(url)
    ]
    # segno accepts (text, mode) segments; its type hints only name a single string.
    return segno.make(segments, error="m", micro=False, boost_error=False)  # type: ignore[arg-type]


def qr_svg(url: str) -> Markup:
    """The QR code as inline SVG (no file, no fetch). The SVG is segno's own output for a
    string we made: it carries nothing a person typed as markup."""
    svg = qr_code(url).svg_inline(scale=1.6, border=2, omitsize=False, title="QR code")
    return Markup(svg)  # noqa: S704 - segno's SVG of our own ASCII link, see above


def summary_html(summary: Summary, sharing: Sharing | None = None) -> str:
    """The HTML of the PDF summary (our template, every value escaped)."""
    return _ENV.get_template("pdf/summary.html").render(
        s=summary,
        qr=qr_svg(sharing.open_url) if sharing and sharing.open_url else None,
        date=_long_date(summary),
        test_names={t.id: t.name for t in summary.tests},
        headings=LEVEL_HEADINGS,
        not_a_diagnosis=NOT_A_DIAGNOSIS,
        nothing_matched=NOTHING_MATCHED,
        done_recently=DONE_RECENTLY,
    )


def render_summary(
    summary: Summary, *, paper: str = "letter", sharing: Sharing | None = None
) -> RenderedPdf:
    """Render ``summary`` to PDF bytes and say how many pages it has.

    With ``sharing``, page 1 carries its QR code (when it has a link) and the PDF carries the
    saved answers file as an attachment, so uploading the PDF itself reopens the answers.
    """
    key = check_paper(paper)
    stylesheets, font_config = _stylesheets(key)
    html = HTML(
        string=summary_html(summary, sharing),
        base_url=STATIC.as_uri() + "/",
        url_fetcher=FETCHER,
    )
    document = html.render(
        font_config=font_config, stylesheets=stylesheets, pdf_variant=PDF_VARIANT
    )
    attachments = (
        [
            Attachment(
                string=sharing.saved_file,
                name=SAVED_FILE_NAME,
                description="The answers of this summary (open them again in the app)",
                relationship="Data",
            )
        ]
        if sharing
        else []
    )
    data = document.write_pdf(pdf_variant=PDF_VARIANT, attachments=attachments)
    return RenderedPdf(data, len(document.pages))


def render_summary_pdf(
    summary: Summary, *, paper: str = "letter", sharing: Sharing | None = None
) -> bytes:
    """The PDF for ``summary``, as bytes. ``paper`` is "letter" (default) or "a4"."""
    return render_summary(summary, paper=paper, sharing=sharing).data
