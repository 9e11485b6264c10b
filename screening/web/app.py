"""The Flask application factory: settings, rules store, CSRF, security headers, error pages."""

from __future__ import annotations

import logging
import secrets
import traceback
from pathlib import Path

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from .. import summary as summary_text
from ..config import Settings, check_secret
from ..rules.catalogue import LEVELS, Catalogue
from ..rules.loader import DEFAULT_RULES
from ..rules.store import RulesStore
from . import catalogue, health, journey, request_log, results, state, travel
from .session import EncryptedSessionInterface, SessionLimits
from .state import current_rules

log = logging.getLogger("screening.web")

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"

# No inline script or style anywhere: everything comes from our own /static files.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def idle_timer(settings: Settings) -> dict[str, int]:
    """When the page's script warns, and when it clears the answers (seconds without use)."""
    warn, end = settings.idle_warn_seconds, settings.idle_end_seconds
    return {"warn": warn, "end": end, "left": end - warn}


def _secret_key(settings: Settings) -> str:
    check_secret(settings.secret_key, production=settings.production)
    if settings.secret_key:
        return settings.secret_key
    log.warning(
        "No SCREENING_SECRET_KEY set: using a random key for this run. Sessions end when the "
        "app restarts. Set SCREENING_SECRET_KEY for anything but local use."
    )
    return secrets.token_hex(32)


def create_app(settings: Settings | None = None, *, rules: Catalogue | None = None) -> Flask:
    """The app. ``rules`` may be passed when the caller has already loaded the rules file."""
    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        static_url_path="/static",
    )
    app.config.update(
        SECRET_KEY=_secret_key(settings),
        SESSION_COOKIE_NAME="screening_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        # The CSRF token lives as long as the session; an old page is caught by the session age.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,  # Referer is never sent (Referrer-Policy: no-referrer)
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.extensions["screening_settings"] = settings
    app.extensions["rules_store"] = RulesStore(
        settings.rules_path or DEFAULT_RULES,
        emergency_number=settings.emergency_number,
        last_good_dir=settings.instance_dir,
        rules=rules,
    )
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    request_log.configure_logging(settings.log_level)
    request_log.install(app)
    app.session_interface = EncryptedSessionInterface(
        SessionLimits(settings.session_idle_seconds, settings.session_max_seconds)
    )
    CSRFProtect(app)
    for blueprint in (journey.bp, results.bp, travel.bp, catalogue.bp, health.bp):
        app.register_blueprint(blueprint)
    _register_error_pages(app)
    if settings.trusted_proxies:  # behind nginx (deploy/): believe only that many hops
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    @app.before_request
    def count_as_use() -> None:
        # Using a page of a started session moves its idle clock ("60 minutes" means 60
        # minutes without use), never its absolute end.
        if request.endpoint != "static":
            state.touch()

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if settings.production:
            # Production runs behind HTTPS: browsers should never try plain HTTP again.
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # Pages can show answers: never keep them in a browser or proxy cache.
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    @app.context_processor
    def page_globals() -> dict[str, object]:
        rules = current_rules()
        return {
            "rules": rules,
            "settings": settings,
            "text": summary_text,
            "idle": idle_timer(settings),
            "in_progress": state.started(),
            "levels": LEVELS,
        }

    @app.template_filter("capitalize_first")
    def capitalize_first(text: str) -> str:
        return text[:1].upper() + text[1:]

    @app.template_filter("test_names")
    def test_names(test_ids: list[str]) -> list[str]:
        tests = current_rules().tests_by_id
        return [tests[t].name for t in test_ids]

    return app


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> journey.ResponseLike:
        return journey.csrf_failed()

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        return render_template("error.html", code=code), code

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> tuple[str, int]:
        # Log the type and the stack, never the message: a message could quote an answer.
        log.error(
            "Unhandled %s on %s %s\n%s",
            type(exc).__name__,
            request.method,
            request.path,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        return render_template("error.html", code=500), 500
