"""Property tests: generated answer sets round-trip; nothing but CodeInvalid escapes decoding."""

from __future__ import annotations

import contextlib
import struct
import zlib
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.codec import CodeInvalid, decode, encode, from_text, to_text
from screening.codec.base45 import ALPHABET
from screening.codec.compact import FORMAT
from screening.rules import Catalogue

from .catalogues import MINI, REAL, answer_sets, expected

SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=150, deadline=None)
CATALOGUES = pytest.mark.parametrize("rules", [REAL, MINI], ids=["rules.yaml", "mini"])


def _undecodable(data: Any, rules: Catalogue) -> None:
    """Decoding either works or raises CodeInvalid with a sentence; nothing else escapes."""
    message = "."
    try:
        decode(data, rules)
    except CodeInvalid as exc:
        message = exc.message
    assert message.endswith(".")


@CATALOGUES
@SLOW
@given(data=st.data())
def test_answer_sets_round_trip_exactly_but_for_safety(
    rules: Catalogue, data: st.DataObject
) -> None:
    answers = data.draw(answer_sets(rules))
    day = data.draw(st.dates(date(2020, 1, 1), date(2199, 1, 1)))
    decoded = decode(from_text(to_text(encode(answers, rules, created=day))), rules)
    assert decoded.answers == expected(rules, answers)
    assert decoded.problems == []
    assert decoded.created == day and decoded.same_rules


@CATALOGUES
@SLOW
@given(data=st.data())
def test_a_flipped_bit_is_always_detected(rules: Catalogue, data: st.DataObject) -> None:
    code = bytearray(encode(data.draw(answer_sets(rules)), rules))
    bit = data.draw(st.integers(0, len(code) * 8 - 1))
    code[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(CodeInvalid):
        decode(bytes(code), rules)


@CATALOGUES
@SLOW
@given(data=st.data())
def test_a_cut_or_changed_text_is_always_detected(rules: Catalogue, data: st.DataObject) -> None:
    text = to_text(encode(data.draw(answer_sets(rules)), rules))
    cut = data.draw(st.integers(0, len(text) - 1))
    changed = text[:cut] + data.draw(st.sampled_from(ALPHABET)) + text[cut + 1 :]
    for damaged in (text[:cut], changed):
        if damaged != text:
            with pytest.raises(CodeInvalid):
                decode(from_text(damaged), rules)


@CATALOGUES
@FAST
@given(data=st.binary(max_size=400))
def test_random_bytes_raise_only_code_invalid(rules: Catalogue, data: bytes) -> None:
    _undecodable(data, rules)


@CATALOGUES
@FAST
@given(body=st.binary(max_size=300))
def test_random_bodies_with_a_valid_check_value_raise_only_code_invalid(
    rules: Catalogue, body: bytes
) -> None:
    """Past the check value: every header and section parser meets garbage."""
    from screening.codec.layout import layout_of

    for head in (bytes([FORMAT]) + body, bytes([FORMAT, 0, 0]) + bytes(8) + body):
        # with the real layout digest too, so the answer parser itself meets garbage
        options = body[0] & 1 if body else 0  # deflated text section or not
        real = bytes([FORMAT, options, 1, ord("0")])
        real += bytes.fromhex(rules.content_hash) + layout_of(rules).digest + b"\x1a\x00" + body
        for data in (head, real):
            _undecodable(data + struct.pack(">I", zlib.crc32(data)), rules)


@FAST
@given(
    text=st.one_of(st.text(max_size=300), st.text(ALPHABET, max_size=300).map(lambda t: "NC:" + t))
)
def test_random_text_raises_only_code_invalid(text: str) -> None:
    with contextlib.suppress(CodeInvalid):
        decode(from_text(text), MINI)


def test_foreign_and_damaged_input_say_which() -> None:
    with pytest.raises(CodeInvalid, match="not a code from this app"):
        from_text("https://example.org/")
    with pytest.raises(CodeInvalid, match="not a code from this app"):
        decode(b"%PDF-1.7 not ours at all", MINI)
    code = encode({"age": 40}, MINI)
    with pytest.raises(CodeInvalid, match="damaged or incomplete"):
        decode(code[:-1], MINI)
    with pytest.raises(CodeInvalid, match="damaged or incomplete"):
        from_text(to_text(code)[:-1] + "~")
    newer = bytes([FORMAT + 1]) + code[1:-4]
    with pytest.raises(CodeInvalid, match="newer version"):
        decode(newer + struct.pack(">I", zlib.crc32(newer)), MINI)
    with pytest.raises(CodeInvalid):
        decode("not bytes", MINI)  # type: ignore[arg-type]


@given(st.binary(max_size=600))
def test_the_link_form_round_trips_any_bytes_and_needs_no_url_escapes(data: bytes) -> None:
    from urllib.parse import quote

    from screening.codec import from_link_text, to_link_text

    text = to_link_text(data)
    assert from_link_text(text) == data
    assert quote(text, safe="$*+-./:") == text  # nothing a URL fragment would escape


@given(st.text(max_size=80))
def test_random_link_text_raises_only_code_invalid(text: str) -> None:
    from screening.codec import read_any_text

    with contextlib.suppress(CodeInvalid):
        read_any_text("N43:" + text)
