"""Settings for the web app, read once from environment variables (documented in the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PAPER_SIZES = ("letter", "a4")
ENVIRONMENTS = ("development", "production")


class SettingsError(ValueError):
    """A setting has a value the app cannot use; the message names the variable."""


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be 1 or 0 (got {raw!r})")


def _seconds(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number of seconds (got {raw!r})")
    return int(raw)


def whole_number(
    env: Mapping[str, str], name: str, default: int, *, minimum: int, unit: str
) -> int:
    """A whole-number setting of at least ``minimum``; ``unit`` names what it counts."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < minimum:
        raise SettingsError(
            f"{name} must be a whole number of {unit}, {minimum} or more (got {raw!r})"
        )
    return int(raw)


@dataclass(frozen=True)
class Settings:
    secret_key: str | None = None
    env: str = "development"
    rules_path: Path | None = None  # None: the project's rules.yaml
    emergency_number: str | None = None  # None: the number in rules.yaml
    paper: str = "letter"
    kiosk: bool = False
    kiosk_idle_seconds: int = 120
    kiosk_grace_seconds: int = 60  # how long "Are you still there?" waits before clearing
    session_minutes: int = 60
    log_level: str = "INFO"
    cookie_secure: bool = False
    max_request_bytes: int = 64 * 1024
    # Proxies in front of the app whose X-Forwarded-For/Proto/Host are believed (nginx: 1).
    # 0 trusts none: anyone could otherwise claim any address or scheme.
    trusted_proxies: int = 0

    @property
    def production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        app_env = env.get("SCREENING_ENV", "development").strip().lower() or "development"
        if app_env not in ENVIRONMENTS:
            raise SettingsError(
                f"SCREENING_ENV must be development or production (got {app_env!r})"
            )
        paper = env.get("SCREENING_PAPER", "letter").strip().lower() or "letter"
        if paper not in PAPER_SIZES:
            raise SettingsError(f"SCREENING_PAPER must be letter or a4 (got {paper!r})")
        rules = env.get("SCREENING_RULES_PATH", "").strip()
        return cls(
            secret_key=env.get("SCREENING_SECRET_KEY") or None,
            env=app_env,
            rules_path=Path(rules) if rules else None,
            emergency_number=env.get("SCREENING_EMERGENCY_NUMBER", "").strip() or None,
            paper=paper,
            kiosk=_flag(env, "SCREENING_KIOSK", False),
            kiosk_idle_seconds=_seconds(env, "SCREENING_KIOSK_IDLE_SECONDS", 120),
            kiosk_grace_seconds=_seconds(env, "SCREENING_KIOSK_GRACE_SECONDS", 60),
            session_minutes=_seconds(env, "SCREENING_SESSION_MINUTES", 60),
            log_level=env.get("SCREENING_LOG_LEVEL", "INFO").strip().upper() or "INFO",
            # Production is served over HTTPS, so its cookie is Secure unless told otherwise.
            cookie_secure=_flag(env, "SCREENING_COOKIE_SECURE", app_env == "production"),
            trusted_proxies=whole_number(
                env, "SCREENING_TRUSTED_PROXIES", 0, minimum=0, unit="proxy hops"
            ),
        )
