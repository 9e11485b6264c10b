"""The rules core: load and check rules.yaml, evaluate answers. No Flask, no WeasyPrint.

Names are imported on first use: the questionnaire package imports the condition language from
here, and the evaluator imports the questionnaire, so eager imports would go round in a circle.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import Catalogue as Catalogue
    from .catalogue import Flag as Flag
    from .errors import RuleError as RuleError
    from .errors import RulesInvalid as RulesInvalid
    from .evaluator import Evaluation as Evaluation
    from .evaluator import FiredFlag as FiredFlag
    from .evaluator import evaluate as evaluate
    from .loader import DEFAULT_RULES as DEFAULT_RULES
    from .loader import load_rules as load_rules

_WHERE = {
    "Catalogue": "catalogue",
    "Flag": "catalogue",
    "RuleError": "errors",
    "RulesInvalid": "errors",
    "Evaluation": "evaluator",
    "FiredFlag": "evaluator",
    "evaluate": "evaluator",
    "DEFAULT_RULES": "loader",
    "load_rules": "loader",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
