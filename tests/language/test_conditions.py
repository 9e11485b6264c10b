"""Each condition form, on answers a patient could give (absent answers are never a match)."""

from __future__ import annotations

import pytest

from screening.language.conditions import ConditionContext, parse_condition
from screening.language.conditions import Scope as _Scope
from screening.language.positions import Pos
from screening.rules import Catalogue


def holds(
    mini: Catalogue,
    node: dict[str, object],
    answers: dict[str, object],
    fired: set[str] | None = None,
) -> bool:
    scope = _Scope(
        mini.questions, mini.questions, mini.groups, mini.conditions, mini.flags_by_id, "test"
    )
    cond = parse_condition(node, scope, Pos(1, 1))
    assert scope.errors == [], scope.errors
    assert cond is not None
    return cond.holds(ConditionContext(answers, mini.conditions, fired or set()))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("node", "answers", "expected"),
    [
        ({"q": "climbing", "is": "yes"}, {"climbing": "yes"}, True),
        ({"q": "climbing", "is": "yes"}, {"climbing": "not_sure"}, False),  # not_sure is never yes
        ({"q": "climbing", "is": "yes"}, {}, False),  # absent is never a match
        ({"not": {"q": "climbing", "is": "yes"}}, {}, True),  # ...and not flips it
        ({"q": "sex", "in": ["female", "male"]}, {"sex": "male"}, True),
        ({"q": "sex", "in": ["female"]}, {"sex": "male"}, False),
        ({"q": "meds", "has": "statin"}, {"meds": ["metformin", "statin"]}, True),
        ({"q": "meds", "has": "statin"}, {"meds": ["metformin"]}, False),
        ({"q": "meds", "has_any": ["statin", "metformin"]}, {"meds": ["metformin"]}, True),
        ({"q": "meds", "has_any": ["statin"]}, {"meds": ["none"]}, False),
        ({"q": "age", "gt": 64}, {"age": 65}, True),
        ({"q": "age", "gt": 64}, {"age": 64}, False),
        ({"q": "age", "gte": 65}, {"age": 65}, True),
        ({"q": "age", "lt": 65}, {"age": 64}, True),
        ({"q": "age", "lte": 64}, {"age": 65}, False),
        ({"q": "age", "is": 50}, {"age": 50}, True),
        ({"q": "age", "lt": 65}, {}, False),
        ({"answered": "age"}, {"age": 40}, True),
        ({"answered": "age"}, {}, False),
        ({"any_yes": "CORE"}, {"numb": "no", "burn": "yes"}, True),
        ({"any_yes": ["numb", "tingle"]}, {"numb": "not_sure", "burn": "yes"}, False),
        ({"any_not_sure": "SAFETY"}, {"climbing": "not_sure"}, True),
        ({"any_not_sure": "SAFETY"}, {"climbing": "yes"}, False),
        ({"count_yes": "CORE", "gte": 2}, {"numb": "yes", "tingle": "yes"}, True),
        ({"count_yes": "CORE", "gte": 2}, {"numb": "yes", "tingle": "not_sure"}, False),
        ({"count_yes": "CORE", "is": 0}, {}, True),
        ({"use": "HAS_SYMPTOMS"}, {"tingle": "yes"}, True),
        ({"use": "HAS_SYMPTOMS"}, {"tingle": "no"}, False),
        (
            {"all": [{"q": "sex", "is": "female"}, {"q": "age", "gte": 65}]},
            {"sex": "female", "age": 70},
            True,
        ),
        (
            {"all": [{"q": "sex", "is": "female"}, {"q": "age", "gte": 65}]},
            {"sex": "female"},
            False,
        ),
        ({"any": [{"q": "sex", "is": "female"}, {"q": "age", "gte": 65}]}, {"age": 70}, True),
        ({"any": [{"q": "sex", "is": "female"}, {"q": "age", "gte": 65}]}, {}, False),
    ],
)
def test_condition_forms(
    mini: Catalogue, node: dict[str, object], answers: dict[str, object], expected: bool
) -> None:
    assert holds(mini, node, answers) is expected


def test_flag_reference(mini: Catalogue) -> None:
    assert holds(mini, {"flag": "climbing_flag"}, {}, {"climbing_flag"}) is True
    assert holds(mini, {"flag": "climbing_flag"}, {}, set()) is False
