"""The signed-cookie session, with one addition: it notices when a session has timed out.

Flask silently starts an empty session when the cookie's signature is too old. We want to tell
the person "your answers were cleared" instead of dropping them on the start page, so an
expired cookie is marked on the request (never stored) and the stale cookie is removed.
"""

from __future__ import annotations

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired

EXPIRED_MARK = "screening.session_expired"


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
            return self.session_class(serializer.loads(value, max_age=max_age))
        except SignatureExpired:
            request.environ[EXPIRED_MARK] = True
        except BadSignature:
            pass
        fresh = self.session_class()
        fresh.modified = True  # so the stale cookie is deleted in the response
        return fresh


def session_expired() -> bool:
    """Whether this request came with a session that timed out."""
    return bool(request.environ.get(EXPIRED_MARK))
