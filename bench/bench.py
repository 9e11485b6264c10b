"""`make bench`: every benchmark, measured in one run on this machine; prints figures and ratios."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

# bench/ itself, and tests/ for the shared personas and HTTP helpers
sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

PARTS = [
    ("rules core", "bench_core"),
    ("answer code", "bench_codec"),
    ("PDF", "bench_pdf"),
    ("web", "bench_web"),
    ("front door (nginx + 2 gunicorn instances)", "bench_proxy"),
]


def main() -> None:
    for title, module_name in PARTS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        print(f"== {title} ==")
        for line in module.run():
            print(f"  {line}")


if __name__ == "__main__":
    main()
