"""Benchmarks of the PDF: first render, warm renders against a one-line document and against
the same text as plain paragraphs in the same font (the cost of the structure), memory."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from pathlib import Path

# bench/ itself, and tests/ for the shared personas and HTTP helpers
sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

from bench_core import timed  # noqa: E402
from personas import SEED, all_yes  # noqa: E402

WARM_RUNS = 15
MEMORY_RUNS = 500


def _rss_mb() -> float:
    """Resident memory now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - not Linux


class _Text(HTMLParser):
    """The text of the summary's HTML, one string per block: what the plain version prints."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "tr", "dt", "dd", "div", "th", "td"}

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("svg", "title", "head"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("svg", "title", "head"):
            self.skip -= 1
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def plain_paragraphs(summary_html: str) -> str:
    parser = _Text()
    parser.feed(summary_html)
    body = "".join(f"<p>{escape(block)}</p>" for block in parser.blocks)
    return f'<!DOCTYPE html><html lang="en"><head><title>x</title></head><body>{body}</body></html>'


def run() -> list[str]:
    start = time.perf_counter()
    from weasyprint import CSS, HTML

    from screening import load_rules
    from screening.pdf import (
        FETCHER,
        PDF_VARIANT,
        STATIC,
        _stylesheets,
        render_summary,
        render_summary_pdf,
        summary_html,
    )
    from screening.share import sharing
    from screening.summary import summary_of_answers

    imported = time.perf_counter() - start
    rules = load_rules()
    seed = summary_of_answers(rules, SEED)
    everything = summary_of_answers(rules, all_yes(rules))

    start = time.perf_counter()
    first = render_summary(seed)
    cold = time.perf_counter() - start

    persona = timed(lambda: render_summary_pdf(seed), WARM_RUNS)
    full = render_summary(everything)
    all_yes_time = timed(lambda: render_summary_pdf(everything), WARM_RUNS)
    a4 = timed(lambda: render_summary_pdf(seed, paper="a4"), WARM_RUNS)
    one_line = timed(lambda: HTML(string="<p>x</p>").write_pdf(), WARM_RUNS)

    # The same words as plain paragraphs, in the same vendored font, same PDF/UA output.
    shared = sharing(SEED, rules, public_url="https://nerve-check.example.org", today=seed.created)
    with_qr = timed(lambda: render_summary_pdf(seed, sharing=shared), WARM_RUNS)
    plain_html = plain_paragraphs(summary_html(seed))
    sheets, font_config = _stylesheets("letter")
    font_only = [
        sheets[0],
        CSS(
            string="html { font-family: 'Atkinson Hyperlegible'; font-size: 9pt }",
            font_config=font_config,
        ),
    ]

    def plain() -> bytes:
        doc = HTML(string=plain_html, base_url=STATIC.as_uri() + "/", url_fetcher=FETCHER)
        rendered = doc.render(
            font_config=font_config, stylesheets=font_only, pdf_variant=PDF_VARIANT
        )
        return bytes(rendered.write_pdf(pdf_variant=PDF_VARIANT))

    # The ratios come from interleaved runs (seed, plain, one-line, seed, ...), so a busy
    # moment on a shared machine slows all three alike instead of skewing one of them.
    samples: dict[str, list[float]] = {"seed": [], "plain": [], "one": []}
    work: dict[str, Callable[[], object]] = {
        "seed": lambda: render_summary_pdf(seed),
        "plain": plain,
        "one": lambda: HTML(string="<p>x</p>").write_pdf(),
    }
    for _ in range(WARM_RUNS):
        for name, fn in work.items():
            began = time.perf_counter()
            fn()
            samples[name].append(time.perf_counter() - began)
    persona, plain_time, one_line = (
        statistics.median(samples[n]) for n in ("seed", "plain", "one")
    )

    rss_before = _rss_mb()
    start = time.perf_counter()
    for _ in range(MEMORY_RUNS):
        render_summary_pdf(seed)
    loop = time.perf_counter() - start
    rss_after = _rss_mb()

    ms = 1000
    return [
        f"import weasyprint + screening.pdf: {imported * ms:.0f} ms",
        f"first render after import (cold, seed persona, CSS + fonts parsed here): "
        f"{cold * ms:.0f} ms",
        f"seed persona, warm median of {WARM_RUNS}: {persona * ms:.0f} ms "
        f"({first.pages} pages, {len(first.data) / 1024:.0f} KB)",
        f"seed persona on A4, warm median: {a4 * ms:.0f} ms",
        f"all-yes answers, warm median of {WARM_RUNS}: {all_yes_time * ms:.0f} ms "
        f"({full.pages} pages, {len(full.data) / 1024:.0f} KB)",
        f"WeasyPrint one-line document, warm median: {one_line * ms:.1f} ms",
        f"ratio seed persona / one-line: {persona / one_line:.1f} (goal <= 15)",
        f"seed text as plain paragraphs, same font: {plain_time * ms:.0f} ms; ratio seed persona / "
        f"plain paragraphs: {persona / plain_time:.2f} (goal <= 1.5)",
        f"seed persona with QR code and attached answers file: {with_qr * ms:.0f} ms",
        f"ratio all-yes / one-line: {all_yes_time / one_line:.1f}",
        f"memory: RSS {rss_before:.0f} MB before, {rss_after:.0f} MB after {MEMORY_RUNS} seed "
        f"renders (+{rss_after - rss_before:.1f} MB; {loop / MEMORY_RUNS * ms:.0f} ms each)",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
