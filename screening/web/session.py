"""The signed-cookie session, with one addition: it notices when a session has timed out.

Flask silently starts an empty session when the cookie's signature is too old. We want to tell
the person "your answers were cleared" instead of dropping them on the start page, so an
expired cookie is marked on the request (never stored) and the stale cookie is removed.
"""

from __future__ import annotations

import time

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired

EXPIRED_MARK = "screening.session_expired"
SIGNED_AT = "screening.session_signed_at"
REFRESH_AFTER_SECONDS = 60  # re-sign a live session at most once a minute


class ExpiringCookieSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            request.environ[SIGNED_AT] = signed_at.timestamp()
            return self.session_class(data)
        except SignatureExpired:
            request.environ[EXPIRED_MARK] = True
        except BadSignature:
            pass
        fresh = self.session_class()
        fresh.modified = True  # so the stale cookie is deleted in the response
        return fresh


def needs_refresh() -> bool:
    """Whether the cookie should be signed again so the idle clock restarts.

    Re-signing on every request would cost a little on every page; once a minute is plenty for
    a limit counted in minutes.
    """
    signed_at = request.environ.get(SIGNED_AT)
    return signed_at is None or time.time() - signed_at > REFRESH_AFTER_SECONDS


def session_expired() -> bool:
    """Whether this request came with a session that timed out."""
    return bool(request.environ.get(EXPIRED_MARK))
