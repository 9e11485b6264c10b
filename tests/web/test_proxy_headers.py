"""SCREENING_TRUSTED_PROXIES: forwarded headers are believed only from that many proxies."""

from __future__ import annotations

import pytest
from flask import Flask, jsonify, request

from screening import create_app
from screening.config import Settings, SettingsError

FORWARDED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "check.example.org",
}


def seen_by_the_app(trusted_proxies: int, headers: dict[str, str]) -> dict[str, str]:
    app: Flask = create_app(Settings(secret_key="test-secret", trusted_proxies=trusted_proxies))

    @app.get("/_probe")
    def probe():  # type: ignore[no-untyped-def]
        return jsonify(addr=request.remote_addr, scheme=request.scheme, host=request.host)

    data = app.test_client().get("/_probe", headers=headers).get_json()
    assert isinstance(data, dict)
    return data


def test_by_default_forwarded_headers_are_ignored() -> None:
    seen = seen_by_the_app(0, FORWARDED)
    assert seen == {"addr": "127.0.0.1", "scheme": "http", "host": "localhost"}


def test_one_trusted_proxy_gives_the_client_address_scheme_and_host() -> None:
    seen = seen_by_the_app(1, FORWARDED)
    assert seen == {"addr": "203.0.113.7", "scheme": "https", "host": "check.example.org"}


def test_a_client_cannot_add_hops_in_front_of_the_proxy() -> None:
    # nginx appends the real address; a forged one in front of it is not believed.
    seen = seen_by_the_app(1, {**FORWARDED, "X-Forwarded-For": "10.9.9.9, 203.0.113.7"})
    assert seen["addr"] == "203.0.113.7"


def test_trusted_proxies_comes_from_the_environment() -> None:
    assert Settings.from_env({}).trusted_proxies == 0
    assert Settings.from_env({"SCREENING_TRUSTED_PROXIES": "2"}).trusted_proxies == 2


@pytest.mark.parametrize("raw", ["yes", "-1", "1.5", "²"])
def test_a_bad_trusted_proxies_value_names_the_variable(raw: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"SCREENING_TRUSTED_PROXIES": raw})
    assert str(caught.value) == (
        f"SCREENING_TRUSTED_PROXIES must be a whole number of proxy hops, 0 or more (got {raw!r})"
    )
