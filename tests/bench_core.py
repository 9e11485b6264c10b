"""Benchmarks of the rules core: start-up (load + check) and evaluate per answer set."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from personas import PERSONA_1, PERSONA_3, SEED  # noqa: E402

from screening import evaluate, load_rules  # noqa: E402
from screening.questionnaire.model import EXCLUSIVE_CHOICES  # noqa: E402
from screening.rules import Catalogue  # noqa: E402


def all_yes(rules: Catalogue) -> dict[str, Any]:
    """Every question answered: yes, the first choice, every non-exclusive choice, max number."""
    answers: dict[str, Any] = {}
    for q in rules.ordered_questions():
        if q.type in ("yesno", "confirm"):
            answers[q.id] = "yes"
        elif q.type == "single":
            answers[q.id] = q.choices[0].value
        elif q.type == "multi":
            answers[q.id] = [v for v in q.choice_values() if v not in EXCLUSIVE_CHOICES]
        elif q.type == "number":
            answers[q.id] = q.max
        else:
            answers[q.id] = "All these words are my own notes. " * 14
    for q in rules.ordered_questions():
        if q.not_above and isinstance(answers.get(q.not_above), int):
            answers[q.id] = min(answers[q.id], answers[q.not_above])
    return answers


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
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
