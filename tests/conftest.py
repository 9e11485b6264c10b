"""Fixtures for every test folder: the project's rules, loaded and checked once per session."""

from __future__ import annotations

import pytest

from screening.rules import Catalogue, cached_rules


@pytest.fixture(scope="session")
def rules() -> Catalogue:
    return cached_rules()
