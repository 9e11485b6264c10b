"""Load rules.yaml into a Catalogue, or report every mistake in it at once.

Order of work: YAML syntax (stops here on failure, nothing else can be trusted), the end-of-file
marker (a file cut short while saving stops here too), then the shape of each block with
pydantic and every cross-reference (builder.py), then the checks on flags and the whole file
(checker.py).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from . import checker
from .builder import Builder
from .catalogue import Catalogue
from .errors import RulesInvalid
from .source import read_source

DEFAULT_RULES = Path(__file__).resolve().parents[2] / "rules.yaml"


def load_rules(path: str | Path | None = None, *, emergency_number: str | None = None) -> Catalogue:
    """Load and check a rules file (default: the project's rules.yaml).

    Raises RulesInvalid listing every mistake as file:line:col. ``emergency_number`` overrides
    meta.emergency_number (the SCREENING_EMERGENCY_NUMBER setting).
    """
    source = read_source(path or DEFAULT_RULES)
    builder = Builder(source.path, source.data)
    if isinstance(source.data, dict) and not checker.check_complete(builder):
        raise RulesInvalid(source.path, builder.errors)
    catalogue = builder.build(source.content_hash)
    if builder.errors or catalogue is None:
        raise RulesInvalid(source.path, builder.errors)
    if emergency_number:
        catalogue = replace(
            catalogue, meta=replace(catalogue.meta, emergency_number=emergency_number)
        )
    return catalogue


_cache: dict[tuple[str, int, int, str | None], Catalogue] = {}
_cache_lock = threading.Lock()


def cached_rules(
    path: str | Path | None = None, *, emergency_number: str | None = None
) -> Catalogue:
    """``load_rules``, but a file already loaded in this process and unchanged since (same
    size and modification time) is not read and checked again. For the public API, where
    ``evaluate(answers)`` without ``rules=`` must cost what the evaluation costs."""
    target = Path(path or DEFAULT_RULES).resolve()
    try:
        st = target.stat()
    except OSError:
        return load_rules(target, emergency_number=emergency_number)  # raises with the reason
    key = (str(target), st.st_mtime_ns, st.st_size, emergency_number)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    rules = load_rules(target, emergency_number=emergency_number)
    with _cache_lock:
        _cache.clear()  # one rule set at a time: the newest
        _cache[key] = rules
    return rules
