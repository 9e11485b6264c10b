"""The session cookie: encrypted, with an absolute end and an idle limit that only it can prove.

Flask's own session cookie is signed, not encrypted: anyone holding it can read the answers
(base64 + zlib). Health answers are private, so this session interface encrypts the cookie
with AES-GCM (authenticated encryption from the `cryptography` package) under a key derived
from SCREENING_SECRET_KEY with HKDF. A tampered, foreign or undecryptable cookie simply starts
a fresh session.

Inside the encrypted payload are two times that the browser cannot change:

* ``issued``: when this session began. Nothing refreshes it. After ``max_age`` seconds the
  session is refused, whatever else happened: an old copy of the cookie dies at the latest then.
* ``seen``: when the session was last used. After ``idle_age`` seconds without use the session
  is refused. Using a page (or the "I'm still here" keep-alive) moves it forward, never past
  the absolute end.

The payload is compact JSON, compressed, then encrypted. Compressing before encrypting can leak
a secret's length to someone who can both inject text into the same cookie and watch its size
(CRIME); here only the patient writes their own answers, so the saving (most cookies shrink to
a third) is worth it and keeps the largest answer set inside one cookie.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin
from werkzeug.wrappers import Response

FORMAT = b"\x01"  # first byte of every cookie: the payload format, for a future change
NONCE_BYTES = 12
EXPIRED_MARK = "screening.session_expired"
REFRESH_AFTER_SECONDS = 60  # move "seen" forward at most once a minute: no Set-Cookie per page
# Browsers drop a cookie over about 4096 bytes without a word. We refuse to save more than this
# (name, value and attributes included), so there is room to spare on every browser.
MAX_COOKIE_BYTES = 3800
COOKIE_ATTRIBUTE_BYTES = 80  # "; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=..." and more


def now() -> float:
    """The clock (a function, so tests can move it)."""
    return time.time()


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int  # without use
    max_seconds: int  # since the session began, whatever happens


class ScreeningSession(SecureCookieSession):
    """A session that knows when it began and when it was last used."""

    issued: float | None = None
    seen: float | None = None
    touched = False  # used in this request (a page view or keep-alive): "seen" may move


def derive_key(secret: str | bytes) -> bytes:
    """The cookie key: HKDF-SHA256 of the app secret, so the secret itself is never the key."""
    material = secret.encode("utf-8") if isinstance(secret, str) else secret
    key: bytes = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"screening-session-cookie",
        info=b"AES-256-GCM key for the answers cookie, format 1",
    ).derive(material)
    return key


class EncryptedSessionInterface(SessionInterface):
    session_class = ScreeningSession

    def __init__(self, limits: SessionLimits) -> None:
        self.limits = limits
        self._keys: dict[str, AESGCM] = {}

    # -- keys ------------------------------------------------------------------------------

    def _cipher(self, secret: str) -> AESGCM:
        if secret not in self._keys:
            self._keys[secret] = AESGCM(derive_key(secret))
        return self._keys[secret]

    def _secrets(self, app: Flask) -> list[str]:
        """The current secret first, then SECRET_KEY_FALLBACKS (rotation without logging out)."""
        found = [app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ())]
        return [str(s) for s in found if s]

    # -- encoding --------------------------------------------------------------------------

    def encode(self, app: Flask, payload: dict[str, Any]) -> str:
        plain = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        nonce = os.urandom(NONCE_BYTES)
        aad = self.get_cookie_name(app).encode()
        sealed = self._cipher(self._secrets(app)[0]).encrypt(nonce, zlib.compress(plain, 9), aad)
        return base64.urlsafe_b64encode(FORMAT + nonce + sealed).rstrip(b"=").decode("ascii")

    def decode(self, app: Flask, value: str) -> dict[str, Any] | None:
        """The payload, or None when the cookie is not one of ours (or was changed)."""
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except (binascii.Error, ValueError):
            return None
        if len(raw) < 1 + NONCE_BYTES + 16 or raw[:1] != FORMAT:
            return None
        nonce, sealed = raw[1 : 1 + NONCE_BYTES], raw[1 + NONCE_BYTES :]
        aad = self.get_cookie_name(app).encode()
        for secret in self._secrets(app):
            try:
                packed = self._cipher(secret).decrypt(nonce, sealed, aad)
            except InvalidTag:
                continue
            try:
                payload = json.loads(zlib.decompress(packed))
            except (zlib.error, ValueError):
                return None
            return payload if isinstance(payload, dict) else None
        return None

    def payload(self, session: ScreeningSession, at: float) -> dict[str, Any]:
        seen = at if session.touched or session.seen is None else session.seen
        return {"i": session.issued or at, "s": seen, "d": dict(session)}

    def cookie_bytes(self, app: Flask, data: dict[str, Any], session: ScreeningSession) -> int:
        """How big the cookie would be with ``data`` as the session's content."""
        probe = self.session_class(data)
        probe.issued, probe.seen = session.issued, session.seen
        value = self.encode(app, self.payload(probe, now()))
        return len(self.get_cookie_name(app)) + 1 + len(value) + COOKIE_ATTRIBUTE_BYTES

    def _alive(self, issued: float, seen: float) -> bool:
        at = now()
        return at - issued <= self.limits.max_seconds and at - seen <= self.limits.idle_seconds

    # -- Flask's interface -----------------------------------------------------------------

    def open_session(self, app: Flask, request: Request) -> ScreeningSession | None:
        if not app.secret_key:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        payload = self.decode(app, value)
        if payload is not None:
            issued, seen, data = payload.get("i"), payload.get("s"), payload.get("d")
            if (
                isinstance(issued, (int, float))
                and isinstance(seen, (int, float))
                and isinstance(data, dict)
            ):
                if self._alive(float(issued), float(seen)):
                    session = self.session_class(data)
                    session.issued, session.seen = float(issued), float(seen)
                    return session
                request.environ[EXPIRED_MARK] = True
        fresh = self.session_class()
        fresh.modified = True  # so the stale or foreign cookie is deleted in the response
        return fresh

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, ScreeningSession)
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if not session:
            if session.modified:
                response.delete_cookie(name, domain=domain, path=path)
                response.vary.add("Cookie")
            return
        at = now()
        due = session.touched and (
            session.seen is None or at - session.seen > REFRESH_AFTER_SECONDS
        )
        if not (session.modified or due):
            return
        response.vary.add("Cookie")
        value = self.encode(app, self.payload(session, at))
        # No Max-Age: a browser session cookie, gone when the browser closes. The server refuses
        # it after the idle limit or the absolute end anyway.
        response.set_cookie(
            name,
            value,
            path=path,
            domain=domain,
            secure=self.get_cookie_secure(app),
            httponly=self.get_cookie_httponly(app),
            samesite=self.get_cookie_samesite(app),
            partitioned=self.get_cookie_partitioned(app),
        )


def session_expired() -> bool:
    """Whether this request came with a session that timed out (idle or absolute end)."""
    return bool(request.environ.get(EXPIRED_MARK))
