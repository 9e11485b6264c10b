"""Free text as people type it, made safe to store, print and show.

Bidirectional overrides (U+202E and friends) can make a name print backwards on the PDF, and
zero-width characters can hide text from the person reading it. Neither has a place in an
answer, so they are removed; other control characters too, except line breaks and tabs.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates; zero-width space, non-joiner, joiner, word joiner,
# BOM; and the other C0/C1 controls except tab and newline.
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff"
    "\u0000-\u0008\u000b-\u001f\u007f-\u009f]"
)
TEXT_BYTES_PER_CHARACTER = 2  # a text answer may use at most 2 UTF-8 bytes per allowed character


def clean_text(value: str) -> str:
    """NFC-normalised, invisible and direction-changing characters removed, trimmed."""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _INVISIBLE.sub("", text).strip()


def byte_limit(max_length: int) -> int:
    """Text answers are limited in UTF-8 bytes as well as characters: emoji take 4 bytes each,
    and every answer must still fit in one cookie."""
    return max_length * TEXT_BYTES_PER_CHARACTER
