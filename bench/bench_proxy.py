"""Front-door benchmark, through nginx and two gunicorn instances (deploy/proxy.py, production
config, default worker count): /healthz latency at rest, during a slow-client attack, and
during a burst of concurrent PDF downloads (each from its own client address, as 40 people
would be); a question page is sampled alongside /healthz."""

from __future__ import annotations

import http.client
import itertools
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(Path(__file__).resolve().parent), str(ROOT / "tests"), str(ROOT)]

from http_journey import Browser, walk  # noqa: E402
from personas import PERSONA_1  # noqa: E402
from slow_clients import SlowClients  # noqa: E402

from deploy.proxy import ProxyStack  # noqa: E402

AT_REST = 200  # /healthz requests, one after another, each on a new connection
SLOWLORIS = 50  # sockets trickling a request header
SLOW_BODIES = 10  # and POST bodies
PDF_BURST = 40  # concurrent PDF downloads


_probes = itertools.count()


def get_ms(stack: ProxyStack, path: str, headers: dict[str, str] | None = None) -> float:
    """Milliseconds for one GET on a new connection; raises unless it is a 200. Each comes
    from the next of 250 loopback addresses: other people, each within nginx's page limit."""
    source = f"127.0.2.{next(_probes) % 250 + 1}"
    started = time.perf_counter()
    conn = http.client.HTTPConnection(
        stack.connect_host, stack.port, timeout=60, source_address=(source, 0)
    )
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return (time.perf_counter() - started) * 1000


def spread(samples: list[float]) -> str:
    p50 = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) >= 2 else samples[0]
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(samples):.1f} ms (n={len(samples)})"


def sample_while(busy: Callable[[], bool], probe: Callable[[], float]) -> list[float]:
    samples = [probe()]
    while busy():
        samples.append(probe())
    return samples


def pdf_burst(stack: ProxyStack, person: Browser) -> tuple[Counter[int], list[float], float]:
    """PDF_BURST PDF downloads at once, each from its own address; (statuses, ms each, s)."""
    body = f"csrf_token={person.token}&paper=letter".encode()
    headers = {"Cookie": person.cookie(), "Content-Type": "application/x-www-form-urlencoded"}

    def download(n: int) -> tuple[int, float]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection(
            stack.connect_host, stack.port, timeout=120, source_address=(f"127.0.1.{n + 1}", 0)
        )
        try:
            conn.request("POST", "/results/pdf", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        return response.status, (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=PDF_BURST) as pool:
        results = list(pool.map(download, range(PDF_BURST)))
    return Counter(s for s, _ in results), [ms for _, ms in results], time.perf_counter() - started


def run() -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env |= {
        "SCREENING_ENV": "production",
        "SCREENING_SECRET_KEY": "bench-only-secret-" + "0" * 32,  # production wants 32+ bytes
        "SCREENING_COOKIE_SECURE": "0",  # plain http on loopback
        "SCREENING_LOG_LEVEL": "warning",
    }
    lines: list[str] = []
    with ProxyStack(env=env) as stack:
        person = Browser(stack.url, source="127.0.0.9")
        walk(person, PERSONA_1)
        assert person.get("/results")[0] == 200
        page = {"Cookie": person.cookie()}
        workers = (
            stack.instances[0].env.get("SCREENING_WORKERS") or f"{len(os.sched_getaffinity(0)) + 1}"
        )
        lines.append(
            f"nginx + {len(stack.instances)} gunicorn instances x {workers} workers x 4 threads"
        )
        for _ in range(20):  # warm every worker
            get_ms(stack, "/healthz")
            get_ms(stack, "/questions/about_you", page)

        rest = [get_ms(stack, "/healthz") for _ in range(AT_REST)]
        lines.append(f"/healthz at rest: {spread(rest)}")

        with SlowClients(
            stack.connect_host, stack.port, headers=SLOWLORIS, bodies=SLOW_BODIES
        ) as attack:
            slow = [get_ms(stack, "/healthz") for _ in range(AT_REST)]
            pages = [get_ms(stack, "/questions/about_you", page) for _ in range(AT_REST // 4)]
            connected = attack.connections
        lines.append(
            f"/healthz during {SLOWLORIS} slowloris + {SLOW_BODIES} slow-body sockets: "
            f"{spread(slow)}"
        )
        lines.append(f"  question page meanwhile: {spread(pages)} ({connected} slow connections)")

        done = threading.Event()
        outcome: list[tuple[Counter[int], list[float], float]] = []

        def burst() -> None:
            try:
                outcome.append(pdf_burst(stack, person))
            finally:
                done.set()

        thread = threading.Thread(target=burst)
        thread.start()
        during: list[float] = []
        during_pages: list[float] = []

        def probe() -> float:
            during_pages.append(get_ms(stack, "/questions/about_you", page))
            return get_ms(stack, "/healthz")

        during = sample_while(lambda: not done.is_set(), probe)
        thread.join()
        statuses, pdf_ms, seconds = outcome[0]
        lines.append(f"/healthz during a burst of {PDF_BURST} concurrent PDFs: {spread(during)}")
        lines.append(f"  question page meanwhile: {spread(during_pages)}")
        answered = ", ".join(f"{n} x {code}" for code, n in sorted(statuses.items()))
        lines.append(f"  the PDFs: {answered} in {seconds:.1f} s; each took {spread(pdf_ms)}")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
