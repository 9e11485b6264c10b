"""Reporting mistakes in rules.yaml: positions, pydantic messages in an editor's words.

``Report`` is what the builder and the checker share: the loaded YAML, the errors and warnings
found so far, and helpers that turn a path into the file such as ('flags', 3, 'level') into a
line:col and a pydantic error into a plain sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..language.positions import Pos, RuleError, did_you_mean, key_pos, locate
from .source import plain

M = TypeVar("M", bound=BaseModel)


def _field_name(loc: tuple[Any, ...]) -> str:
    names = [str(p) for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def _pydantic_message(err: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = tuple(err["loc"])
    name = _field_name(loc)
    value = err.get("input")
    if kind == "missing":
        return f'missing "{name}"'
    if kind == "extra_forbidden":
        known = list(model.model_fields)
        return (
            f'unknown setting "{name}"{did_you_mean(name, known)}; allowed here: {", ".join(known)}'
        )
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        expected = expected.replace("'", "").replace(" or ", ", ")
        options = [o.strip() for o in expected.split(",")]
        return f'"{name}" must be one of: {expected} (got {value!r}){did_you_mean(value, options)}'
    if kind == "string_pattern_mismatch":
        return (
            f'"{value}" is not a valid id: use lower-case letters, digits and _ (like symptom_numb)'
        )
    if kind in ("string_type", "string_too_short"):
        return f'"{name}" needs some text'
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f'"{name}" must be a whole number (got {value!r})'
    if kind == "bool_type" or kind == "bool_parsing":
        return f'"{name}" must be true or false (got {value!r})'
    if kind in ("list_type", "too_short") and "list" in err.get("msg", "").lower():
        return f'"{name}" needs a list of at least one item'
    if kind == "too_short":
        return f'"{name}" needs at least one item'
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f'"{name}" must be a block of settings (key: value lines)'
    return f'"{name}": {err["msg"]}'


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel]:
    """The nested model an error location ends in, so "unknown setting" lists the right keys."""
    current = model
    for part in loc[:-1]:
        if not isinstance(part, str) or part not in current.model_fields:
            continue
        annotation = current.model_fields[part].annotation
        candidates = [annotation, *get_args(annotation)]
        candidates += [a for c in list(candidates) for a in get_args(c)]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if nested:
            current = nested[0]
    return current


class Report:
    def __init__(self, path: str, data: Any) -> None:
        self.path = path
        self.data = data
        self.errors: list[RuleError] = []
        self.warnings: list[RuleError] = []

    def err(self, pos: Pos | None, message: str) -> None:
        pos = pos or Pos(1, 1)
        self.errors.append(pos.error(message))

    def warn(self, pos: Pos | None, message: str) -> None:
        """Something an editor should fix that does not make the rules unusable."""
        pos = pos or Pos(1, 1)
        self.warnings.append(pos.error(f"warning: {message}"))

    def at(self, *path: Any) -> Pos:
        return locate(self.data, path)

    def raw(self, *path: Any) -> Any:
        node = self.data
        for part in path:
            node = node[part]
        return node

    def validate(self, model: type[M], path: tuple[Any, ...], context: str = "") -> M | None:
        """The block as ``model``, or None after reporting every problem in it."""
        partial, bad = self.validate_partly(model, path, context)
        return None if bad else partial

    def validate_partly(
        self, model: type[M], path: tuple[Any, ...], context: str = ""
    ) -> tuple[M | None, set[str]]:
        """Like validate, but on failure also return the fields that were fine.

        The partial model holds only the fields outside the returned set of bad fields, so the
        cross-reference checks can still look at a flag whose title is missing, say, instead of
        hiding its other mistakes until the next run.
        """
        raw = self.raw(*path)
        data = plain(raw)
        try:
            return model.model_validate(data), set()
        except ValidationError as exc:
            bad: set[str] = set()
            for e in exc.errors():
                loc = path + tuple(e["loc"])
                if e["loc"]:
                    bad.add(str(e["loc"][0]))
                if e["type"] == "extra_forbidden":
                    parent = self.raw(*loc[:-1]) if len(loc) > 1 else self.data
                    pos = key_pos(parent, loc[-1]) or self.at(*loc)
                else:
                    pos = self.at(*loc)
                prefix = f"{context}: " if context else ""
                self.err(pos, prefix + _pydantic_message(e, _model_at(model, tuple(e["loc"]))))
            if not isinstance(data, dict):
                return None, bad | {"*"}
            good = {
                name: TypeAdapter(field.annotation or Any).validate_python(data[name])
                for name, field in model.model_fields.items()
                if name in data and name not in bad
            }
            return model.model_construct(**good), bad
