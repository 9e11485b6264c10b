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
