"""The text form: base45 as RFC 9285 defines it, behind the NC: prefix."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.codec import CodeInvalid, from_text, to_text
from screening.codec.base45 import b45decode, b45encode


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
    ],
)
def test_rfc_9285_examples(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@pytest.mark.parametrize("bad", ["GGW", "ZZZ", "A", "AB~", "ab"])
def test_base45_refuses_what_it_never_produces(bad: str) -> None:
    with pytest.raises(ValueError, match="base45|group too large"):
        b45decode(bad)


@given(st.binary(max_size=300))
def test_base45_round_trips(data: bytes) -> None:
    assert b45decode(b45encode(data)) == data
    assert from_text(to_text(data)) == data


def test_the_prefix_tells_foreign_text_from_damage() -> None:
    with pytest.raises(CodeInvalid, match="not a code from this app"):
        from_text("HELLO")
    with pytest.raises(CodeInvalid, match="damaged"):
        from_text("NC:A")
    with pytest.raises(CodeInvalid, match="not a code from this app"):
        from_text("NC:" + "0" * 2_000_000)
