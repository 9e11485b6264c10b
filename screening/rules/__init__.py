"""The rules core: load and check rules.yaml, evaluate answers. No Flask, no WeasyPrint."""

from __future__ import annotations

from .catalogue import Catalogue, Flag
from .errors import RuleError, RulesInvalid
from .evaluator import Evaluation, FiredFlag, evaluate
from .loader import DEFAULT_RULES, cached_rules, load_rules

__all__ = [
    "DEFAULT_RULES",
    "Catalogue",
    "Evaluation",
    "FiredFlag",
    "Flag",
    "RuleError",
    "RulesInvalid",
    "cached_rules",
    "evaluate",
    "load_rules",
]
