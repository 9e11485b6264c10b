"""Where things are in rules.yaml: 1-based line:col positions and the errors that carry them.

ruamel.yaml's round-trip loader keeps a 0-based line/column for every mapping key, mapping
value and sequence item; the helpers here turn those into positions an editor can jump to.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq


@dataclass(frozen=True, order=True)
class RuleError:
    """One mistake in the rules file. ``line`` and ``col`` are 1-based, like an editor's."""

    line: int
    col: int
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}:{self.col}: {self.message}"


@dataclass(frozen=True)
class Pos:
    """1-based line and column."""

    line: int
    col: int

    def error(self, message: str) -> RuleError:
        return RuleError(self.line, self.col, message)


def key_pos(mapping: Any, key: Any) -> Pos | None:
    if isinstance(mapping, CommentedMap) and key in mapping:
        line, col = mapping.lc.key(key)
        return Pos(line + 1, col + 1)
    return None


def value_pos(container: Any, key: Any) -> Pos | None:
    """Where the value stored under ``key`` (a mapping key or list index) starts."""
    if isinstance(container, CommentedMap) and key in container:
        line, col = container.lc.value(key)
        return Pos(line + 1, col + 1)
    if isinstance(container, CommentedSeq) and isinstance(key, int) and 0 <= key < len(container):
        line, col = container.lc.item(key)
        return Pos(line + 1, col + 1)
    return None


def node_pos(node: Any) -> Pos:
    if isinstance(node, (CommentedMap, CommentedSeq)):
        return Pos(node.lc.line + 1, node.lc.col + 1)
    return Pos(1, 1)


def locate(root: Any, path: tuple[Any, ...]) -> Pos:
    """The position of the deepest part of ``path`` that exists in the loaded tree.

    Used to turn a pydantic error location such as ('flags', 3, 'level') into a line:col.
    A missing key points at its parent mapping.
    """
    node = root
    best = node_pos(root)
    for part in path:
        pos = value_pos(node, part)
        if pos is None:
            break
        best = pos
        node = node[part]
    return best


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """A ' (did you mean x?)' hint for a misspelled id, or '' when nothing is close."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
