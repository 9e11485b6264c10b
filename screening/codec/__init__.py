"""One compact, versioned encoding of an answer set (DESIGN.md 3), and the saved answers file.

- ``encode(answers, catalogue) -> bytes`` / ``decode(bytes, catalogue) -> Decoded``: the compact
  code (layout in compact.py): format byte, rules version and content hash, layout digest, the
  day, a bit per urgent flag that fired, a presence bit per question, the answers bit-packed
  by type in the catalogue's order, the free text deflated, a CRC-32.
- ``to_text`` / ``from_text``: ``NC:`` + base45, what the QR code on the PDF holds.
- ``to_saved_file`` / ``read_saved_file``: readable JSON with answers by id, plus the code.

Safety-page answers are never encoded and never restored (CONTENT.md a: time-bound). The urgent
flags that fired are kept instead (``Decoded.urgent_flags_then``), so a summary rebuilt from a
code shows its urgent flags as they were.

Across rule versions. Positions only mean something with the layout they were made with, so
each code carries a 4-byte layout digest (question ids, types, choice codes, number ranges,
urgent flag ids; no labels), and the layouts of earlier rule sets are kept in
``screening/codec/layouts/`` (``screening codec record-layout``; a test fails while the current
layout is missing). Under the same layout a code reads directly; under another, by question id
through the recorded layout; then every answer is checked against the current rules, and what
they no longer accept (retired or unknown question, choice gone, out of range, text too long)
is left out and named in ``Decoded.problems``. A code whose layout was never recorded raises
CodeInvalid naming its rules version. The saved file is read by id, so it needs no archive.

Why not carry the ids in the code (measured with tests/bench_codec.py, rules 1.1.0): the seed
persona (62-year-old man, type 2 diabetes, metformin, water pill, back surgery, hip
replacement: 79 answers, 71 of them after the safety page) with a 200-character concern is

  positional code (chosen)                  171 bytes  QR version  9 at M (base45, 260 chars)
  positional + deflated list of answered ids  635 bytes  QR version 20
  self-describing, deflated JSON              779 bytes  QR version 23

and the PDF's QR code must stay at version 10 or below. The text form: base45 in alphanumeric
mode gives version 9; base64 in byte mode gives 11 (228 chars); raw bytes 9. The free text is
deflated with a preset dictionary (textdict.py): 26 bytes less than plain deflate, version 9
instead of 10. Every answer at its longest (every plain choice, numbers at their maximum, the
one 500-character text field full): 183 bytes, version 10 with English text; 911 bytes,
version 25 with text that does not compress (random two-byte letters). These figures are for
rules 1.1.0 and must be measured again under content version 2 (`make bench`).
"""

from __future__ import annotations

from .compact import decode, encode
from .layout import layout_of, record_layout
from .result import CodeInvalid, Decoded
from .saved import read_saved_file, to_saved_file
from .text import from_link_text, from_text, read_any_text, to_link_text, to_text

__all__ = [
    "CodeInvalid",
    "Decoded",
    "decode",
    "encode",
    "from_link_text",
    "from_text",
    "layout_of",
    "read_any_text",
    "read_saved_file",
    "record_layout",
    "to_link_text",
    "to_saved_file",
    "to_text",
]
