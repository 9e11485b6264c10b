"""Gunicorn settings for `make run` and production (`gunicorn -c screening/gunicorn_conf.py`).

Everything comes from environment variables (see README). This file runs once in the gunicorn
master before workers fork, which is where a development secret key is made: every worker
inherits the same key, so a session started in one worker is valid in the next.
"""

from __future__ import annotations

import logging
import os
import secrets

from screening.config import Settings, SettingsError, whole_number


def usable_cpus() -> int:
    """The CPUs this process may run on (a container's cpuset), not every CPU of the host."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - not Linux


# A mistyped setting stops the server here with one clear line, not a traceback per worker.
try:
    Settings.from_env()
    # Page requests are light; the PDF path is CPU-bound (a few tenths of a second), so one
    # worker per usable core plus one keeps the CPUs busy. Threads let a worker answer pages
    # and /healthz while one of its threads renders a PDF (one render at a time per worker,
    # see screening/web/pdf_download.py).
    workers = whole_number(
        os.environ, "SCREENING_WORKERS", usable_cpus() + 1, minimum=1, unit="worker processes"
    )
    threads = whole_number(os.environ, "SCREENING_THREADS", 4, minimum=1, unit="threads")
    timeout = whole_number(os.environ, "SCREENING_TIMEOUT", 30, minimum=1, unit="seconds")
    # Recycle workers now and then, so memory stays flat for months; the jitter keeps them
    # from all restarting at once.
    max_requests = whole_number(
        os.environ, "SCREENING_MAX_REQUESTS", 2000, minimum=1, unit="requests"
    )
except SettingsError as exc:
    raise SystemExit(f"Cannot start: {exc}") from None

_port = os.environ.get("SCREENING_PORT", "5000").strip() or "5000"

bind = os.environ.get("SCREENING_BIND", f"127.0.0.1:{_port}")
worker_class = "gthread"
max_requests_jitter = max_requests // 10
graceful_timeout = 10
keepalive = 5  # nginx's upstream keepalive_timeout (deploy/) is shorter, so it closes first
limit_request_line = 4094
limit_request_fields = 50
loglevel = os.environ.get("SCREENING_LOG_LEVEL", "info").lower()
# The app logs one structured line per request (screening.request: id, route, status, ms);
# gunicorn's own access log would only repeat it. SCREENING_ACCESS_LOG=1 turns it on.
accesslog = "-" if os.environ.get("SCREENING_ACCESS_LOG") == "1" else None
errorlog = "-"
# gunicorn 24+ opens a control socket at one path per user (~/.gunicorn/gunicorn.ctl), which
# two instances on one machine (deploy/proxy.py) would fight over; nothing here uses it.
control_socket_disable = True
wsgi_app = "screening:create_app()"


def post_worker_init(worker: object) -> None:
    """Load WeasyPrint, the PDF stylesheets and fonts now, so the first PDF is not slow."""
    from screening import pdf

    pdf.warm_up()


# A mistyped setting, or a broken rules file, stops the server here with every problem listed
# once, not a traceback per worker. Workers that start later (recycled by max_requests, or after
# a crash) never stop on a broken file: they serve the last good copy (screening.rules.store).
def _check_before_start() -> None:
    from screening.config import Settings, SettingsError
    from screening.rules import DEFAULT_RULES, RulesInvalid, load_rules

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise SystemExit(f"Cannot start: {exc}") from None
    try:
        load_rules(settings.rules_path or DEFAULT_RULES)
    except RulesInvalid as exc:
        raise SystemExit(
            "\n".join(
                [
                    "Cannot start: the rules file has errors.",
                    *exc.lines(),
                    "Fix them and start again.",
                ]
            )
        ) from None


_check_before_start()

if not os.environ.get("SCREENING_SECRET_KEY"):
    # Development only (production stopped above): one key made here, in the master, before the
    # workers fork, so every worker shares it and a session works across workers.
    os.environ["SCREENING_SECRET_KEY"] = secrets.token_hex(32)
    logging.getLogger("gunicorn.error").warning(
        "No SCREENING_SECRET_KEY set: made a random one for this run, shared by all workers. "
        "Sessions end when the server restarts."
    )
