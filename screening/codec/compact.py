"""The compact code: an answer set in as few bytes as a QR code on the PDF can hold.

Layout of format 2 (all multi-byte integers big-endian)::

    1 byte   format version (2)
    1 byte   options: bit 0 = the text section is deflated; other bits 0
    1 byte   n, then n bytes: rules version (UTF-8, n <= 32)
    4 bytes  rules content hash (Catalogue.content_hash, 8 hex digits)
    4 bytes  layout digest (see layout.py): which questions, in which order
    2 bytes  day the answers were saved, as days since 2020-01-01
    bits     one per urgent flag of the layout: shown at the time
             then one field per question of the layout, in layout order, where 0 means
             "not answered": yes/no/not sure and single choice 1 + the choice's index, in as
             few bits as the number of choices + 1 needs (yes/no/not sure: 2 bits); multi
             choice one bit per choice (none set: not answered); a number with a range
             1 + (value - min) in as few bits as max - min + 2 needs. Questions whose answer
             has no spare value (confirm, text, a number without a range) take one bit,
             answered or not, then a number's value as a varint
             zero bits to the next whole byte
    bytes    text section: for each answered text question, a varint byte length and UTF-8;
             raw-deflated with the preset dictionary of textdict.py when that is shorter
    0/1 byte zero padding so that the whole code has an odd length (see text.py)
    4 bytes  CRC-32 of everything before it

Format 1 (still read: codes on PDFs already printed) had the same header and text section but
put one "answered" bit per question before all the values. Format 2 folds "not answered" into
each value where its bits leave room, which saves a bit per answered question: about ten
bytes, one QR version, for a person who answers every question shown.

Safety-page answers are never encoded (they are time-bound; CONTENT.md a); the urgent flags
that had fired are, so a summary made from the code shows them as they were.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from ..questionnaire.answers import AnswerProblem, AnswersInvalid, validate_answers
from ..rules.catalogue import Catalogue
from ..rules.evaluator import evaluate
from .adopt import adopt, adopt_flags, capped
from .bits import BitReader, BitWriter, Truncated, read_byte_varint, write_byte_varint
from .layout import Layout, Slot, archived_layouts, layout_of
from .result import DAMAGED, NEWER, NOT_OURS, CodeInvalid, Decoded
from .textdict import TEXT_DICTIONARY

FORMAT = 2  # what encode writes
READABLE = (1, 2)  # what decode reads
EPOCH = date(2020, 1, 1)
MAX_VERSION_BYTES = 32
MAX_TEXT_BYTES = 256 * 1024  # more text than any rule set allows: a bigger section is damage
DEFLATED = 0x01
_HEAD = struct.Struct(">4s4sH")  # rules hash, layout digest, day
_CRC = 4
_SHORTEST = 2 + 1 + _HEAD.size + _CRC


def _width(n: int) -> int:
    """Bits for an index below n (0 when there is only one possibility)."""
    return max(n - 1, 0).bit_length()


def _zigzag(value: int) -> int:
    return value * 2 if value >= 0 else -value * 2 - 1


def _unzigzag(value: int) -> int:
    return value // 2 if value % 2 == 0 else -(value + 1) // 2


# ---------------------------------------------------------------------------------------------
# Encoding


def _folds(slot: Slot) -> bool:
    """Whether this question's field has a spare value for "not answered" (format 2)."""
    if slot.type in ("yesno", "single", "multi"):
        return True
    return slot.type == "number" and slot.min is not None and slot.max is not None


def _write_field(bits: BitWriter, slot: Slot, answers: Mapping[str, Any]) -> None:
    """One question's field in format 2: its value with 0 for "not answered"."""
    answered = slot.id in answers
    value: Any = answers.get(slot.id)
    if slot.type in ("yesno", "single"):
        bits.write(slot.choices.index(value) + 1 if answered else 0, _width(len(slot.choices) + 1))
    elif slot.type == "multi":
        bits.write(
            sum(1 << slot.choices.index(v) for v in value) if answered else 0, len(slot.choices)
        )
    elif _folds(slot):
        assert slot.min is not None
        assert slot.max is not None
        bits.write(value - slot.min + 1 if answered else 0, _width(slot.max - slot.min + 2))
    else:
        bits.write(answered, 1)
        if answered:
            _write_value(bits, slot, value)


def _write_value(bits: BitWriter, slot: Slot, value: Any) -> None:
    if slot.type in ("yesno", "single"):
        bits.write(slot.choices.index(value), _width(len(slot.choices)))
    elif slot.type == "multi":
        bits.write(sum(1 << slot.choices.index(v) for v in value), len(slot.choices))
    elif slot.type == "number":
        if slot.min is not None and slot.max is not None:
            bits.write(value - slot.min, _width(slot.max - slot.min + 1))
        elif slot.min is not None:
            bits.write_varint(value - slot.min)
        else:
            bits.write_varint(_zigzag(value))
    # confirm: presence says it all; text goes to the text section


def _text_section(texts: list[str]) -> tuple[bytes, int]:
    raw = b"".join(write_byte_varint(len(b)) + b for b in (t.encode("utf-8") for t in texts))
    if not raw:
        return raw, 0
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, TEXT_DICTIONARY)
    deflated = packer.compress(raw) + packer.flush()
    return (deflated, DEFLATED) if len(deflated) < len(raw) else (raw, 0)


def urgent_flag_ids(answers: Mapping[str, Any], catalogue: Catalogue) -> list[str]:
    return [f.id for f in evaluate(answers, catalogue, check=False).by_level("urgent")]


def unencodable_texts(answers: Mapping[str, Any], catalogue: Catalogue) -> list[AnswerProblem]:
    """Text answers with lone surrogates: JSON ("\\ud800") can hold them, UTF-8 cannot, so
    they could not be encoded, printed or exported. check_value does not look for them."""
    found = []
    for qid, value in answers.items():
        q = catalogue.questions.get(qid)
        if q is not None and q.type == "text" and isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                message = f'"{qid}": the text has a broken character (a lone surrogate)'
                found.append(AnswerProblem(qid, "type", message))
    return found


def encode(
    answers: Mapping[str, Any],
    catalogue: Catalogue,
    *,
    created: date | None = None,
    urgent_flags: Iterable[str] | None = None,
) -> bytes:
    """The compact code for a valid answer set (AnswersInvalid otherwise).

    ``urgent_flags`` are the urgent flag ids shown with these answers; by default they are
    evaluated here. Hidden answers are encoded as given: pruning is the caller's business.
    """
    # Broken text first: checking a text's length in UTF-8 bytes would fail on it.
    problems = unencodable_texts(answers, catalogue) or validate_answers(
        answers, catalogue.questions
    )
    if problems:
        raise AnswersInvalid(problems)
    day = (created or date.today()) - EPOCH
    if not 0 <= day.days <= 0xFFFF:
        raise ValueError(f"the date must be between {EPOCH} and {EPOCH + timedelta(0xFFFF)}")
    version = catalogue.meta.version.encode("utf-8")
    if len(version) > MAX_VERSION_BYTES:
        raise ValueError(f"the rules version is longer than {MAX_VERSION_BYTES} bytes")
    layout = layout_of(catalogue)
    fired = set(urgent_flag_ids(answers, catalogue) if urgent_flags is None else urgent_flags)
    unknown = fired - set(layout.urgent_flags)
    if unknown:
        raise ValueError(f"not urgent flags of these rules: {', '.join(sorted(unknown))}")

    bits = BitWriter()
    for fid in layout.urgent_flags:
        bits.write(fid in fired, 1)
    texts = []
    for slot in layout.slots:
        _write_field(bits, slot, answers)
        if slot.type == "text" and slot.id in answers:
            texts.append(answers[slot.id])
    section, options = _text_section(texts)

    body = bytearray([FORMAT, options, len(version)])
    body += version
    body += _HEAD.pack(bytes.fromhex(catalogue.content_hash)[:4], layout.digest, day.days)
    body += bits.to_bytes() + section
    if (len(body) + _CRC) % 2 == 0:
        body.append(0)
    return bytes(body) + struct.pack(">I", zlib.crc32(body))


# ---------------------------------------------------------------------------------------------
# Decoding


def _check(data: bytes) -> bytes:
    """The body, once the length, check value and format version say it is one of ours."""
    if len(data) < _SHORTEST:
        raise CodeInvalid(DAMAGED if data[0:1] and data[0] in READABLE else NOT_OURS)
    body, (crc,) = data[:-_CRC], struct.unpack(">I", data[-_CRC:])
    if zlib.crc32(body) != crc:
        raise CodeInvalid(DAMAGED if body[0] in READABLE else NOT_OURS)
    if body[0] not in READABLE:
        raise CodeInvalid(NEWER if body[0] > FORMAT else NOT_OURS)
    if body[1] & ~DEFLATED:
        raise CodeInvalid(NEWER)
    if len(data) % 2 == 0:
        raise CodeInvalid(DAMAGED)
    return body


def _read_fields(bits: BitReader, slots: Iterable[Slot]) -> list[tuple[Slot, Any]]:
    """Format 2: each question's field, keeping the answered ones."""
    values: list[tuple[Slot, Any]] = []
    for slot in slots:
        if slot.type in ("yesno", "single"):
            index = bits.read(_width(len(slot.choices) + 1))
            if index > len(slot.choices):
                raise Truncated("no such choice")
            if index:
                values.append((slot, slot.choices[index - 1]))
        elif slot.type == "multi":
            mask = bits.read(len(slot.choices))
            if mask:
                values.append((slot, [v for i, v in enumerate(slot.choices) if mask >> i & 1]))
        elif _folds(slot):
            assert slot.min is not None
            assert slot.max is not None
            offset = bits.read(_width(slot.max - slot.min + 2))
            if offset > slot.max - slot.min + 1:
                raise Truncated("a number out of range")
            if offset:
                values.append((slot, slot.min + offset - 1))
        elif bits.read(1):
            values.append((slot, _read_value(bits, slot)))
    return values


def _read_value(bits: BitReader, slot: Slot) -> Any:
    if slot.type in ("yesno", "single"):
        index = bits.read(_width(len(slot.choices)))
        if index >= len(slot.choices):
            raise Truncated("no such choice")
        return slot.choices[index]
    if slot.type == "multi":
        mask = bits.read(len(slot.choices))
        if not mask:
            raise Truncated("a multi-choice answer with no choice")
        return [v for i, v in enumerate(slot.choices) if mask >> i & 1]
    if slot.type == "number":
        if slot.min is not None and slot.max is not None:
            offset = bits.read(_width(slot.max - slot.min + 1))
            if offset > slot.max - slot.min:
                raise Truncated("a number out of range")
            return slot.min + offset
        if slot.min is not None:
            return slot.min + bits.read_varint()
        return _unzigzag(bits.read_varint())
    if slot.type == "confirm":
        return "yes"
    return None  # text: filled from the text section


def _read_texts(section: bytes, count: int, deflated: bool) -> tuple[list[str], bytes]:
    """The texts and whatever follows them (only padding is allowed there)."""
    rest = b""
    if deflated:
        unpacker = zlib.decompressobj(-15, TEXT_DICTIONARY)
        try:
            raw = unpacker.decompress(section, MAX_TEXT_BYTES)
        except zlib.error:
            raise Truncated("the text section does not inflate") from None
        if not unpacker.eof or unpacker.unconsumed_tail:
            raise Truncated("the text section is cut short or too long")
        section, rest = raw, unpacker.unused_data
    texts: list[str] = []
    pos = 0
    for _ in range(count):
        length, pos = read_byte_varint(section, pos)
        if pos + length > len(section):
            raise Truncated("a text is cut short")
        try:
            texts.append(section[pos : pos + length].decode("utf-8"))
        except UnicodeDecodeError:
            raise Truncated("a text is not UTF-8") from None
        pos += length
    if deflated and pos != len(section):
        raise Truncated("stray bytes in the text section")
    return texts, rest if deflated else section[pos:]


def _find_layout(digest: bytes, catalogue: Catalogue, version: str, rules_hash: str) -> Layout:
    current = layout_of(catalogue)
    if digest == current.digest:
        return current
    archived = archived_layouts().get(digest)
    if archived is None:
        raise CodeInvalid(
            f"This code was made with rules {version} ({rules_hash}), which this version of the "
            "app cannot read. Please answer the questions again."
        )
    return archived


def _parse(body: bytes, catalogue: Catalogue) -> tuple[Decoded, list[tuple[str, Any]], list[str]]:
    options, size = body[1], body[2]
    if size > MAX_VERSION_BYTES:
        raise Truncated("the rules version is too long")
    start = 3 + size
    if start + _HEAD.size > len(body):
        raise Truncated("the header is cut short")
    try:
        version = body[3:start].decode("utf-8")
    except UnicodeDecodeError:
        raise Truncated("the rules version is not UTF-8") from None
    raw_hash, digest, day = _HEAD.unpack_from(body, start)
    rules_hash = raw_hash.hex()
    layout = _find_layout(digest, catalogue, version, rules_hash)
    bits = BitReader(body[start + _HEAD.size :])
    fired = [fid for fid in layout.urgent_flags if bits.read(1)]
    if body[0] == 1:  # all the "answered" bits, then the values
        present = [slot for slot in layout.slots if bits.read(1)]
        values = [(slot, _read_value(bits, slot)) for slot in present]
    else:
        values = _read_fields(bits, layout.slots)
    if not bits.padding_is_zero():
        raise Truncated("stray bits after the answers")
    section = body[start + _HEAD.size + bits.bytes_used :]
    text_slots = [s for s, _ in values if s.type == "text"]
    texts, rest = _read_texts(section, len(text_slots), bool(options & DEFLATED))
    if rest not in (b"", b"\x00"):
        raise Truncated("stray bytes after the answers")
    by_slot = dict(zip((s.id for s in text_slots), texts, strict=True))
    pairs = [(s.id, by_slot[s.id] if s.type == "text" else v) for s, v in values]
    header = Decoded(
        answers={},
        problems=[],
        rules_version=version,
        rules_hash=rules_hash,
        same_rules=(version, rules_hash) == (catalogue.meta.version, catalogue.content_hash),
        created=EPOCH + timedelta(days=day),
    )
    return header, pairs, fired


def decode(data: bytes, catalogue: Catalogue) -> Decoded:
    """The answers in a compact code that the current rules accept; CodeInvalid if unreadable.

    Under the rules it was made with, the answers come back exactly (safety answers were never
    in it). Under other rules they are read by question id with the layout the code was made
    with, and ``problems`` says what the current rules no longer accept.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise CodeInvalid(NOT_OURS)
    body = _check(bytes(data))
    try:
        header, pairs, fired = _parse(body, catalogue)
    except Truncated:
        raise CodeInvalid(DAMAGED) from None
    answers, problems = adopt(catalogue, pairs)
    flags, flag_problems = adopt_flags(catalogue, fired)
    return Decoded(
        answers=answers,
        problems=capped(problems + flag_problems),
        rules_version=header.rules_version,
        rules_hash=header.rules_hash,
        same_rules=header.same_rules,
        created=header.created,
        urgent_flags_then=flags,
    )
