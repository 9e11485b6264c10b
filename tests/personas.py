"""CONTENT.md d.4 worked personas (and the seed persona of the founding blog post)."""

from __future__ import annotations

from typing import Any

from screening.questionnaire.model import EXCLUSIVE_CHOICES
from screening.rules import Catalogue

SAFE = {
    "safety_climbing": "no",
    "safety_fast_spread": "no",
    "safety_breathing": "no",
    "safety_stroke": "no",
    "safety_bladder": "no",
    "safety_foot_wound": "no",
    "safety_hot_foot": "no",
    "safety_foot_color": "no",
}

PERSONA_1: dict[str, Any] = {
    **SAFE,
    "age": 45,
    "sex": "male",
    "symptom_numb": "no",
    "symptom_tingle": "no",
    "symptom_burn": "no",
    "symptom_shock": "no",
    "symptom_touch_pain": "no",
    "symptom_temperature": "no",
    "symptom_feel_feet": "no",
    "symptom_weak": "no",
    "symptom_unsteady": "no",
    "symptom_falls": "none",
    "symptom_hands": "no",
    "symptom_told_neuropathy": "no",
    "foot_ulcer_ever": "no",
    "foot_daily_check": "yes",
    "diabetes": "no",
    "prediabetes": "no",
    "gut_celiac": "no",
    "gut_ibd": "no",
    "gut_small_bowel_surgery": "no",
    "gut_diarrhea": "no",
    "gut_bariatric": "no",
    "gut_low_b12": "no",
    "med_metformin": "no",
    "med_ppi": "no",
    "med_diuretic": "no",
    "med_fluoroquinolone": "no",
    "med_chemo": "no",
    "med_isoniazid": "no",
    "med_other_nerve": ["none"],
    "med_statin": "no",
    "supp_magnesium": "no",
    "supp_b6": "no",
    "supp_evening_primrose": "no",
    "alcohol_per_week": 3,
    "alcohol_max_day": 2,
    "alcohol_concern": "no",
    "surgery_back": "no",
    "back_pinched_nerve": "no",
    "back_walking_pain": "no",
    "surgery_joint": "no",
    "condition_kidney": "no",
    "condition_thyroid": "no",
    "condition_family_history": "no",
    "tests_done": ["none"],
    "final_disclaimer_ack": "yes",
}

PERSONA_2: dict[str, Any] = {**SAFE, "safety_climbing": "yes"}

PERSONA_3: dict[str, Any] = {
    **SAFE,
    "age": 58,
    "sex": "female",
    "symptom_numb": "no",
    "symptom_tingle": "yes",
    "symptom_burn": "no",
    "symptom_shock": "no",
    "symptom_touch_pain": "no",
    "symptom_temperature": "no",
    "symptom_feel_feet": "no",
    "symptom_weak": "no",
    "symptom_unsteady": "no",
    "symptom_hands": "no",
    "symptom_sides": "both_same",
    "symptom_duration": "months_6_to_12",
    "symptom_course": "slowly_worse",
    "symptom_onset_after": ["none"],
    "diabetes": "no",
    "prediabetes": "no",
    "gut_celiac": "yes",
    "gut_ibd": "no",
    "gut_small_bowel_surgery": "no",
    "gut_diarrhea": "no",
    "gut_bariatric": "no",
    "gut_low_b12": "no",
    "med_metformin": "no",
    "med_ppi": "yes",
    "med_ppi_years": "over_2_years",
    "med_ppi_source": "prescription",
    "med_ppi_warning_signs": "no",
    "med_diuretic": "no",
    "med_statin": "no",
    "supp_magnesium": "no",
    "supp_b6": "no",
    "tests_done": ["b12"],
    "final_disclaimer_ack": "yes",
}

# The founding blog post's reader: type 2 diabetes on metformin and a blood-pressure water pill,
# back surgery and a hip replacement, numb feet, magnesium and evening primrose oil.
SEED: dict[str, Any] = {
    **SAFE,
    "age": 67,
    "sex": "female",
    "symptom_numb": "yes",
    "symptom_tingle": "yes",
    "symptom_burn": "no",
    "symptom_sides": "both_same",
    "symptom_duration": "over_1_year",
    "symptom_course": "slowly_worse",
    "diabetes": "type_2",
    "diabetes_years": 12,
    "diabetes_foot_test": "over_12_months",
    "med_metformin": "yes",
    "med_metformin_years": "years_5_plus",
    "med_diuretic": "yes",
    "supp_magnesium": "yes",
    "supp_magnesium_mg": 250,
    "supp_magnesium_b6": "no",
    "supp_evening_primrose": "yes",
    "surgery_back": "yes",
    "surgery_joint": "yes",
    "surgery_joint_kind": ["hip"],
    "surgery_joint_side": "left",
    "surgery_joint_after": "no",
    "tests_done": ["blood_sugar"],
    "final_disclaimer_ack": "yes",
}


def all_yes(rules: Catalogue) -> dict[str, Any]:
    """Every question answered: yes, the first choice, every non-exclusive choice, max number."""
    answers: dict[str, Any] = {}
    for q in rules.ordered_questions():
        if q.type in ("yesno", "confirm"):
            answers[q.id] = "yes"
        elif q.type == "single":
            answers[q.id] = q.choices[0].value
        elif q.type == "multi":
            answers[q.id] = [v for v in q.choice_values() if v not in EXCLUSIVE_CHOICES]
        elif q.type == "number":
            answers[q.id] = q.max
        else:
            answers[q.id] = "My own notes about the vitamins I take. " * 10
    for q in rules.ordered_questions():
        if q.not_above and isinstance(answers.get(q.not_above), int):
            answers[q.id] = min(answers[q.id], answers[q.not_above])
    return answers
