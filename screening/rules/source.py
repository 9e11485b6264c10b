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
        raise RulesInvalid(shown, [plain_syntax_error(text, line, col, problem)]) from None
    except YAMLError as exc:
        raise RulesInvalid(shown, [RuleError(1, 1, f"YAML syntax: {exc}")]) from None
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return SourceFile(shown, text, data, digest)


# --- YAML syntax errors in an editor's words ----------------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    text: str

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))

    @property
    def body(self) -> str:
        return self.text.strip()

    @property
    def is_item(self) -> bool:
        return self.body.startswith("- ") or self.body == "-"


def _content_lines(text: str) -> list[_Line]:
    """Lines that hold YAML (not blank, not only a comment)."""
    return [
        _Line(n, line)
        for n, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]


def _spaces(n: int) -> str:
    return f"{n} space{'s' if n != 1 else ''}"


def _indent_message(lines: list[_Line], at: int) -> RuleError | None:
    """ "line 12 is indented 1 space more than line 11", comparing with the nearest neighbour
    of the same kind (list item or setting) whose indentation differs least."""
    index = next((i for i, line in enumerate(lines) if line.number >= at), None)
    if index is None:
        return None
    this = lines[index]
    neighbours = [lines[i] for i in (index - 1, index + 1) if 0 <= i < len(lines)]
    same_kind = [n for n in neighbours if n.is_item == this.is_item and n.indent != this.indent]
    candidates = same_kind or [n for n in neighbours if n.indent != this.indent]
    if not candidates:
        return None
    other = min(candidates, key=lambda n: (abs(n.indent - this.indent), n.number > this.number))
    # The parser may stop on the line after the wrong one: the wrong one is the line whose
    # indentation its nearby lines of the same kind do not share.
    window = [n for n in lines[max(0, index - 6) : index + 7] if n.is_item == this.is_item]
    if sum(n.indent == this.indent for n in window) > sum(n.indent == other.indent for n in window):
        this, other = other, this
    diff = this.indent - other.indent
    if abs(diff) > 4:
        return None
    more = "more" if diff > 0 else "less"
    return RuleError(
        this.number,
        this.indent + 1,
        f"line {this.number} is indented {_spaces(abs(diff))} {more} than line {other.number}; "
        "the settings of one block must start in the same column (indent with spaces only)",
    )


def _open_quote(lines: list[_Line], at: int) -> RuleError | None:
    """A line before the error that opens a quote it does not close."""
    for line in reversed([line for line in lines if line.number <= at][-30:]):
        body = line.body.split(" #", 1)[0]
        for quote in ('"', "'"):
            if body.count(quote) % 2 == 1:
                return RuleError(
                    line.number,
                    line.text.index(quote) + 1,
                    f"line {line.number} opens a quote ({quote}) that is not closed on the same "
                    "line; add the closing quote",
                )
    return None


def _missing_colon(lines: list[_Line], at: int) -> RuleError | None:
    """The setting above the error that has no ":" after its name."""
    for line in reversed([line for line in lines if line.number < at][-3:]):
        body = line.body.removeprefix("- ")
        if ":" not in body and " " in body and body.split(" ", 1)[0].isidentifier():
            name = body.split(" ", 1)[0]
            return RuleError(
                line.number,
                line.text.index(name) + len(name) + 1,
                f'line {line.number}: a ":" is missing after "{name}" (write {name}: ...)',
            )
    return None


def plain_syntax_error(text: str, line: int, col: int, problem: str) -> RuleError:
    """A YAML parser error turned into what an editor needs: where, and what to change."""
    lines = _content_lines(text)
    found: RuleError | None = None
    if "could not find expected ':'" in problem:
        found = _missing_colon(lines, line) or _open_quote(lines, line)
    elif "found character '\\t'" in problem:
        found = RuleError(line, col, f"line {line} has a tab; indent with spaces only")
    elif "expected <block end>" in problem or "mapping values are not allowed" in problem:
        found = _open_quote(lines, line) if "<scalar>" in problem else None
        found = found or _indent_message(lines, line)
        if found is None and "mapping values are not allowed" in problem:
            found = RuleError(
                line,
                col,
                "YAML syntax: a text with a colon in it needs quotes, or use > on the line "
                "before and put the text on the next lines",
            )
    elif "<scalar>" in problem or "quoted scalar" in problem or "end of stream" in problem:
        found = _open_quote(lines, line)
    return found or RuleError(line, col, f"YAML syntax: {problem}")


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
