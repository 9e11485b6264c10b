"""Settings from the environment: one clear line for a bad value, and the session clock."""

from __future__ import annotations

import pytest

from screening.config import Settings, SettingsError, check_paper

KEY = "k" * 40


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SCREENING_SESSION_MINUTES": "-5"}, "SCREENING_SESSION_MINUTES must be a whole number of minutes, 1 or more (got '-5')"),
        ({"SCREENING_SESSION_MAX_MINUTES": "2h"}, "SCREENING_SESSION_MAX_MINUTES must be a whole number of minutes"),
        ({"SCREENING_KIOSK_IDLE_SECONDS": "0"}, "SCREENING_KIOSK_IDLE_SECONDS must be a whole number of seconds, 1 or more"),
        ({"SCREENING_PAPER": "a5"}, "SCREENING_PAPER must be letter or a4 (got 'a5')"),
        ({"SCREENING_KIOSK": "sometimes"}, "SCREENING_KIOSK must be 1 or 0 (got 'sometimes')"),
        ({"SCREENING_ENV": "prod"}, "SCREENING_ENV must be"),
        ({"SCREENING_LOG_LEVEL": "loud"}, "SCREENING_LOG_LEVEL must be debug or info or warning or error"),
        ({"SCREENING_PUBLIC_URL": "clinic.example.com"}, "SCREENING_PUBLIC_URL must start with https://"),
        ({"SCREENING_TRUSTED_PROXIES": "nginx"}, "SCREENING_TRUSTED_PROXIES must be a whole number of proxy hops, 0 or more"),
        ({"SCREENING_ENV": "production"}, "SCREENING_SECRET_KEY is not set"),
        ({"SCREENING_ENV": "production", "SCREENING_SECRET_KEY": "short"}, "SCREENING_SECRET_KEY is too short (5 bytes)"),
    ],
)  # fmt: skip
def test_a_bad_setting_gets_one_line_naming_it(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.from_env(env)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_no_settings_at_all_is_a_working_development_setup() -> None:
    settings = Settings.from_env({})
    assert not settings.production and settings.paper == "letter" and not settings.kiosk
    assert settings.public_url is None  # no QR code until the public address is known


def test_production_with_a_real_key_is_secure_by_default() -> None:
    settings = Settings.from_env({"SCREENING_ENV": "production", "SCREENING_SECRET_KEY": KEY})
    assert settings.production and settings.cookie_secure
    assert settings.trusted_proxies == 0  # forwarded headers believed only when told


def test_the_public_url_loses_its_trailing_slash() -> None:
    url = Settings.from_env({"SCREENING_PUBLIC_URL": "https://clinic.example.com/"}).public_url
    assert url == "https://clinic.example.com"


def test_the_session_clock_warns_before_it_clears_and_the_server_waits_for_the_page() -> None:
    settings = Settings.from_env({})
    assert settings.idle_warn_seconds < settings.idle_end_seconds < settings.session_idle_seconds
    assert settings.session_idle_seconds == 60 * 60  # what the start page promises
    assert settings.session_idle_words == "60 minutes"
    assert settings.session_max_seconds == 180 * 60


def test_the_kiosk_clock_is_its_idle_time_plus_grace_and_one_visit_at_most() -> None:
    settings = Settings.from_env(
        {
            "SCREENING_KIOSK": "1",
            "SCREENING_KIOSK_IDLE_SECONDS": "120",
            "SCREENING_KIOSK_GRACE_SECONDS": "60",
        }
    )
    assert settings.idle_warn_seconds == 120
    assert settings.idle_end_seconds == 180
    assert settings.session_idle_words == "3 minutes"  # what the kiosk's start page says
    assert settings.session_idle_seconds - settings.idle_end_seconds <= 10
    assert settings.session_max_seconds == 60 * 60  # however busy, one person's visit


@pytest.mark.parametrize("given", ["A4", " letter "])
def test_paper_names_are_read_leniently(given: str) -> None:
    assert check_paper(given) in ("a4", "letter")
