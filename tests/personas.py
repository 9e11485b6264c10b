"""CONTENT.md d.4 worked personas (content version 2), and the seed persona of the founding post.

Each persona is the exact answer set of CONTENT.md d.4; the EXPECTED_* tables hold what d.4 says
the rules must give for it (flags in catalogue order, after suppression; merged tests and asks).
"""

from __future__ import annotations

from typing import Any

from screening.questionnaire.model import EXCLUSIVE_CHOICES
from screening.rules import Catalogue

# Every main safety question answered "no" (the follow-ups are not shown then).
SAFE = {
    "safety_climbing": "no",
    "safety_fast_spread": "no",
    "safety_breathing": "no",
    "safety_stroke": "no",
    "safety_bladder": "no",
    "safety_cold_foot": "no",
    "safety_foot_wound": "no",
    "safety_hot_foot": "no",
    "safety_toe_dark": "no",
}

# Persona 1: age 45, no risk factors, no symptoms (skipped some condition items).
PERSONA_1: dict[str, Any] = {
    **SAFE,
    "age": 45,
    "sex": "male",
    "weight_loss_fast": "no",
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
    "foot_shape_lifelong": "no",
    "foot_shape_change": "no",
    "foot_rest_pain": "no",
    "foot_calf_walk_pain": "no",
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
    "med_proton_pump": "no",
    "med_h2": "no",
    "med_diuretic": "no",
    "med_mg_wasting": ["none"],
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
    "surgery_foot_ankle": "no",
    "condition_kidney": "no",
    "condition_thyroid": "no",
    "condition_family_history": "no",
    "condition_stroke_unchecked": "no",
    "tests_done": ["none"],
    "final_disclaimer_ack": "yes",
}

# Persona 2: tingling climbing up over days; stops after the urgent screen.
PERSONA_2: dict[str, Any] = {**SAFE, "safety_climbing": "yes"}

# Persona 3: age 58, prescription PPI for 3 years, celiac disease, tingling feet, B12 tested
# this year; skipped later pages.
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
    "med_proton_pump": "yes",
    "med_proton_pump_years": "over_2_years",
    "med_proton_pump_source": "prescription",
    "med_h2": "no",
    "med_diuretic": "no",
    "low_mg_signs": ["none"],
    "med_statin": "no",
    "supp_magnesium": "no",
    "supp_b6": "no",
    "tests_done": ["b12"],
    "final_disclaimer_ack": "yes",
}

# Persona 4: age 66, type 2 diabetes for 12 years, stable numbness and tingling in both feet
# and hands for 5 years, nothing new: no urgent flag at all.
PERSONA_4: dict[str, Any] = {
    **SAFE,
    "age": 66,
    "sex": "male",
    "weight_loss_fast": "no",
    "symptom_numb": "yes",
    "symptom_tingle": "yes",
    "symptom_burn": "no",
    "symptom_shock": "no",
    "symptom_touch_pain": "no",
    "symptom_temperature": "no",
    "symptom_feel_feet": "no",
    "symptom_weak": "no",
    "symptom_unsteady": "no",
    "symptom_falls": "none",
    "symptom_hands": "yes",
    "symptom_sides": "both_same",
    "symptom_duration": "over_1_year",
    "symptom_course": "stable",
    "symptom_onset_after": ["none"],
    "symptom_told_neuropathy": "yes",
    "foot_ulcer_ever": "no",
    "foot_cracks": "no",
    "foot_amputation": "no",
    "foot_shape_lifelong": "no",
    "foot_shape_change": "no",
    "foot_rest_pain": "no",
    "foot_calf_walk_pain": "no",
    "foot_daily_check": "yes",
    "diabetes": "type_2",
    "diabetes_years": 12,
    "diabetes_foot_test": "within_12_months",
    "diabetes_fast_drop": "no",
    "gut_celiac": "no",
    "gut_ibd": "no",
    "gut_small_bowel_surgery": "no",
    "gut_diarrhea": "no",
    "gut_bariatric": "no",
    "gut_low_b12": "no",
    "med_metformin": "yes",
    "med_metformin_years": "years_5_plus",
    "med_proton_pump": "no",
    "med_h2": "no",
    "med_diuretic": "no",
    "med_digoxin": "no",
    "med_mg_wasting": ["none"],
    "med_fluoroquinolone": "no",
    "med_chemo": "no",
    "med_isoniazid": "no",
    "med_other_nerve": ["none"],
    "med_statin": "no",
    "supp_magnesium": "no",
    "supp_b6": "no",
    "supp_evening_primrose": "no",
    "alcohol_per_week": 2,
    "alcohol_max_day": 1,
    "alcohol_concern": "no",
    "surgery_back": "no",
    "back_pinched_nerve": "no",
    "back_walking_pain": "no",
    "surgery_joint": "no",
    "surgery_foot_ankle": "no",
    "condition_kidney": "no",
    "condition_thyroid": "no",
    "condition_hiv": "no",
    "condition_hep_c": "no",
    "condition_autoimmune": "no",
    "condition_cancer": "no",
    "condition_family_history": "no",
    "condition_stroke_unchecked": "no",
    "tests_done": ["blood_sugar", "foot_exam"],
    "final_disclaimer_ack": "yes",
}

# Persona 5: age 50, takes only famotidine (an H2 blocker) for 3 years, no symptoms: the B12
# fact, and no magnesium or FDA flag.
PERSONA_5: dict[str, Any] = {
    **SAFE,
    "age": 50,
    "sex": "female",
    "pregnant": "no",
    "weight_loss_fast": "no",
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
    "foot_shape_lifelong": "no",
    "foot_shape_change": "no",
    "foot_rest_pain": "no",
    "foot_calf_walk_pain": "no",
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
    "med_proton_pump": "no",
    "med_h2": "yes",
    "med_h2_years": "over_2_years",
    "med_diuretic": "no",
    "med_digoxin": "no",
    "med_mg_wasting": ["none"],
    "med_fluoroquinolone": "no",
    "med_chemo": "no",
    "med_isoniazid": "no",
    "med_other_nerve": ["none"],
    "med_statin": "no",
    "supp_magnesium": "no",
    "supp_b6": "no",
    "supp_evening_primrose": "no",
    "alcohol_per_week": 2,
    "alcohol_max_day": 1,
    "alcohol_concern": "no",
    "surgery_back": "no",
    "back_pinched_nerve": "no",
    "back_walking_pain": "no",
    "surgery_joint": "no",
    "surgery_foot_ankle": "no",
    "condition_kidney": "no",
    "condition_thyroid": "no",
    "condition_family_history": "no",
    "condition_stroke_unchecked": "no",
    "tests_done": ["none"],
    "final_disclaimer_ack": "yes",
}

PERSONAS: dict[str, dict[str, Any]] = {
    "persona_1": PERSONA_1,
    "persona_2": PERSONA_2,
    "persona_3": PERSONA_3,
    "persona_4": PERSONA_4,
    "persona_5": PERSONA_5,
}

# CONTENT.md d.4: expected flags in catalogue order, after suppression.
EXPECTED_FLAGS: dict[str, list[str]] = {
    "persona_1": [],
    "persona_2": ["climbing_weakness"],
    "persona_3": [
        "blood_sugar_check",
        "ppi_magnesium_b12",
        "gut_absorption",
        "foot_care",
        "magnesium_basics",
    ],
    "persona_4": ["metformin_b12", "foot_care", "age", "magnesium_basics"],
    "persona_5": ["h2_blocker_b12"],
}

# CONTENT.md d.4 merged lists, in vocabulary order; True = done in the last 12 months.
EXPECTED_TESTS: dict[str, list[tuple[str, bool]]] = {
    "persona_3": [
        ("a1c_fasting_glucose", False),
        ("glucose_tolerance_test", False),
        ("b12_mma", True),
        ("magnesium_level", False),
        ("folate", False),
        ("copper", False),
        ("vitamin_e", False),
    ],
    "persona_5": [("b12_mma", False)],
}
EXPECTED_ASKS: dict[str, list[str]] = {
    "persona_3": ["medicine_review", "podiatry_referral", "foot_care_teaching"],
    "persona_5": ["medicine_review"],
}

# The founding blog post's reader: type 2 diabetes on metformin and a blood-pressure water pill,
# back surgery and a hip replacement (the feelings began before it), numb feet, magnesium and
# evening primrose oil.
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
    "surgery_symptoms_when": "before_surgery",
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
