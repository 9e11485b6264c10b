"""The real rules.yaml: CONTENT.md's fixed ids, its worked personas, examples, plain wording."""

from __future__ import annotations

import re

import pytest
from personas import PERSONA_1, PERSONA_2, PERSONA_3

from screening import evaluate, load_rules
from screening.rules import Catalogue
from screening.rules.examples import run_examples

from .readability import flesch_kincaid_grade

# Ids are a public contract (CONTENT.md a): every one must exist with its level.
FLAG_LEVELS = {
    "climbing_weakness": "urgent",
    "breathing_swallowing": "urgent",
    "stroke_signs": "urgent",
    "bladder_bowel_saddle": "urgent",
    "foot_wound": "urgent",
    "foot_infection": "urgent",
    "hot_swollen_foot": "urgent",
    "foot_blood_flow": "urgent",
    "fluoroquinolone_symptoms": "urgent",
    "fast_or_one_sided": "urgent",
    "ppi_low_magnesium_signs": "urgent",
    "chemo_symptoms_now": "urgent",
    "b6_supplement_symptoms": "urgent",
    "warning_sign_unsure": "urgent",
    "diabetes_foot_exam": "discuss",
    "blood_sugar_check": "discuss",
    "metformin_b12": "discuss",
    "ppi_magnesium_b12": "discuss",
    "diuretic_magnesium": "discuss",
    "gut_absorption": "discuss",
    "bariatric_nutrients": "discuss",
    "alcohol": "discuss",
    "chemotherapy": "discuss",
    "isoniazid_b6": "discuss",
    "other_nerve_medicines": "discuss",
    "b6_excess": "discuss",
    "magnesium_supplement": "discuss",
    "kidney": "discuss",
    "other_conditions": "discuss",
    "surgery_nerve_injury": "discuss",
    "family_history": "discuss",
    "symptom_workup": "discuss",
    "small_fiber": "discuss",
    "falls_balance": "discuss",
    "foot_care": "info",
    "age": "info",
    "statin": "info",
    "evening_primrose_oil": "info",
    "magnesium_basics": "info",
}
ACTIONS = {
    "climbing_weakness": "emergency",
    "breathing_swallowing": "emergency",
    "stroke_signs": "emergency",
    "bladder_bowel_saddle": "emergency",
    "foot_wound": "same_day",
    "foot_infection": "same_day",
    "hot_swollen_foot": "same_day",
    "foot_blood_flow": "immediate",
    "fluoroquinolone_symptoms": "prompt",
    "fast_or_one_sided": "prompt",
    "ppi_low_magnesium_signs": "immediate",
    "chemo_symptoms_now": "prompt",
    "b6_supplement_symptoms": "prompt",
    "warning_sign_unsure": "check_today",
}
SAFETY = [
    "safety_climbing",
    "safety_fast_spread",
    "safety_breathing",
    "safety_stroke",
    "safety_bladder",
    "safety_foot_wound",
    "safety_foot_infection",
    "safety_hot_foot",
    "safety_hot_foot_numb",
    "safety_foot_color",
]
QUESTION_TYPES = {
    "age": "number",
    "sex": "single",
    "pregnant": "yesno",
    "symptom_falls": "single",
    "symptom_extent": "single",
    "symptom_sides": "single",
    "symptom_duration": "single",
    "symptom_course": "single",
    "symptom_onset_after": "multi",
    "diabetes": "single",
    "diabetes_years": "number",
    "diabetes_foot_test": "single",
    "gut_bariatric_year": "number",
    "gut_bariatric_vitamins": "single",
    "med_metformin_years": "single",
    "med_ppi_years": "single",
    "med_ppi_source": "single",
    "med_chemo": "single",
    "med_chemo_kind": "multi",
    "med_other_nerve": "multi",
    "supp_magnesium_mg": "number",
    "supp_b6_products": "single",
    "supp_b6_mg": "number",
    "supp_other": "text",
    "alcohol_per_week": "number",
    "alcohol_max_day": "number",
    "surgery_joint_kind": "multi",
    "surgery_joint_side": "single",
    "tests_done": "multi",
    "tests_nerve_result": "single",
    "final_disclaimer_ack": "confirm",
}
YESNO = [
    *SAFETY,
    "symptom_numb",
    "symptom_tingle",
    "symptom_burn",
    "symptom_shock",
    "symptom_touch_pain",
    "symptom_temperature",
    "symptom_feel_feet",
    "symptom_cramps",
    "symptom_weak",
    "symptom_unsteady",
    "symptom_hands",
    "symptom_night",
    "symptom_told_neuropathy",
    "foot_ulcer_ever",
    "foot_cracks",
    "foot_amputation",
    "foot_shape",
    "foot_daily_check",
    "prediabetes",
    "gut_celiac",
    "gut_ibd",
    "gut_small_bowel_surgery",
    "gut_diarrhea",
    "gut_bariatric",
    "gut_low_b12",
    "med_metformin",
    "med_ppi",
    "med_ppi_warning_signs",
    "med_diuretic",
    "med_digoxin",
    "med_fluoroquinolone",
    "med_fluoroquinolone_timing",
    "med_chemo_new_symptoms",
    "med_isoniazid",
    "med_statin",
    "supp_magnesium",
    "supp_magnesium_b6",
    "supp_b6",
    "supp_b12",
    "supp_evening_primrose",
    "alcohol_concern",
    "surgery_back",
    "back_pinched_nerve",
    "back_walking_pain",
    "surgery_joint",
    "surgery_joint_after",
    "condition_kidney",
    "condition_thyroid",
    "condition_hiv",
    "condition_hep_c",
    "condition_autoimmune",
    "condition_cancer",
    "condition_family_history",
]
CHOICES = {
    "sex": ["female", "male", "prefer_not_to_say"],
    "symptom_falls": ["none", "once", "two_or_more"],
    "symptom_sides": ["both_same", "mostly_one", "only_one", "not_sure"],
    "symptom_duration": [
        "under_1_week",
        "weeks_1_to_4",
        "months_1_to_6",
        "months_6_to_12",
        "over_1_year",
        "not_sure",
    ],
    "symptom_course": ["stable", "slowly_worse", "quickly_worse", "improving", "not_sure"],
    "symptom_onset_after": [
        "surgery",
        "infection",
        "new_medicine",
        "new_supplement",
        "injury",
        "none",
        "not_sure",
    ],
    "diabetes": ["type_1", "type_2", "other_type", "no", "not_sure"],
    "med_chemo": ["current", "past", "no", "not_sure"],
    "med_other_nerve": [
        "metronidazole_long",
        "nitrofurantoin_long",
        "linezolid",
        "dapsone",
        "amiodarone",
        "colchicine",
        "older_hiv_drugs",
        "leflunomide",
        "tnf_inhibitor",
        "none",
        "not_sure",
    ],
    "tests_done": [
        "blood_sugar",
        "b12",
        "magnesium",
        "thyroid",
        "kidney",
        "foot_exam",
        "nerve_conduction",
        "skin_biopsy",
        "none",
        "not_sure",
    ],
}
TESTS = [
    "a1c_fasting_glucose",
    "glucose_tolerance_test",
    "b12_mma",
    "magnesium_level",
    "potassium_level",
    "serum_protein_ife",
    "tsh",
    "kidney_function",
    "liver_tests",
    "cbc",
    "folate",
    "thiamine",
    "copper",
    "vitamin_e",
    "vitamin_d",
    "b6_level",
    "inflammation_panel",
    "cryoglobulins",
    "foot_sensation_exam",
    "foot_xray",
    "nerve_conduction_emg",
    "skin_biopsy_ienfd",
    "spine_imaging",
    "genetic_testing",
]
ASKS = [
    "medicine_review",
    "supplement_review",
    "podiatry_referral",
    "foot_care_teaching",
    "neurology_referral",
    "balance_assessment",
    "alcohol_support",
    "oncology_team_review",
    "surgeon_follow_up",
    "b6_with_isoniazid",
    "antibiotic_switch",
    "wound_check",
]


@pytest.fixture(scope="module")
def rules() -> Catalogue:
    return load_rules()


def test_every_content_flag_is_present(rules: Catalogue) -> None:
    assert {f.id: f.level for f in rules.flags} == FLAG_LEVELS


def test_flag_ids_levels_and_actions(rules: Catalogue) -> None:
    assert {f.id: f.level for f in rules.flags}.items() <= FLAG_LEVELS.items()
    assert {f.id: f.action for f in rules.flags if f.level == "urgent"} == ACTIONS


def test_fixed_question_test_and_ask_ids(rules: Catalogue) -> None:
    # The safety page holds exactly these; follow-ups may be placed after the main questions.
    assert sorted(q.id for q in rules.sections[0].questions) == sorted(SAFETY)
    assert all(q.required for q in rules.sections[0].questions)
    for qid, kind in QUESTION_TYPES.items():
        assert rules.questions[qid].type == kind, qid
    for qid in YESNO:
        assert rules.questions[qid].type == "yesno", qid
    for qid, values in CHOICES.items():
        assert list(rules.questions[qid].choice_values()) == values, qid
    assert [t.id for t in rules.tests] == TESTS
    assert [a.id for a in rules.asks] == ASKS


def test_every_flag_has_a_source_with_a_url(rules: Catalogue) -> None:
    for flag in rules.flags:
        assert flag.sources, flag.id
        for tag in flag.sources:
            assert rules.sources[tag].url.startswith("http"), tag


def test_every_example_behaves_as_declared(rules: Catalogue) -> None:
    count, failures = run_examples(rules)
    assert count >= 2 * len(rules.flags)
    assert [f.format("rules.yaml") for f in failures] == []


def test_persona_1_no_flags(rules: Catalogue) -> None:
    assert evaluate(PERSONA_1, rules).flag_ids == []


def test_persona_2_climbing_weakness_only(rules: Catalogue) -> None:
    result = evaluate(PERSONA_2, rules)
    assert result.flag_ids == ["climbing_weakness"]
    assert "911" in result.flags[0].text


def test_persona_3_flags_tests_and_asks(rules: Catalogue) -> None:
    result = evaluate(PERSONA_3, rules)
    assert result.flag_ids == [
        "blood_sugar_check",
        "ppi_magnesium_b12",
        "gut_absorption",
        "foot_care",
        "magnesium_basics",
    ]
    assert [(t.id, t.done_recently) for t in result.tests] == [
        ("a1c_fasting_glucose", False),
        ("glucose_tolerance_test", False),
        ("b12_mma", True),
        ("magnesium_level", False),
        ("folate", False),
        ("copper", False),
        ("vitamin_e", False),
    ]
    assert [a.id for a in result.asks] == [
        "medicine_review",
        "podiatry_referral",
        "foot_care_teaching",
    ]


def _patient_texts(rules: Catalogue) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    for flag in rules.flags:
        texts.append((f"flag {flag.id} title", flag.title))
        texts.append((f"flag {flag.id} text", flag.text))
        texts += [(f"flag {flag.id} add_when", a.text) for a in flag.add_when if a.text]
    return texts


def _all_patient_texts(rules: Catalogue) -> list[tuple[str, str]]:
    texts = _patient_texts(rules)
    for q in rules.questions.values():
        texts += [
            (f"question {q.id} {part}", getattr(q, part))
            for part in ("label", "hint", "why")
            if getattr(q, part)
        ]
        texts += [(f"question {q.id} choice", c.label) for c in q.choices]
    texts += [(f"test {t.id}", f"{t.name}. {t.why}") for t in rules.tests]
    texts += [(f"ask {a.id}", a.text) for a in rules.asks]
    return texts


def test_flag_texts_and_labels_read_at_grade_8_or_below(rules: Catalogue) -> None:
    checked = [(w, t) for w, t in _patient_texts(rules) if "title" not in w]
    checked += [(f"question {q.id}", q.label) for q in rules.questions.values()]
    offenders = [
        f"{where}: grade {grade:.1f}: {text}"
        for where, text in checked
        if (grade := flesch_kincaid_grade(text.replace("{emergency_number}", "911"))) > 8
    ]
    assert offenders == []


BANNED = {
    "dose advice": re.compile(
        r"\b(?:take|taking|use)\s+(?:about |up to |at least |only )?\d[\d,.]*\s*(?:mg|mcg|micrograms?|milligrams?|iu|units|g)\b",
        re.I,
    ),
    "stop taking": re.compile(r"\bstop (?:taking|your)\b", re.I),
    "diagnosis": re.compile(
        r"\byou (?:have|likely have|probably have|may have|might have) (?:neuropathy|nerve damage|diabetes|a (?:deficiency|disease)|low (?:b12|magnesium))",
        re.I,
    ),
    "you have": re.compile(
        r"(?<!if )(?<!whether )(?<!what )\byou have\b(?! (?:had|been|taken|told|any|ever|a (?:sore|wound)))",
        re.I,
    ),
    "score": re.compile(r"\b(?:your score|risk score|points|you scored|your risk is)\b", re.I),
    "reassurance": re.compile(r"\byou are (?:fine|healthy|ok|safe)\b|nothing to worry", re.I),
}


def test_no_banned_wording_in_any_patient_text(rules: Catalogue) -> None:
    offenders = []
    for where, text in _all_patient_texts(rules):
        for name, pattern in BANNED.items():
            if name == "you have" and where.startswith(("question", "test", "ask")):
                continue  # questions ask "Do you have...?"; only statements are checked
            if match := pattern.search(text):
                offenders.append(f"{where}: {name}: …{match.group(0)}…")
    assert offenders == []


@pytest.mark.parametrize(
    ("text", "banned"),
    [
        ("Take 250 mg of magnesium a day.", True),
        ("The US upper limit for adults is 100 mg a day.", False),
        ("The upper limit for supplements is 350 mg a day.", False),
        ("Stop taking metformin.", True),
        ("Do not stop your medicine on your own.", True),
        ("Do not stop it on your own; ask your doctor.", False),
        ("You have neuropathy.", True),
        ("You have nerve damage in your feet.", True),
        ("If you have kidney disease, ask first.", False),
        ("Your score is 7.", True),
    ],
)
def test_banned_phrase_list_catches_what_it_should(text: str, banned: bool) -> None:
    hit = any(p.search(text) for p in BANNED.values())
    assert hit is banned
