"""Web benchmarks, measured in one run: question-page rate vs a hello-world route served by
the same gunicorn (production config, 2 workers, loopback), and page weights."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from personas import SAFE

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DURATION = 5  # seconds per wrk run
ANSWERED = SAFE  # every safety question answered "no"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn() -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env |= {
        "SCREENING_ENV": "production",
        "SCREENING_SECRET_KEY": "bench-only-secret-" + "0" * 32,  # production wants 32+ bytes
        "SCREENING_COOKIE_SECURE": "0",  # plain http on loopback
        "SCREENING_PORT": str(port),
        "SCREENING_WORKERS": "2",
        "SCREENING_LOG_LEVEL": "warning",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT / 'tests'}",  # bench_app lives in bench/
    }
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "screening/gunicorn_conf.py",
            "--access-logfile",
            "/dev/null",
            "bench_app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=None,  # a refusal to start (a bad setting, broken rules) shows here
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited with {proc.returncode}") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 30 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def session_cookie(base: str) -> str:
    """A session that has passed the safety page, as a browser would hold it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    html = opener.open(base + "/").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    opener.open(base + "/start", data=urllib.parse.urlencode({"csrf_token": token}).encode())
    html = opener.open(base + "/questions/safety").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    body = urllib.parse.urlencode({**ANSWERED, "csrf_token": token}).encode()
    opener.open(base + "/questions/safety", data=body)
    jar = opener.handlers  # type: ignore[attr-defined]  # find the cookie processor's jar
    for handler in jar:
        if isinstance(handler, urllib.request.HTTPCookieProcessor):
            for cookie in handler.cookiejar:
                if cookie.name == "screening_session":
                    return f"{cookie.name}={cookie.value}"
    raise RuntimeError("no session cookie")


def wrk_rate(url: str, cookie: str | None = None) -> float:
    cmd = ["wrk", "-t2", "-c8", f"-d{DURATION}s", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def weight(base: str, path: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    return len(urllib.request.urlopen(request).read())  # noqa: S310 - loopback


def run() -> list[str]:
    lines: list[str] = []
    with gunicorn() as base:
        cookie = session_cookie(base)
        assets = [
            "/static/app.css",
            "/static/app.js",
            "/static/fonts/fonts.css",
            "/static/fonts/atkinson-hyperlegible-latin-400-normal.woff2",
            "/static/fonts/atkinson-hyperlegible-latin-700-normal.woff2",
        ]
        first = weight(base, "/") + sum(weight(base, a) for a in assets)
        lines.append(
            f"first page weight (start page + CSS + JS + 2 font files): {first / 1024:.1f} KB"
            " (goal <= 60 KB)"
        )
        for path in ["/questions/safety", "/questions/about_you", "/questions/gut", "/check"]:
            lines.append(
                f"later page {path}: {weight(base, path, cookie) / 1024:.1f} KB (goal <= 15 KB)"
            )
        if shutil.which("wrk") is None:
            lines.append("wrk not installed: request rates skipped (make bench installs it)")
            return lines
        wrk_rate(base + "/bench/hello")  # warm both workers
        hello = wrk_rate(base + "/bench/hello")
        page = wrk_rate(base + "/questions/about_you", cookie)
        start = wrk_rate(base + "/")
        lines.append(f"hello-world route: {hello:.0f} req/s (same gunicorn, 2 workers, wrk -c8)")
        lines.append(
            f"question page /questions/about_you: {page:.0f} req/s = "
            f"{100 * page / hello:.0f}% of hello-world (goal >= 50%)"
        )
        lines.append(f"start page: {start:.0f} req/s = {100 * start / hello:.0f}% of hello-world")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
