"""Read rules.yaml as YAML 1.2 and remember where every value came from.

ruamel.yaml's round-trip loader keeps a 0-based line/column for every mapping key, mapping
value and sequence item (see screening.language.positions for the helpers that read them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..language.positions import RuleError
from .errors import RulesInvalid


@dataclass(frozen=True)
class SourceFile:
    path: str
    text: str
    data: Any
    content_hash: str


# The file proves it was saved whole: its last line is `end: true`. A file cut short by a crash,
# a full disk or a half-finished copy never ends with it, so it is refused before it is parsed.
END_LINE = "end: true"
ENDS_EARLY = (
    f'the file ends early: its last line must be "{END_LINE}". A file without it may have been '
    "cut short while saving, so it is never used. If you saved the whole file, add "
    f'"{END_LINE}" as its last line'
)


def ends_whole(text: str) -> bool:
    """Whether the last line that is not blank or a comment is exactly `end: true`."""
    for line in reversed(text.splitlines()):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return line.rstrip() == END_LINE
    return False


def read_source(path: str | Path) -> SourceFile:
    """Load the file, or raise RulesInvalid with the syntax error's position."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RulesInvalid(
            shown, [RuleError(1, 1, f"cannot read the file: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RulesInvalid(shown, [RuleError(line, 1, "the file is not UTF-8 text")]) from None
    if not ends_whole(text):
        last_line = max(1, len(text.splitlines()))
        raise RulesInvalid(shown, [RuleError(last_line, 1, ENDS_EARLY)])
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        data = yaml.load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = (exc.problem or "").split('"')[1] if '"' in (exc.problem or "") else "a key"
        message = f'"{key}" appears twice in the same block'
        first = _first_key_line(text, key, exc.context_mark, mark)
        if first is not None:
            message += f" (first on line {first})"
        raise RulesInvalid(shown, [RuleError(mark.line + 1, mark.column + 1, message)]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "YAML syntax error"
        hint = ""
        if "mapping values are not allowed" in problem:
            hint = " (a text with a colon in it needs quotes, or use > on the line before)"
        elif "found character '\\t'" in problem:
            hint = " (use spaces, not tabs, to indent)"
        raise RulesInvalid(shown, [RuleError(line, col, f"YAML syntax: {problem}{hint}")]) from None
    except YAMLError as exc:
        raise RulesInvalid(shown, [RuleError(1, 1, f"YAML syntax: {exc}")]) from None
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return SourceFile(shown, text, data, digest)


def _first_key_line(text: str, key: str, start: Any, dup: Any) -> int | None:
    """1-based line of the first ``key:`` at the duplicate's indentation, inside its block."""
    if start is None or dup is None:
        return None
    lines = text.splitlines()
    for number in range(start.line, dup.line):
        line = lines[number]
        body = line[dup.column :]
        if line[: dup.column].strip(" -") == "" and body.startswith(f"{key}:"):
            return number + 1
    return None


def plain(value: Any) -> Any:
    """ruamel's commented containers and scalar subclasses as plain dicts, lists, str, int."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value
