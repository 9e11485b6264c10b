"""Benchmarks of the PDF: first render after import, warm renders against a one-line document, memory."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def run() -> list[str]:
    start = time.perf_counter()
    from weasyprint import HTML

    from screening import load_rules
    from screening.pdf import render_summary, render_summary_pdf
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
        f"ratio all-yes / one-line: {all_yes_time / one_line:.1f}",
        f"memory: RSS {rss_before:.0f} MB before, {rss_after:.0f} MB after {MEMORY_RUNS} seed "
        f"renders (+{rss_after - rss_before:.1f} MB; {loop / MEMORY_RUNS * ms:.0f} ms each)",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
