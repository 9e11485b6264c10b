"""Benchmarks of the rules core: start-up (load + check) and evaluate per answer set."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# bench/ itself, and tests/ for the shared personas and HTTP helpers
sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

from personas import PERSONA_1, PERSONA_3, SEED, all_yes  # noqa: E402

from screening import evaluate, load_rules  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds per call."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run() -> list[str]:
    load_rules()  # warm imports and file cache; start-up below is the load + check itself
    load = timed(load_rules, 20)
    rules = load_rules()
    sets = {
        "persona 1 (no flags)": PERSONA_1,
        "persona 3 (typical)": PERSONA_3,
        "seed persona": SEED,
        "all yes (full catalogue)": all_yes(rules),
    }
    lines = [f"rules load + check: {load * 1000:.1f} ms (goal ≤ 1000 ms)"]
    for name, answers in sets.items():
        per_call = timed(lambda a=answers: evaluate(a, rules), 300)  # type: ignore[misc]
        flags = len(evaluate(answers, rules).flags)
        lines.append(f"evaluate {name}: {per_call * 1e6:.0f} µs, {flags} flags (goal ≤ 1 ms)")
    # The public API without rules=: the first call loads and checks rules.yaml, later calls
    # reuse it while the file is unchanged.
    import screening

    start = time.perf_counter()
    screening.evaluate(SEED)
    first = time.perf_counter() - start
    second = timed(lambda: screening.evaluate(SEED), 300)
    lines.append(
        f"screening.evaluate(answers) without rules=: first call {first * 1000:.0f} ms, "
        f"second and later {second * 1e6:.0f} µs (goal < 1 ms)"
    )
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
