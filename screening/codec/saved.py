"""The saved answers file: readable JSON a person keeps, and the PDF carries as an attachment.

    {"format": "nerve-check-answers", "format_version": 1,
     "rules_version": "1.1.0", "rules_hash": "8c7fdb81", "created": "2026-11-30",
     "answers": {"age": 62, ...}, "urgent_flags_then": [...], "code": "NC:..."}

``answers`` is authoritative and read by question id, so the file survives any change of rules
(what the rules no longer ask is reported). ``code`` is the same answers as a compact code: the
fallback when ``answers`` is missing (say, a file rebuilt from a QR code). Safety-page answers
are never written and never read back (CONTENT.md a: they are time-bound).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ..rules.catalogue import Catalogue
from .adopt import adopt, adopt_flags, capped, safety_ids
from .compact import decode, encode, urgent_flag_ids
from .result import CodeInvalid, Decoded
from .text import from_text, to_text

FORMAT_NAME = "nerve-check-answers"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 256 * 1024

NOT_A_FILE = "This is not a saved answers file from this app."
TOO_BIG = "This file is too big to be a saved answers file (the limit is 256 KB)."
NEWER_FILE = "This file was saved by a newer version of this app and cannot be read here."
_HASH = re.compile(r"[0-9a-f]{8}")


def to_saved_file(
    answers: Mapping[str, Any],
    catalogue: Catalogue,
    *,
    created: date | None = None,
    urgent_flags: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The saved file as a JSON-ready dict (AnswersInvalid for an invalid answer set)."""
    created = created or date.today()
    fired = list(urgent_flag_ids(answers, catalogue) if urgent_flags is None else urgent_flags)
    code = encode(answers, catalogue, created=created, urgent_flags=fired)
    safety = safety_ids(catalogue)
    kept = {
        q.id: answers[q.id]
        for q in catalogue.ordered_questions()
        if q.id in answers and q.id not in safety
    }
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "rules_version": catalogue.meta.version,
        "rules_hash": catalogue.content_hash,
        "created": created.isoformat(),
        "answers": kept,
        "urgent_flags_then": fired,
        "code": to_text(code),
    }


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _load_json(data: bytes) -> Any:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise CodeInvalid(NOT_A_FILE)
    if len(data) > MAX_FILE_BYTES:
        raise CodeInvalid(TOO_BIG)
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodeInvalid(f"{NOT_A_FILE} It is not text.") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise CodeInvalid(
            f"{NOT_A_FILE} It is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    except _Duplicate as exc:
        raise CodeInvalid(f"{NOT_A_FILE} The name “{exc}” appears twice in it.") from None
    except (ValueError, RecursionError):  # NaN, a 5000-digit number, nesting thousands deep
        raise CodeInvalid(f"{NOT_A_FILE} It is not valid JSON.") from None


def _header(doc: Mapping[str, Any]) -> tuple[str, str, date]:
    version, rules_hash, created = (
        doc.get("rules_version"),
        doc.get("rules_hash"),
        doc.get("created"),
    )
    if (
        not isinstance(version, str)
        or not isinstance(rules_hash, str)
        or not _HASH.fullmatch(rules_hash)
    ):
        raise CodeInvalid(f"{NOT_A_FILE} It does not say which rules it was saved with.")
    try:
        day = date.fromisoformat(created) if isinstance(created, str) else None
    except ValueError:
        day = None
    if day is None:
        raise CodeInvalid(f"{NOT_A_FILE} It does not say when it was saved.")
    return version, rules_hash, day


def read_saved_file(data: bytes, catalogue: Catalogue) -> Decoded:
    """The answers of a saved file that the current rules accept; CodeInvalid if unreadable."""
    doc = _load_json(data)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise CodeInvalid(NOT_A_FILE)
    file_version = doc.get("format_version")
    if (
        isinstance(file_version, int)
        and not isinstance(file_version, bool)
        and file_version > FORMAT_VERSION
    ):
        raise CodeInvalid(NEWER_FILE)
    if file_version != FORMAT_VERSION:
        raise CodeInvalid(NOT_A_FILE)
    answers = doc.get("answers")
    if answers is None:
        code = doc.get("code")
        if not isinstance(code, str):
            raise CodeInvalid(f"{NOT_A_FILE} It holds no answers.")
        return decode(from_text(code), catalogue)
    if not isinstance(answers, dict):
        raise CodeInvalid(f"{NOT_A_FILE} Its answers are not in the expected form.")
    version, rules_hash, created = _header(doc)
    flags = doc.get("urgent_flags_then", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        raise CodeInvalid(f"{NOT_A_FILE} Its list of urgent messages is damaged.")
    kept, problems = adopt(catalogue, answers.items())
    then, flag_problems = adopt_flags(catalogue, flags)
    return Decoded(
        answers=kept,
        problems=capped(problems + flag_problems),
        rules_version=version,
        rules_hash=rules_hash,
        same_rules=(version, rules_hash) == (catalogue.meta.version, catalogue.content_hash),
        created=created,
        urgent_flags_then=then,
    )
