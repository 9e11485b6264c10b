"""Answer sets the codec's tests and `make bench` share: the seed persona with a concern in
their own words, and every question at its longest value."""

from __future__ import annotations

import random
from typing import Any

import segno
from personas import SAFE

from screening.questionnaire.answers import visible_answers
from screening.questionnaire.model import EXCLUSIVE_CHOICES
from screening.rules import Catalogue

QR_LIMIT = 10

CONCERN = (
    "My feet have been numb and tingly for about two years and it is worse at night. My sugar "
    "is well controlled now, but nobody has checked my feet. I worry about my balance on the "
    "stairs and my new pill."
)
assert len(CONCERN) == 200

# The founding blog post's reader as the QR brief describes him: a 62-year-old man with type 2
# diabetes on metformin and a water pill, back surgery and a hip replacement, who answers every
# question he is shown (about 60). Ids from both rules 1.1.0 and 2.0.0 are here, so the same
# man can be encoded under either; seed_persona keeps those the loaded rules know.
SEED_MAN: dict[str, Any] = {
    **SAFE,
    "safety_foot_wound": "no",
    "age": 62,
    "weight_loss_fast": "no",
    "sex": "male",
    "symptom_numb": "yes",
    "symptom_tingle": "yes",
    "symptom_burn": "no",
    "symptom_shock": "no",
    "symptom_touch_pain": "no",
    "symptom_temperature": "no",
    "symptom_feel_feet": "not_sure",
    "symptom_cramps": "yes",
    "symptom_weak": "no",
    "symptom_unsteady": "yes",
    "symptom_falls": "once",
    "symptom_hands": "no",
    "symptom_night": "yes",
    "symptom_extent": "ankles",
    "symptom_sides": "both_same",
    "symptom_duration": "over_1_year",
    "symptom_course": "slowly_worse",
    "symptom_onset_after": ["none"],
    "symptom_told_neuropathy": "no",
    "foot_ulcer_ever": "no",
    "foot_cracks": "no",
    "foot_amputation": "no",
    "foot_shape": "no",
    "foot_shape_lifelong": "no",
    "foot_shape_change": "no",
    "foot_rest_pain": "no",
    "foot_calf_walk_pain": "no",
    "foot_daily_check": "not_sure",
    "diabetes": "type_2",
    "diabetes_years": 12,
    "diabetes_foot_test": "over_12_months",
    "diabetes_fast_drop": "no",
    "gut_celiac": "no",
    "gut_ibd": "no",
    "gut_small_bowel_surgery": "no",
    "gut_diarrhea": "no",
    "gut_low_b12": "not_sure",
    "gut_bariatric": "no",
    "med_metformin": "yes",
    "med_metformin_years": "years_5_plus",
    "med_ppi": "no",
    "med_proton_pump": "no",
    "med_h2": "no",
    "low_mg_signs": ["none"],
    "med_diuretic": "yes",
    "med_digoxin": "no",
    "med_mg_wasting": ["none"],
    "med_fluoroquinolone": "no",
    "med_chemo": "no",
    "med_isoniazid": "no",
    "med_other_nerve": ["none"],
    "med_statin": "yes",
    "supp_magnesium": "yes",
    "supp_magnesium_mg": 250,
    "supp_magnesium_b6": "no",
    "supp_b6": "no",
    "supp_b12": "no",
    "supp_evening_primrose": "yes",
    "alcohol_per_week": 4,
    "alcohol_max_day": 2,
    "alcohol_concern": "no",
    "surgery_back": "yes",
    "back_pinched_nerve": "no",
    "back_walking_pain": "no",
    "surgery_joint": "yes",
    "surgery_joint_kind": ["hip"],
    "surgery_joint_side": "left",
    "surgery_joint_after": "no",
    "surgery_foot_ankle": "no",
    "surgery_symptoms_when": "before_surgery",
    "condition_kidney": "no",
    "condition_thyroid": "no",
    "condition_hiv": "no",
    "condition_hep_c": "no",
    "condition_autoimmune": "no",
    "condition_cancer": "no",
    "condition_family_history": "no",
    "condition_stroke_unchecked": "no",
    "tests_done": ["blood_sugar"],
    "final_disclaimer_ack": "yes",
}


def concern_question(rules: Catalogue) -> str:
    """Where the concern goes: concern_text from rules v2 on, else the first text question."""
    if "concern_text" in rules.questions:
        return "concern_text"
    return next(q.id for q in rules.ordered_questions() if q.type == "text")


def seed_persona(rules: Catalogue, concern: str = CONCERN) -> dict[str, Any]:
    """SEED_MAN under whatever rules are loaded: ids they lack are skipped, hidden ones dropped."""
    answers = {k: v for k, v in SEED_MAN.items() if k in rules.questions}
    answers[concern_question(rules)] = concern
    return visible_answers(rules.questions, answers, rules.conditions)


def all_max(rules: Catalogue, text: str = "english") -> dict[str, Any]:
    """Every question answered with its longest value: every plain choice, numbers at their
    maximum, text fields full (English, or random two-byte letters that do not compress)."""
    rng = random.Random(14)
    answers: dict[str, Any] = {}
    for q in rules.ordered_questions():
        if q.type in ("yesno", "confirm"):
            answers[q.id] = "yes"
        elif q.type == "single":
            answers[q.id] = q.choices[-1].value
        elif q.type == "multi":
            answers[q.id] = [v for v in q.choice_values() if v not in EXCLUSIVE_CHOICES]
        elif q.type == "number":
            answers[q.id] = q.max
        elif text == "english":
            answers[q.id] = (CONCERN + " ") * (q.max_length // 201) + CONCERN[: q.max_length % 201]
        else:
            answers[q.id] = "".join(chr(rng.randint(0x100, 0x7FF)) for _ in range(q.max_length))
    for q in rules.ordered_questions():
        if q.not_above and isinstance(answers.get(q.not_above), int):
            answers[q.id] = min(answers[q.id], answers[q.not_above])
    return answers


def qr_version(text: str) -> int:
    version = segno.make(text, error="m", micro=False).version
    assert isinstance(version, int)
    return version
