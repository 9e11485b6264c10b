"""Settings for the web app, read once from environment variables (documented in the README).

Every policy about settings lives here once: what a valid value is (one clear line when it is
not), what production requires of the secret key, and how long a session may last.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PAPER_SIZES = ("letter", "a4")
ENVIRONMENTS = ("development", "production")
MIN_SECRET_BYTES = 32
PROJECT_DIR = Path(__file__).resolve().parent.parent
WARN_BEFORE_SECONDS = 300  # outside kiosk mode, the page warns 5 minutes before answers clear
SERVER_MARGIN_SECONDS = 10  # the server forgets a session a little after the page's timer


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


def whole_number(
    env: Mapping[str, str], name: str, default: int, unit: str, *, minimum: int = 1
) -> int:
    """A whole number setting, at least ``minimum``; ``unit`` names it in the message."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < minimum:
        raise SettingsError(
            f"{name} must be a whole number of {unit}, {minimum} or more (got {raw!r})"
        )
    return int(raw)


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    raw = env.get(name, default).strip().lower() or default
    if raw not in allowed:
        raise SettingsError(f"{name} must be {' or '.join(allowed)} (got {raw!r})")
    return raw


def check_paper(paper: str, where: str = "paper size") -> str:
    """The one place that knows the paper sizes (settings, CLI and the PDF form use it)."""
    value = paper.strip().lower()
    if value not in PAPER_SIZES:
        raise SettingsError(f"{where} must be {' or '.join(PAPER_SIZES)} (got {paper!r})")
    return value


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
    session_minutes: int = 60  # without use
    session_max_minutes: int = 180  # since the session began, whatever happens
    kiosk_session_max_minutes: int = 60  # kiosk: one person's visit
    log_level: str = "INFO"
    cookie_secure: bool = False
    max_request_bytes: int = 64 * 1024
    instance_dir: Path = PROJECT_DIR / "instance"  # the last good rules live here (no answers)
    public_url: str | None = None  # where patients reach the app (QR codes on the PDF)
    # Proxies in front of the app whose X-Forwarded-For/Proto/Host are believed (nginx: 1).
    # 0 trusts none: anyone could otherwise claim any address or scheme.
    trusted_proxies: int = 0

    @property
    def production(self) -> bool:
        return self.env == "production"

    # -- the session clock, decided once --------------------------------------------------

    @property
    def idle_end_seconds(self) -> int:
        """When the page's script clears the answers after no use (seconds)."""
        if self.kiosk:
            return self.kiosk_idle_seconds + self.kiosk_grace_seconds
        return self.session_minutes * 60 - SERVER_MARGIN_SECONDS

    @property
    def idle_warn_seconds(self) -> int:
        """When the page asks "Are you still there?" (seconds without use)."""
        if self.kiosk:
            return self.kiosk_idle_seconds
        end = self.idle_end_seconds
        return max(end - WARN_BEFORE_SECONDS, end // 2)

    @property
    def session_idle_seconds(self) -> int:
        """How long the server keeps a session without use; it enforces this without JS."""
        return self.idle_end_seconds + SERVER_MARGIN_SECONDS

    @property
    def session_max_seconds(self) -> int:
        """The absolute end of a session (and of any copy of its cookie), since it began."""
        minutes = self.kiosk_session_max_minutes if self.kiosk else self.session_max_minutes
        return max(minutes * 60, 1)

    @property
    def session_idle_words(self) -> str:
        """ "60 minutes" or "3 minutes": the real idle limit, for every text that states it."""
        seconds = self.idle_end_seconds  # what the person lives through: the page's own timer
        if seconds % 60 == 0 or seconds >= 600:
            minutes = round(seconds / 60)
            return "1 minute" if minutes == 1 else f"{minutes} minutes"
        return f"{seconds} seconds"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        app_env = _choice(env, "SCREENING_ENV", "development", ENVIRONMENTS)
        paper = check_paper(env.get("SCREENING_PAPER", "letter") or "letter", "SCREENING_PAPER")
        rules = env.get("SCREENING_RULES_PATH", "").strip()
        instance = env.get("SCREENING_INSTANCE_DIR", "").strip()
        secret = env.get("SCREENING_SECRET_KEY") or None
        check_secret(secret, production=app_env == "production")
        public_url = env.get("SCREENING_PUBLIC_URL", "").strip().rstrip("/") or None
        if public_url and not public_url.startswith(("https://", "http://")):
            raise SettingsError(
                f"SCREENING_PUBLIC_URL must start with https:// (got {public_url!r})"
            )
        return cls(
            secret_key=secret,
            env=app_env,
            rules_path=Path(rules) if rules else None,
            emergency_number=env.get("SCREENING_EMERGENCY_NUMBER", "").strip() or None,
            paper=paper,
            kiosk=_flag(env, "SCREENING_KIOSK", False),
            kiosk_idle_seconds=whole_number(env, "SCREENING_KIOSK_IDLE_SECONDS", 120, "seconds"),
            kiosk_grace_seconds=whole_number(env, "SCREENING_KIOSK_GRACE_SECONDS", 60, "seconds"),
            session_minutes=whole_number(env, "SCREENING_SESSION_MINUTES", 60, "minutes"),
            session_max_minutes=whole_number(env, "SCREENING_SESSION_MAX_MINUTES", 180, "minutes"),
            kiosk_session_max_minutes=whole_number(
                env, "SCREENING_KIOSK_SESSION_MAX_MINUTES", 60, "minutes"
            ),
            log_level=_choice(
                env, "SCREENING_LOG_LEVEL", "info", ("debug", "info", "warning", "error")
            ).upper(),
            # Production is served over HTTPS, so its cookie is Secure unless told otherwise.
            cookie_secure=_flag(env, "SCREENING_COOKIE_SECURE", app_env == "production"),
            instance_dir=Path(instance) if instance else PROJECT_DIR / "instance",
            public_url=public_url,
            trusted_proxies=whole_number(
                env, "SCREENING_TRUSTED_PROXIES", 0, minimum=0, unit="proxy hops"
            ),
        )


def check_secret(secret: str | None, *, production: bool) -> None:
    """The production secret-key policy, in one place: set, and long enough to be a key."""
    if not production:
        return
    if not secret:
        raise SettingsError(
            "SCREENING_SECRET_KEY is not set. In production the app will not start without it: "
            "set it to a long random value, the same for every worker and server "
            '(for example: python3 -c "import secrets; print(secrets.token_hex(32))")'
        )
    if len(secret.encode("utf-8")) < MIN_SECRET_BYTES:
        raise SettingsError(
            f"SCREENING_SECRET_KEY is too short ({len(secret.encode('utf-8'))} bytes): in "
            f"production use at least {MIN_SECRET_BYTES} random bytes, for example "
            'python3 -c "import secrets; print(secrets.token_hex(32))"'
        )
