"""Fixtures for every test folder: the project's rules and the small test rule set, each
loaded and checked once per session."""

from __future__ import annotations

import pytest
from rule_files import MINI

from screening.rules import Catalogue, cached_rules, load_rules


@pytest.fixture(scope="session")
def rules() -> Catalogue:
    return cached_rules()


@pytest.fixture(scope="session")
def mini() -> Catalogue:
    return load_rules(MINI)
