"""`make load`: locust, headless, fixed users and duration, against gunicorn with the
production config on 127.0.0.1. Prints rps, p50/p95/p99 per page and the error count."""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from pathlib import Path

# bench/ itself, and tests/ for the shared personas and HTTP helpers
sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

from bench_web import BIN, ROOT, gunicorn  # noqa: E402

USERS = 10
DURATION = "60s"


def main() -> int:
    with gunicorn() as base, tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "load"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                str(USERS),
                "-t",
                DURATION,
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            check=False,
            cwd=ROOT,
        )
        with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
            rows = list(csv.DictReader(stats))
    print(f"\n{USERS} users, {DURATION}, gunicorn production config, 2 workers, loopback")
    print(
        f"{'page':<28}{'requests':>9}{'fails':>7}{'rps':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    )
    failures = 0
    for row in rows:
        failures += int(row["Failure Count"]) if row["Name"] == "Aggregated" else 0
        name = f"{row['Type']} {row['Name']}".strip()
        print(
            f"{name:<28}{row['Request Count']:>9}{row['Failure Count']:>7}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
    print(f"errors: {failures} (must be 0)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
