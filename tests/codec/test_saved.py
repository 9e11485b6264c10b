"""The saved answers file: readable JSON, answers by id, the code as fallback; never a crash."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from answer_sets import seed_persona
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.codec import CodeInvalid, read_saved_file, to_saved_file

from .catalogues import MINI, REAL, expected, safety

DAY = date(2026, 11, 30)


def saved(made_from: dict[str, Any], **changes: Any) -> bytes:
    doc = to_saved_file(made_from, MINI, created=DAY)
    doc.update(changes)
    return json.dumps({k: v for k, v in doc.items() if v is not None}).encode()


def test_the_file_reads_like_the_brief() -> None:
    doc = to_saved_file({"climbing": "yes", "age": 58, "meds": ["none"]}, MINI, created=DAY)
    assert doc["format"] == "nerve-check-answers" and doc["format_version"] == 1
    assert (doc["rules_version"], doc["rules_hash"]) == ("0.1", MINI.content_hash)
    assert doc["created"] == "2026-11-30"
    assert doc["answers"] == {"age": 58, "meds": ["none"]}  # no safety answers, ever
    assert doc["urgent_flags_then"] == ["climbing_flag"]
    assert doc["code"].startswith("NC:")


def test_real_rules_round_trip_through_the_file() -> None:
    answers = seed_persona(REAL)
    decoded = read_saved_file(json.dumps(to_saved_file(answers, REAL)).encode(), REAL)
    assert decoded.answers == expected(REAL, answers)
    assert decoded.same_rules and decoded.problems == [] and decoded.created == date.today()


def test_answers_are_authoritative_and_the_code_is_the_fallback() -> None:
    data = json.loads(saved({"age": 58}))
    data["answers"] = {"age": 59}
    assert read_saved_file(json.dumps(data).encode(), MINI).answers == {"age": 59}
    del data["answers"]
    decoded = read_saved_file(json.dumps(data).encode(), MINI)
    assert decoded.answers == {"age": 58} and decoded.created == DAY


def test_safety_answers_in_a_hand_made_file_are_not_restored() -> None:
    data = saved({"age": 58}, answers={"climbing": "no", "age": 58})
    assert read_saved_file(data, MINI).answers == {"age": 58}
    assert not set(read_saved_file(data, MINI).answers) & safety(MINI)


def test_answers_the_rules_refuse_are_reported() -> None:
    data = saved(
        {}, answers={"agee": 58, "sex": "other", "meds": ["statin", "aspirin"], "years": 200}
    )
    decoded = read_saved_file(data, MINI)
    assert decoded.answers == {"meds": ["statin"]}
    assert decoded.problems == [
        "The answer to “agee” was not kept: these rules do not ask that question.",
        "The answer “other” to “Sex” was not kept: it is no longer one of its choices.",
        "The answer “aspirin” to “Medicines” was not kept: it is no longer one of its choices.",
        "The answer to “Years” was not kept: the answer 200 is outside what the question now allows.",
    ]


def test_messages_never_echo_what_cannot_be_shown() -> None:
    weird = "\u202eevil" + "x" * 5000
    data = saved(
        {},
        answers={weird: 1, "notes": "\ud800", "meds": [f"m{i}" for i in range(100)]},
        urgent_flags_then=[weird],
    )
    decoded = read_saved_file(data, MINI)
    assert decoded.answers == {}
    assert decoded.problems[:2] == [
        "The answer to (a code that cannot be shown) was not kept: these rules do not ask that question.",
        "The answer to “Anything else?” was not kept: its text is damaged.",
    ]
    assert (
        len(decoded.problems) == 30
        and decoded.problems[-1] == "74 more answers or messages were not kept."
    )
    assert all(len(p) < 200 for p in decoded.problems)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{" + b" " * 300_000 + b"}", "too big"),
        (b"\xff\xfe", "not text"),
        (
            b'{"format": "nerve-check-answers",\n "answers": [}',
            r"not valid JSON \(line 2, column 14\)\.$",
        ),
        (b'{"format": "nerve-check-answers", "format": "x"}', "“format” appears twice"),
        (b'{"a": NaN}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b'{"a": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b"[]", "not a saved answers file"),
        (b'{"format": "other"}', "not a saved answers file"),
        (b'{"format": "nerve-check-answers", "format_version": 2}', "newer version"),
        (b'{"format": "nerve-check-answers", "format_version": true}', "not a saved answers file"),
        (b'{"format": "nerve-check-answers", "format_version": 1}', "holds no answers"),
        (
            b'{"format": "nerve-check-answers", "format_version": 1, "code": "NC:123"}',
            "not a code from",
        ),
    ],
)
def test_unreadable_files_get_a_plain_message(data: bytes, message: str) -> None:
    with pytest.raises(CodeInvalid, match=message):
        read_saved_file(data, MINI)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answers": [1]}, "answers are not in the expected form"),
        ({"rules_hash": "XYZ"}, "which rules"),
        ({"rules_version": 1}, "which rules"),
        ({"created": "30/11/2026"}, "when it was saved"),
        ({"created": 20261130}, "when it was saved"),
        ({"urgent_flags_then": "climbing_flag"}, "urgent messages is damaged"),
    ],
)
def test_damaged_fields_get_a_plain_message(change: dict[str, Any], message: str) -> None:
    with pytest.raises(CodeInvalid, match=message):
        read_saved_file(saved({"age": 58}, **change), MINI)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=120, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=200),
        JSON.map(lambda v: json.dumps(v).encode()),
        st.dictionaries(
            st.sampled_from(
                ["answers", "code", "created", "rules_hash", "rules_version", "urgent_flags_then"]
            ),
            JSON,
        ).map(
            lambda d: json.dumps(
                {"format": "nerve-check-answers", "format_version": 1, **d}
            ).encode()
        ),
    )
)
def test_random_files_raise_only_code_invalid(data: bytes) -> None:
    message = "."
    try:
        read_saved_file(data, MINI)
    except CodeInvalid as exc:
        message = exc.message
    assert message.endswith(".")
