"""The Summary: what the results page and the PDF's clinician page are built from."""

from __future__ import annotations

from typing import Any

import pytest
from answer_sets import CONCERN, seed_persona
from personas import PERSONA_1, PERSONA_2, PERSONAS

from screening import AnswersInvalid
from screening.rules import Catalogue
from screening.rules.catalogue import LEVELS
from screening.summary import NOTHING_MATCHED, build_summary, summary_of_answers


@pytest.fixture(scope="module")
def seed(rules: Catalogue) -> dict[str, Any]:
    return seed_persona(rules)


def facts(rules: Catalogue, answers: dict[str, Any]) -> dict[str, str]:
    return {f.label: f.text for f in build_summary(rules, answers).key_facts}


def test_the_clinician_reads_who_and_the_patients_own_words_first(
    rules: Catalogue, seed: dict[str, Any]
) -> None:
    summary = build_summary(rules, seed)
    assert summary.who == "Age 62, male"
    assert summary.own_words == CONCERN


def test_key_facts_join_each_follow_up_to_the_answer_it_follows(
    rules: Catalogue, seed: dict[str, Any]
) -> None:
    found = " | ".join(facts(rules, seed).values())
    metformin = rules.questions["med_metformin_years"].answer_text(seed["med_metformin_years"])
    assert f"Metformin ({metformin})" in found
    assert "12 years" in found and "type 2" in found
    assert rules.questions["surgery_symptoms_when"].answer_text("before_surgery") in found
    # Negative answers and the safety page stay out of the key facts.
    assert "Statin" in found and "Celiac" not in found
    assert not any(section.startswith("Safety") for section in facts(rules, seed))


def test_topics_run_urgent_then_discuss_by_priority_then_info(rules: Catalogue) -> None:
    for name, answers in PERSONAS.items():
        topics = build_summary(rules, answers).topics
        levels = [LEVELS.index(f.level) for f in topics]
        assert levels == sorted(levels), name
        discuss = [f.priority for f in topics if f.level == "discuss"]
        assert discuss == sorted(discuss), name


def test_next_steps_are_three_at_most_urgent_first_and_end_with_the_summary(
    rules: Catalogue, seed: dict[str, Any]
) -> None:
    for answers in [*PERSONAS.values(), seed]:
        steps = build_summary(rules, answers).next_steps
        assert 1 <= len(steps) <= 3
        assert steps[-1].startswith("Bring your summary")
    urgent = build_summary(rules, PERSONA_2)
    assert urgent.urgent
    assert urgent.next_steps[0].startswith(urgent.action_label(urgent.urgent[0]))


def test_a_skipped_question_a_topic_reads_is_named_and_not_sure_is_listed(
    rules: Catalogue, seed: dict[str, Any]
) -> None:
    full = build_summary(rules, seed).gaps
    fewer = {k: v for k, v in seed.items() if k != "med_diuretic"}
    gaps = build_summary(rules, fewer).gaps
    assert gaps.skipped == full.skipped + 1
    assert rules.questions["med_diuretic"].name in gaps.skipped_that_matter
    assert rules.questions["med_diuretic"].name not in full.skipped_that_matter
    assert rules.questions["symptom_feel_feet"].name in full.not_sure  # he was not sure


def test_no_topic_never_reads_as_all_clear(rules: Catalogue) -> None:
    summary = build_summary(rules, PERSONA_1)
    assert summary.nothing_matched
    assert "silent" in NOTHING_MATCHED
    for reassurance in ("you are fine", "all clear", "normal", "healthy"):
        assert reassurance not in NOTHING_MATCHED.lower()


def test_positive_answers_stand_out_and_no_or_zero_does_not(
    rules: Catalogue, seed: dict[str, Any]
) -> None:
    answers = {**seed, "alcohol_per_week": 0}
    items = {a.id: a for s in build_summary(rules, answers).sections for a in s.items}
    assert items["med_metformin"].positive and items["diabetes"].positive
    assert not items["med_proton_pump"].positive
    assert not items["alcohol_per_week"].positive
    assert items["med_metformin"].answer == "Yes"  # the patient's words, not "yes"


def test_invalid_answers_get_every_problem_not_a_summary(rules: Catalogue) -> None:
    with pytest.raises(AnswersInvalid) as info:
        summary_of_answers(rules, {"age": 7, "med_metformin": "maybe"})
    assert len(info.value.problems) == 2
