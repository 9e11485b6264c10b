"""One structured log line per request: id, method, route, status, duration. Never answers.

The route is the URL rule ("/questions/<page_id>"), and the path only ever holds a page id,
so no answer, name or free text can reach the log through here.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import time

from flask import Flask, g, request
from werkzeug.wrappers import Response

log = logging.getLogger("screening.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")  # accept a proxy's id only if it looks like one
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s pid=%(process)d %(message)s"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_value(value: str, *, spaces: bool = False) -> str:
    """A value safe to put in one log line: no line breaks or control characters (a crafted
    URL such as /x%0a... request id=forged cannot write a line of its own), and with
    ``spaces`` no spaces either, so a value cannot pose as further key=value fields."""
    return (_SPACE_OR_CONTROL if spaces else _CONTROL).sub(_escape, value)


class _EscapeControls(logging.Filter):
    """Every string argument of every log record of ours is escaped (see escape_value)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(escape_value(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str) and not record.args:
            record.msg = escape_value(record.msg)
        return True


def configure_logging(level: str) -> None:
    """Our loggers write single lines to stderr (gunicorn and containers collect it)."""
    root = logging.getLogger("screening")
    root.setLevel(level)
    if not any(getattr(h, "_screening", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT, "%Y-%m-%dT%H:%M:%S%z"))
        handler.addFilter(_EscapeControls())
        handler._screening = True  # type: ignore[attr-defined]
        root.addHandler(handler)


def install(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        if request.endpoint == "static":
            return response
        request_id = g.get("request_id", "-")
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        rule = request.url_rule.rule if request.url_rule else "-"
        log.info(
            "request id=%s method=%s route=%s path=%s status=%d ms=%.1f",
            request_id,
            escape_value(request.method, spaces=True),
            rule,
            escape_value(request.path[:300], spaces=True),
            response.status_code,
            elapsed,
        )
        response.headers["X-Request-ID"] = request_id
        return response
