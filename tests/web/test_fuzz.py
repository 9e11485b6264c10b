"""Fuzzing every form endpoint and the answers CLI with hypothesis.

Whatever arrives (random or malformed values, wrong types, unknown or repeated fields, invalid
UTF-8, stale CSRF), the app never answers 5xx, always says what is wrong, and keeps the
person's earlier answers.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from personas import SAFE

import screening.cli
from screening import cached_rules, create_app
from screening.cli import evaluate_cmd
from screening.config import Settings
from screening.questionnaire.pages import split_pages

from .conftest import Visitor, walk

RULES = cached_rules()
PAGES = split_pages(RULES.sections, RULES.conditions)
FIELD_NAMES = [q.id for q in RULES.ordered_questions()]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "yes",
            "no",
            "not_sure",
            "none",
            "-1",
            "1e9",
            "0x10",
            "٣",
            "58.5",
            " 42 ",
            "<script>alert(1)</script>",
            "'; DROP TABLE x;--",
            "\x00",
            "𝟓𝟖",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
field_names = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=12))
form_data = st.dictionaries(
    field_names, st.one_of(text_values, st.lists(text_values, max_size=4)), max_size=12
)


@pytest.fixture(scope="module")
def fuzz_app() -> Flask:
    return create_app(Settings(secret_key="fuzz"))


def started(app: Flask) -> Visitor:
    visitor = Visitor(app.test_client())
    walk(visitor, {**SAFE, "age": 61}, stop_at="/questions/symptoms_feelings")
    return visitor


def assert_handled(response: Any) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code in (400, 413, 422):
        html = response.get_data(as_text=True)
        messages = ("There is a problem", "select Continue again", "try again", "too much")
        assert any(m in html for m in messages), html[:2000]


@FUZZ
@given(page=st.sampled_from(PAGES), data=form_data)
def test_question_pages_handle_any_form_data(
    fuzz_app: Flask, page: Any, data: dict[str, Any]
) -> None:
    visitor = started(fuzz_app)
    response = visitor.post(f"/questions/{page.id}", data)
    assert_handled(response)
    if response.status_code == 302:
        assert response.location.startswith("/")
    answers = visitor.session()["a"]
    assert answers["safety_climbing"] == "no" or page.section.id == "safety"
    if page.section.id != "about_you":
        assert answers["age"] == 61  # another page's answer is never lost


@FUZZ
@given(
    path=st.sampled_from(
        ["/start", "/start-over", "/urgent", "/results/pdf", "/questions/nope", "/check"]
    ),
    data=form_data,
)
def test_other_endpoints_handle_any_form_data(
    fuzz_app: Flask, path: str, data: dict[str, Any]
) -> None:
    visitor = started(fuzz_app)
    assert_handled(visitor.post(path, data))


@FUZZ
@given(body=st.binary(max_size=300))
def test_raw_bytes_and_invalid_utf8_are_handled(fuzz_app: Flask, body: bytes) -> None:
    visitor = started(fuzz_app)
    token = f"csrf_token={visitor.token}&".encode()
    response = visitor.client.post(
        "/questions/symptoms_feelings",
        data=token + body,
        content_type="application/x-www-form-urlencoded",
    )
    assert_handled(response)
    assert visitor.session()["a"]["age"] == 61


def test_repeated_fields_for_a_single_answer_are_explained(fuzz_app: Flask) -> None:
    visitor = started(fuzz_app)
    response = visitor.client.post(
        "/questions/symptoms_feelings",
        data=f"csrf_token={visitor.token}&symptom_numb=yes&symptom_numb=no",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (302, 422)  # the first value counts, or a clear error


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
answer_files = st.one_of(
    st.dictionaries(
        st.sampled_from(FIELD_NAMES) | st.text(max_size=10), json_values, max_size=10
    ).map(json.dumps),
    json_values.map(json.dumps),
    st.text(max_size=60),
)


@pytest.fixture
def loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The answers are fuzzed, not the rules: load rules.yaml once instead of per example."""
    monkeypatch.setattr(screening.cli, "load_rules", lambda path=None: RULES)


@FUZZ
@given(content=answer_files)
def test_the_answers_cli_never_crashes(loaded_once: None, content: str) -> None:
    result = CliRunner().invoke(evaluate_cmd, ["-"], input=content)
    assert result.exit_code in (0, 2), (content, result.output, result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.strip()  # it says what is wrong
