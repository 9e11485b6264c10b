"""Run every flag's examples: answer sets that must show the flag, and ones that must not."""

from __future__ import annotations

from dataclasses import dataclass

from ..language.conditions import ConditionContext
from ..questionnaire.answers import visible_answers
from .catalogue import Catalogue, Example, Flag
from .evaluator import fired_flag_ids


@dataclass(frozen=True)
class ExampleFailure:
    flag_id: str
    kind: str  # fires | silent
    example: Example
    message: str

    def format(self, path: str) -> str:
        pos = self.example.pos
        return f"{path}:{pos.line}:{pos.col}: {self.message}"


def _why_not(catalogue: Catalogue, flag: Flag, example: Example, fired: set[str]) -> str:
    shown = visible_answers(catalogue.questions, example.answers, catalogue.conditions)
    hidden = [q for q in example.answers if q not in shown]
    reasons = []
    blockers = [s for s in flag.suppressed_by if s in fired]
    if blockers:
        reasons.append(f"it was suppressed by {', '.join(blockers)}")
    elif flag.when.holds(ConditionContext(shown, catalogue.conditions, fired)):
        reasons.append("its condition held")  # pragma: no cover - only reached for silent examples
    if hidden:
        reasons.append(
            "these answers were ignored because their questions were not shown: "
            + ", ".join(hidden)
        )
    return f" ({'; '.join(reasons)})" if reasons else ""


def run_examples(catalogue: Catalogue) -> tuple[int, list[ExampleFailure]]:
    """How many examples ran, and each one that did not behave as declared."""
    failures: list[ExampleFailure] = []
    count = 0
    for flag in catalogue.flags:
        for kind, examples in (("fires", flag.fires), ("silent", flag.silent)):
            for example in examples:
                count += 1
                shown = visible_answers(catalogue.questions, example.answers, catalogue.conditions)
                fired = fired_flag_ids(catalogue, shown)
                if (flag.id in fired) == (kind == "fires"):
                    continue
                if kind == "fires":
                    message = (
                        f'flag "{flag.id}": example {example.number} under fires did not show the '
                        f"flag{_why_not(catalogue, flag, example, fired)}"
                    )
                else:
                    message = (
                        f'flag "{flag.id}": example {example.number} under silent showed the flag, '
                        "but must not"
                    )
                failures.append(ExampleFailure(flag.id, kind, example, message))
    return count, failures
