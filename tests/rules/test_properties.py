"""Property tests: answer sets generated from the catalogue itself, real rules.yaml."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening import cached_rules, evaluate
from screening.language.conditions import ConditionContext
from screening.questionnaire.answers import visible_answers
from screening.questionnaire.model import EXCLUSIVE_CHOICES, Question
from screening.rules.catalogue import LEVELS

RULES = cached_rules()


def value_for(q: Question) -> st.SearchStrategy[Any]:
    if q.type in ("yesno", "single", "confirm"):
        return st.sampled_from(q.choice_values())
    if q.type == "multi":
        plain = [v for v in q.choice_values() if v not in EXCLUSIVE_CHOICES]
        alone = [[v] for v in q.choice_values() if v in EXCLUSIVE_CHOICES]
        return st.one_of(
            st.lists(st.sampled_from(plain), min_size=1, unique=True), st.sampled_from(alone)
        )
    if q.type == "number":
        assert q.min is not None and q.max is not None
        return st.integers(q.min, q.max)
    return st.text(max_size=q.max_length)


def answer_sets() -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of questions, each with a valid answer (hidden ones included on purpose)."""
    parts = {
        q.id: st.one_of(st.none(), value_for(q))
        for q in RULES.ordered_questions()
        if q.not_above is None  # cross-field limits: keep generated sets valid
    }
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets())
def test_fired_flags_really_hold_and_order_is_by_level(answers: dict[str, Any]) -> None:
    result = evaluate(answers, RULES)
    shown = visible_answers(RULES.questions, answers, RULES.conditions)
    assert result.answers == shown
    fired = set(result.flag_ids)
    ctx = ConditionContext(shown, RULES.conditions, fired)
    for flag in RULES.flags:
        holds = flag.when.holds(ctx)
        suppressed = any(s in fired for s in flag.suppressed_by)
        assert (flag.id in fired) == (holds and not suppressed), flag.id
    levels = [LEVELS.index(f.level) for f in result.flags]
    assert levels == sorted(levels)
    assert {t.id for t in result.tests} == {t for f in result.flags for t in f.tests}
    # Evaluating only what was shown gives the same result: hidden answers never count.
    assert evaluate(shown, RULES).flag_ids == result.flag_ids


@settings(max_examples=100, deadline=None)
@given(answer_sets())
def test_not_sure_alone_never_fires_an_urgent_flag_outside_the_safety_page(
    answers: dict[str, Any],
) -> None:
    safety = {q.id for q in RULES.sections[0].questions}
    unsure = {
        qid: ("not_sure" if RULES.questions[qid].type == "yesno" else value)
        for qid, value in answers.items()
        if qid not in safety
    }
    unsure = {k: v for k, v in unsure.items() if RULES.questions[k].type == "yesno"}
    urgent = [f.id for f in evaluate(unsure, RULES).flags if f.level == "urgent"]
    assert urgent == []
