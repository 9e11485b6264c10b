"""The reference deployment (deploy/): nginx in front of two gunicorn instances, on loopback.

One stack serves the module (started once); the rules-file test makes its own. Every request
here is a real HTTP request through nginx. Nothing is timed: a slow machine makes these
tests slower, never red.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from http_journey import Browser, answer_page, fields_on, start, walk
from personas import PERSONA_1
from slow_clients import SlowClients

from deploy.proxy import STATIC_DIR, ProxyStack, StackError, render_config
from screening import load_rules

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]


def server_env(**settings: str) -> dict[str, str]:
    """This machine's environment without its SCREENING_ settings, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    return env | {"SCREENING_WORKERS": "2", "SCREENING_THREADS": "4"} | settings


@pytest.fixture(scope="module")
def stack() -> Iterator[ProxyStack]:
    with ProxyStack(env=server_env()) as running:
        yield running


def request(
    stack: ProxyStack,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection from ``source``; redirects are not followed."""
    conn = http.client.HTTPConnection(
        stack.connect_host, stack.port, timeout=30, source_address=(source, 0)
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def new_log(stack: ProxyStack, since: list[int]) -> str:
    """What the instances logged after ``since`` (their log lengths then)."""
    return "".join(i.output()[n:] for i, n in zip(stack.instances, since, strict=True))


# --- a) slow clients ----------------------------------------------------------------------


def test_slow_clients_do_not_hold_up_other_peoples_pages(stack: ProxyStack) -> None:
    person = Browser(stack.url)
    start(person)  # a journey in progress: its question page needs the session
    cookie = {"Cookie": person.cookie()}
    logged = [len(i.output()) for i in stack.instances]

    def healthz(_: int) -> tuple[int, bytes]:
        status, _headers, body = request(stack, "GET", "/healthz")
        return status, body

    def page(_: int) -> tuple[int, bytes]:
        status, _headers, body = request(stack, "GET", "/questions/safety", headers=cookie)
        return status, body

    with (
        SlowClients(stack.connect_host, stack.port, headers=20, bodies=5) as attack,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        checks = list(pool.map(healthz, range(40)))
        pages = list(pool.map(page, range(30)))
        assert attack.errors == [], attack.errors

    for status, body in checks:
        assert status == 200 and json.loads(body)["status"] == "ok", (status, body[:300])
    for status, body in pages:
        assert status == 200 and b"First, a few safety questions" in body, (status, body[:300])
    # nginx kept the attack to itself: no slow request ever reached gunicorn.
    assert "User-Agent: slow" not in new_log(stack, logged)
    assert "method=POST route=/questions/<page_id>" not in new_log(stack, logged)


# --- b) losing an instance in the middle of a journey -------------------------------------


def test_a_journey_carries_on_when_an_instance_is_killed(stack: ProxyStack) -> None:
    rules = load_rules()
    person = Browser(stack.url, source="127.0.0.3")
    given: dict[str, object] = {}
    path = start(person)
    for _ in range(2):  # the safety page, then one more
        given |= {q: PERSONA_1[q] for q in fields_on(person.html) if q in PERSONA_1}
        path = answer_page(person, path, PERSONA_1)
    assert given and "safety_climbing" in given and "age" in given
    # Both instances have served this journey (nginx takes turns), so the one to be killed
    # holds nothing the other lacks; ask again until its log shows it.
    victim = stack.instances[0]
    for _ in range(20):
        if f"path={path} status=200" in victim.output():
            break
        assert person.get(path)[0] == 200
    assert f"path={path} status=200" in victim.output(), stack.output()

    victim.kill()  # SIGKILL: master and workers, mid-journey
    try:
        assert not victim.alive and victim.group() == []  # no master, no worker left
        seen = walk(person, PERSONA_1, path=path)
        assert seen[-1] == "/check"
        rows = person.check_rows()
        for qid, value in given.items():
            question = rules.questions[qid]
            name = question.name[:1].upper() + question.name[1:]  # check answers: short names
            assert rows.get(name) == question.answer_text(value), (qid, rows)
        status, final, page = person.get("/results")
        assert (status, final) == (200, "/results"), page[:500]
        status, headers, pdf = request(
            stack,
            "POST",
            "/results/pdf",
            body=f"csrf_token={person.token}&paper=letter".encode(),
            headers={
                "Cookie": person.cookie(),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            source="127.0.0.3",
        )
        assert status == 200 and headers["Content-Type"] == "application/pdf", pdf[:300]
    finally:
        stack.restart(0)  # the module's stack is whole again for any later test


# --- limits, sizes, static files ----------------------------------------------------------


def test_the_pdf_route_is_limited_per_client_address(stack: ProxyStack) -> None:
    statuses = [request(stack, "POST", "/results/pdf", source="127.0.0.5")[0] for _ in range(12)]
    assert 429 in statuses, statuses  # the burst of 5 is used up long before 12
    status, headers, body = request(stack, "POST", "/results/pdf", source="127.0.0.5")
    assert status == 429 and headers["Retry-After"] == "60"
    assert b"Please try again in a minute" in body and b"nginx" not in body
    # Someone else, and this person's other pages, are not held back.
    assert request(stack, "POST", "/results/pdf", source="127.0.0.6")[0] != 429
    assert request(stack, "GET", "/", source="127.0.0.5")[0] == 200


def test_bodies_over_the_limit_are_refused_before_the_app(stack: ProxyStack) -> None:
    me = "127.0.0.4"  # this test's own client address, for its own request budget
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, headers, body = request(
        stack, "POST", "/questions/safety", body=b"a=" + b"x" * 100_000, headers=form, source=me
    )
    assert status == 413 and "X-Request-ID" not in headers  # the app never saw it
    assert b"That was too much text" in body
    # /resume and /open will take uploads of up to ~256 KB: nginx lets them through (and,
    # as the app leaves them unread today, on connections of their own: the pages and POSTs
    # in between must not meet a connection gunicorn has closed).
    for _ in range(5):
        for path in ("/resume", "/open"):
            status, headers, _ = request(
                stack, "POST", path, body=b"a=" + b"x" * 200_000, headers=form, source=me
            )
            assert "X-Request-ID" in headers, (path, status)  # answered by the app
            status, headers, _ = request(
                stack, "POST", "/start", body=b"a=b", headers=form, source=me
            )
            assert "X-Request-ID" in headers and status < 500, status
    for path in ("/resume", "/open"):
        status, headers, body = request(
            stack, "POST", path, body=b"a=" + b"x" * 400_000, headers=form, source=me
        )
        assert status == 413 and "X-Request-ID" not in headers, path
        assert b"That was too much text" in body


def test_static_files_come_from_nginx_with_an_hour_of_caching(stack: ProxyStack) -> None:
    status, headers, body = request(stack, "GET", "/static/app.css")
    assert status == 200
    assert body == (STATIC_DIR / "app.css").read_bytes()
    assert headers["Cache-Control"] == "max-age=3600"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-ID" not in headers  # not the app
    assert request(stack, "GET", "/static/../rules.yaml")[0] in (400, 404)
    assert request(stack, "GET", "/static/missing.css")[0] == 404


def test_pages_are_never_cached_and_forwarded_headers_are_not_taken_from_clients(
    stack: ProxyStack,
) -> None:
    status, headers, _ = request(
        stack, "GET", "/", headers={"X-Forwarded-Host": "evil.example", "Host": "check.local"}
    )
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert "evil.example" not in json.dumps(headers)


# --- the script itself ---------------------------------------------------------------------


def test_the_config_template_gets_every_value(tmp_path: Path) -> None:
    config = render_config(listen="127.0.0.1:1", run_dir=tmp_path, upstreams=["unix:/x.sock"])
    assert "@" not in config.replace("$", "")  # no placeholder left behind
    assert "server unix:/x.sock" in config
    with pytest.raises(StackError, match="no value for @PAGE_BURST@, @PAGE_RATE@"):
        render_config(
            listen="127.0.0.1:1",
            run_dir=tmp_path,
            upstreams=["unix:/x.sock"],
            limits={"PDF_RATE": "1", "PDF_BURST": "1", "CONN_PER_IP": "1", "PDF_CONN_PER_IP": "1"},
        )


def test_make_proxy_refuses_a_bad_port_with_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deploy.proxy"],
        cwd=ROOT,
        env=server_env(PROXY_PORT="80800"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "Cannot start: PROXY_PORT must be a port number (got '80800')"


# --- c) a broken rules file while workers recycle -----------------------------------------


def test_rules_file_fault_through_the_proxy(tmp_path: Path) -> None:
    """Hook for rules-file fault tests through the proxy: the rules file breaks while workers
    recycle; every request still gets 200 and both instances say the file is not ok."""
    rules = tmp_path / "rules.yaml"
    shutil.copyfile(ROOT / "rules.yaml", rules)
    env = server_env(
        SCREENING_RULES_PATH=str(rules),
        SCREENING_MAX_REQUESTS="5",
        SCREENING_INSTANCE_DIR=str(tmp_path / "instance"),  # where the last good copy is kept
    )
    with ProxyStack(env=env) as stack:
        with rules.open("a", encoding="utf-8") as broken:
            broken.write("\nsections: [this is: not: valid yaml\n")

        def booted(instance_log: str) -> int:
            return instance_log.count("Booting worker with pid")

        for sent in range(300):
            status, _, body = request(stack, "GET", "/" if sent % 2 else "/healthz")
            assert status == 200, (sent, status, body[:300], stack.output())
            if all(booted(i.output()) >= 3 for i in stack.instances) and sent > 10:
                break  # every instance has started a new worker on the broken file
        else:
            raise AssertionError(f"workers did not recycle\n{stack.output()}")

        for instance in stack.instances:
            for _ in range(100):
                status, body = instance.get("/healthz")
                assert status == 200, (instance.name, body[:300], stack.output())
                if json.loads(body)["rules_file_ok"] is False:
                    break
            else:
                raise AssertionError(f"{instance.name} never noticed\n{stack.output()}")
