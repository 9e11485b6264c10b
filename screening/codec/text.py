"""The code as text: what the QR code holds and what a person can paste.

``NC:`` followed by the code in base45. Base45 only uses characters a QR code packs in
alphanumeric mode (5.5 bits each), which holds more than base64 in byte mode (8 bits per
character): measured in ``screening.codec``. The prefix says what the text is, and tells a
foreign QR code from a damaged one of ours.

Base45 includes the space. Codes always have an odd number of bytes (compact.py pads), and an
odd length ends in one of "0".."5" in base45, so surrounding white space is never part of a
code and is safe to strip; line breaks inside (wrapped text) are removed too. Lower case is
read as upper case, since base45 has no lower-case letters.
"""

from __future__ import annotations

import re

from .base45 import b45decode, b45encode
from .result import DAMAGED, NOT_OURS, CodeInvalid

PREFIX = "NC:"
MAX_TEXT_LENGTH = 1024 * 1024  # far above any code; longer text is refused before any work
_BREAKS = re.compile(r"[\r\n\t]+")


def to_text(data: bytes) -> str:
    return PREFIX + b45encode(data)


def from_text(text: str) -> bytes:
    """The code's bytes; CodeInvalid when the text is not a code of ours or is damaged."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise CodeInvalid(NOT_OURS)
    cleaned = _BREAKS.sub("", text.strip()).upper()
    if not cleaned.startswith(PREFIX):
        raise CodeInvalid(NOT_OURS)
    try:
        return b45decode(cleaned[len(PREFIX) :])
    except ValueError:
        raise CodeInvalid(DAMAGED) from None


# --- the code in a link -----------------------------------------------------------------------
# A link cannot carry base45's space or "%" as they are, and escaping them (%20) costs room the
# QR code does not have. So a link carries the code in base 43: the alphanumeric-mode
# characters without those two, all of which may stand in a URL fragment. (A radix change of
# one number, not an encoding scheme: the QR code itself is drawn by segno.)
LINK_PREFIX = "N43:"
LINK_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:"
_LINK_VALUE = {c: i for i, c in enumerate(LINK_ALPHABET)}


def to_link_text(data: bytes) -> str:
    """The code for a URL fragment: LINK_PREFIX, then base 43 of 0x01 + data (the leading byte
    keeps leading zero bytes)."""
    number = int.from_bytes(b"\x01" + data, "big")
    digits = []
    while number:
        number, rest = divmod(number, len(LINK_ALPHABET))
        digits.append(LINK_ALPHABET[rest])
    return LINK_PREFIX + "".join(reversed(digits))


def from_link_text(text: str) -> bytes:
    """The code's bytes from a link's fragment; CodeInvalid when it is not one of ours."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH // 100:
        raise CodeInvalid(NOT_OURS)
    cleaned = _BREAKS.sub("", text.strip()).upper()
    if not cleaned.startswith(LINK_PREFIX):
        raise CodeInvalid(NOT_OURS)
    number = 0
    for char in cleaned[len(LINK_PREFIX) :]:
        value = _LINK_VALUE.get(char)
        if value is None:
            raise CodeInvalid(DAMAGED)
        number = number * len(LINK_ALPHABET) + value
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    if not raw.startswith(b"\x01"):
        raise CodeInvalid(DAMAGED)
    return raw[1:]


def read_any_text(text: str) -> bytes:
    """A code pasted or taken from a link, in either form."""
    stripped = text.strip().upper() if isinstance(text, str) else ""
    return from_link_text(text) if stripped.startswith(LINK_PREFIX) else from_text(text)
