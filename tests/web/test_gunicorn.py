"""`make run`'s server: gunicorn with two workers shares one development key, so a session
started in one worker keeps working in the other."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from personas import SAFE

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


class Server:
    """gunicorn with the project's config and two workers on loopback.

    gunicorn binds port 0 itself and the test reads the port it got from its log, so no other
    process can take the port between choosing and binding it. A server that never answers
    fails the test with everything it logged.
    """

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
        env |= {"SCREENING_BIND": "127.0.0.1:0", "SCREENING_WORKERS": "2"}
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 - readable while running; closed in stop()
        self.proc = subprocess.Popen(
            [str(GUNICORN), "--config", "screening/gunicorn_conf.py"],
            cwd=ROOT,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            found = LISTENING.search(self.log())
            if found:
                self.base = f"http://127.0.0.1:{found.group(1)}"
                try:
                    urllib.request.urlopen(self.base + "/healthz", timeout=1)  # noqa: S310
                    return
                except OSError:
                    pass
            time.sleep(0.1)
        log = self.log()
        self.proc.kill()
        raise AssertionError(f"gunicorn never answered on /healthz. Its output:\n{log}")

    def log(self) -> str:
        if self.output.closed:
            return ""
        self.output.seek(0)
        return self.output.read().decode()

    def stop(self) -> str:
        """Stop the server; returns everything it logged."""
        self.proc.terminate()
        self.proc.wait(timeout=15)
        text = self.log()
        self.output.close()
        return text


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    if running.proc.poll() is None:
        running.stop()


def test_two_workers_share_sessions(server: Server) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(path: str) -> str:
        return str(opener.open(server.base + path, timeout=5).read().decode())

    def post(path: str, data: dict[str, str], token: str) -> str:
        body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
        with opener.open(server.base + path, data=body, timeout=5) as response:
            return str(response.geturl())

    def token(html: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert found
        return found.group(1)

    start = get("/")
    assert post("/start", {}, token(start)).endswith("/questions/safety")
    # Requests in parallel, so the second worker must take some while the first is busy.
    with ThreadPoolExecutor(max_workers=4) as pool:
        pages = list(pool.map(lambda _: get("/questions/safety"), range(40)))
    assert all("First, a few safety questions" in html for html in pages)
    html = pages[-1]
    answers = SAFE
    assert post("/questions/safety", answers, token(html)).endswith("/questions/about_you")
    # The page after the safety check only shows with the answered session. Keep asking until
    # both workers have served it (parallel requests make the second worker take some).
    served_by: set[str] = set()
    for _ in range(10):
        with ThreadPoolExecutor(max_workers=4) as pool:
            pages = list(pool.map(lambda _: get("/questions/about_you"), range(40)))
        assert all("How old are you?" in html for html in pages)
        served_by = set(
            re.findall(
                r"pid=(\d+) request id=\w+ method=GET route=\S+ "
                r"path=/questions/about_you status=200",
                server.log(),
            )
        )
        if len(served_by) == 2:
            break
    assert len(served_by) == 2, server.log()
    assert "made a random one for this run" in server.stop()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"SCREENING_PAPER": "tabloid"}, "SCREENING_PAPER must be letter or a4"),
        ({"SCREENING_ENV": "production"}, "SCREENING_SECRET_KEY is not set"),
        (
            {"SCREENING_WORKERS": "four"},
            "SCREENING_WORKERS must be a whole number of worker processes, 1 or more (got 'four')",
        ),
        ({"SCREENING_THREADS": "0"}, "SCREENING_THREADS must be a whole number of threads"),
        ({"SCREENING_MAX_REQUESTS": "-5"}, "SCREENING_MAX_REQUESTS must be a whole number"),
        ({"SCREENING_TIMEOUT": "30s"}, "SCREENING_TIMEOUT must be a whole number of seconds"),
        ({"SCREENING_TRUSTED_PROXIES": "x"}, "SCREENING_TRUSTED_PROXIES must be a whole number"),
        (
            {"SCREENING_SESSION_MINUTES": "-5"},
            "SCREENING_SESSION_MINUTES must be a whole number of minutes, 1 or more (got '-5')",
        ),
        (
            {"SCREENING_ENV": "production", "SCREENING_SECRET_KEY": "short"},
            "SCREENING_SECRET_KEY is too short (5 bytes)",
        ),
    ],
)
def test_bad_settings_stop_the_server_with_one_clear_line(
    setting: dict[str, str], message: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")} | setting
    result = subprocess.run(
        [str(GUNICORN), "--config", "screening/gunicorn_conf.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_broken_rules_file_at_start_is_reported_once_without_a_traceback(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "rules.yaml"
    text = (ROOT / "rules.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("level: urgent", "level: urgnet", 1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env |= {"SCREENING_RULES_PATH": str(broken), "SCREENING_WORKERS": "3", "SCREENING_PORT": "0"}
    done = subprocess.run(
        [str(GUNICORN), "--config", "screening/gunicorn_conf.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "Traceback" not in output
    assert output.count(f"{broken}:") == 1 and "urgnet" in output
    assert "Cannot start: the rules file has errors." in output


def resolved_config(env: dict[str, str], cpus: str) -> dict[str, str]:
    """gunicorn's own view of the config when it may only use ``cpus`` (taskset's list)."""
    result = subprocess.run(
        [
            "taskset",
            "-c",
            cpus,
            GUNICORN,
            "--config",
            "screening/gunicorn_conf.py",
            "--print-config",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")} | env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def test_workers_follow_the_cpus_this_process_may_use_and_threads_serve_pages() -> None:
    config = resolved_config({}, "0")  # as in a container limited to one CPU
    assert config["workers"] == "2"  # one usable CPU + 1, whatever the host has
    assert config["worker_class"] == "gthread"
    assert config["threads"] == "4"
    assert (config["max_requests"], config["max_requests_jitter"]) == ("2000", "200")
    config = resolved_config(
        {"SCREENING_WORKERS": "3", "SCREENING_THREADS": "2", "SCREENING_MAX_REQUESTS": "50"}, "0"
    )
    assert (config["workers"], config["threads"]) == ("3", "2")
    assert (config["max_requests"], config["max_requests_jitter"]) == ("50", "5")
