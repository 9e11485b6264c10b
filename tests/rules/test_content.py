"""The real rules.yaml against CONTENT.md, content version 2.

The tables below are CONTENT v2's public contract: every question with its type and choices,
every flag with its level and action tier, the tests, asks, groups, named conditions, sources
and the retired ids. Each must exist as written; rules.yaml may add more. Every content check
runs twice: on rules.yaml, and on a copy to which an editor added one question and one flag
(written here, into a temporary folder), so adding content never needs a change to this file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from personas import EXPECTED_ASKS, EXPECTED_FLAGS, EXPECTED_TESTS, PERSONAS

from screening import evaluate, load_rules
from screening.language.conditions import ConditionContext
from screening.rules import Catalogue, RulesInvalid
from screening.rules.catalogue import ACTIONS as TIER_ORDER
from screening.rules.catalogue import LEVELS
from screening.rules.checker import frequency_figures
from screening.rules.examples import run_examples
from screening.rules.loader import DEFAULT_RULES

from .readability import flesch_kincaid_grade

# --- CONTENT v2 (c): questions and their types --------------------------------------------------

SAFETY_MAIN = [
    "safety_climbing",
    "safety_fast_spread",
    "safety_breathing",
    "safety_stroke",
    "safety_bladder",
    "safety_cold_foot",
    "safety_foot_wound",
    "safety_hot_foot",
    "safety_toe_dark",
]
SAFETY_FOLLOW_UPS = ["safety_foot_infection", "safety_foot_risk"]
YESNO = [
    *SAFETY_MAIN,
    *SAFETY_FOLLOW_UPS,
    "pregnant",
    "weight_loss_fast",
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
    "foot_shape_lifelong",
    "foot_shape_change",
    "foot_rest_pain",
    "foot_calf_walk_pain",
    "foot_daily_check",
    "prediabetes",
    "diabetes_fast_drop",
    "gut_celiac",
    "gut_ibd",
    "gut_small_bowel_surgery",
    "gut_diarrhea",
    "gut_bariatric",
    "gut_low_b12",
    "med_metformin",
    "med_proton_pump",
    "med_h2",
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
    "nutrition_warning_signs",
    "surgery_back",
    "back_pinched_nerve",
    "back_walking_pain",
    "surgery_joint",
    "surgery_foot_ankle",
    "condition_kidney",
    "condition_thyroid",
    "condition_hiv",
    "condition_hep_c",
    "condition_autoimmune",
    "condition_cancer",
    "condition_family_history",
    "condition_stroke_unchecked",
]
NUMBER = [
    "age",
    "diabetes_years",
    "gut_bariatric_year",
    "supp_magnesium_mg",
    "supp_b6_mg",
    "alcohol_per_week",
    "alcohol_max_day",
]
TEXT = ["concern_text", "supp_other"]
CONFIRM = ["final_disclaimer_ack"]
# single and multi questions with their choices, in CONTENT's order
SINGLE = {
    "sex": ["female", "male", "prefer_not_to_say"],
    "symptom_falls": ["none", "once", "two_or_more"],
    "symptom_extent": ["toes", "ankles", "above_ankles", "knees_or_higher", "not_sure"],
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
    "diabetes": ["type_1", "type_2", "other_type", "no", "not_sure"],
    "diabetes_foot_test": ["within_12_months", "over_12_months", "never", "not_sure"],
    "gut_bariatric_vitamins": ["daily", "sometimes", "no", "not_sure"],
    "med_metformin_years": ["under_1_year", "years_1_to_4", "years_5_plus", "not_sure"],
    "med_proton_pump_years": ["under_1_year", "years_1_to_2", "over_2_years", "not_sure"],
    "med_proton_pump_source": ["prescription", "over_the_counter", "both", "not_sure"],
    "med_h2_years": ["under_1_year", "years_1_to_2", "over_2_years", "not_sure"],
    "med_chemo": ["current", "past", "no", "not_sure"],
    "supp_b6_products": ["one", "two", "three_plus", "not_sure"],
    "surgery_joint_side": ["left", "right", "both", "not_sure"],
    "surgery_symptoms_when": ["within_days", "weeks_or_months_later", "before_surgery", "not_sure"],
    "condition_kidney_stage": ["dialysis_or_transplant", "advanced", "milder", "not_sure"],
    "tests_nerve_result": ["normal", "abnormal", "not_sure"],
}
MULTI = {
    "symptom_onset_after": [
        "surgery",
        "infection",
        "new_medicine",
        "new_supplement",
        "injury",
        "none",
        "not_sure",
    ],
    "med_mg_wasting": [
        "aminoglycoside",
        "amphotericin",
        "cisplatin",
        "calcineurin",
        "egfr_antibody",
        "none",
        "not_sure",
    ],
    "low_mg_signs": [
        "seizure",
        "fainting",
        "racing_heartbeat",
        "tremor",
        "spasms",
        "none",
        "not_sure",
    ],
    "med_chemo_kind": ["platinum", "taxane", "vincristine", "bortezomib", "other", "not_sure"],
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
    "surgery_joint_kind": ["hip", "knee", "not_sure"],
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
QUESTION_TYPES: dict[str, str] = {
    **dict.fromkeys(YESNO, "yesno"),
    **dict.fromkeys(NUMBER, "number"),
    **dict.fromkeys(TEXT, "text"),
    **dict.fromkeys(CONFIRM, "confirm"),
    **dict.fromkeys(SINGLE, "single"),
    **dict.fromkeys(MULTI, "multi"),
}

# --- CONTENT v2 (c.0): groups and named conditions ---------------------------------------------

GROUPS = {
    "SYMPTOMS_CORE": [
        "symptom_numb",
        "symptom_tingle",
        "symptom_burn",
        "symptom_shock",
        "symptom_touch_pain",
        "symptom_temperature",
        "symptom_feel_feet",
        "symptom_weak",
        "symptom_unsteady",
    ],
    "SAFETY_ITEMS": [
        "safety_climbing",
        "safety_fast_spread",
        "safety_breathing",
        "safety_stroke",
        "safety_bladder",
        "safety_cold_foot",
        "safety_foot_wound",
        "safety_foot_infection",
        "safety_hot_foot",
        "safety_toe_dark",
    ],
}
# Each named condition with answers that make it true and answers that make it false.
CONDITIONS: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    "HAS_SYMPTOMS": (
        [{"symptom_unsteady": "yes"}, {"symptom_hands": "yes"}],
        [{"symptom_cramps": "yes"}, {"symptom_numb": "not_sure"}],
    ),
    "HAS_DIABETES": ([{"diabetes": "other_type"}], [{"diabetes": "not_sure"}]),
    "ONE_SIDED": ([{"symptom_sides": "mostly_one"}], [{"symptom_sides": "not_sure"}]),
    "RECENT_ONSET": (
        [{"symptom_duration": "months_1_to_6"}],
        [{"symptom_duration": "months_6_to_12"}],
    ),
    "B6_SOURCE": ([{"supp_magnesium_b6": "yes"}], [{"supp_b6": "not_sure"}]),
    "ALCOHOL_RISK": (
        [
            {"alcohol_concern": "yes"},
            {"sex": "male", "age": 40, "alcohol_per_week": 15},
            {"alcohol_per_week": 8},
            {"sex": "male", "age": 70, "alcohol_max_day": 4},
        ],
        [
            {"sex": "male", "age": 40, "alcohol_per_week": 14, "alcohol_max_day": 4},
            {"sex": "female", "age": 40, "alcohol_per_week": 7, "alcohol_max_day": 3},
        ],
    ),
    "FOOT_RISK": (
        [
            {"diabetes": "type_1"},
            {"safety_foot_risk": "not_sure"},
            {"symptom_numb": "yes"},
            {"symptom_feel_feet": "yes"},
            {"symptom_told_neuropathy": "yes"},
        ],
        [{"safety_foot_risk": "no", "symptom_tingle": "yes", "diabetes": "no"}],
    ),
    "PPI_LONG_USE": (
        [
            {"med_proton_pump": "yes", "med_proton_pump_years": "years_1_to_2"},
            {
                "med_proton_pump": "yes",
                "med_proton_pump_years": "not_sure",
                "med_proton_pump_source": "both",
            },
        ],
        [
            {"med_proton_pump": "yes", "med_proton_pump_years": "under_1_year"},
            {
                "med_proton_pump": "yes",
                "med_proton_pump_years": "not_sure",
                "med_proton_pump_source": "over_the_counter",
            },
            {"med_h2": "yes", "med_h2_years": "over_2_years"},
        ],
    ),
}

# --- CONTENT v2 (d): flags, levels, action tiers, suppression, sources --------------------------

URGENT = {
    "climbing_weakness": "emergency",
    "breathing_swallowing": "emergency",
    "stroke_signs": "emergency",
    "bladder_bowel_saddle": "emergency",
    "sudden_cold_leg": "emergency",
    "foot_wound": "same_day",
    "foot_infection": "same_day",
    "hot_swollen_foot": "same_day",
    "dark_toe_or_foot": "immediate",
    "low_magnesium_signs": "immediate",
    "wernicke_signs": "immediate",
    "low_magnesium_signs_today": "same_day",
    "fluoroquinolone_symptoms": "prompt",
    "fast_or_one_sided": "prompt",
    "circulation_rest_pain": "prompt",
    "charcot_shape_change": "prompt",
    "past_stroke_signs_unchecked": "prompt",
    "chemo_symptoms_now": "prompt",
    "b6_supplement_symptoms": "prompt",
    "warning_sign_unsure": "check_today",
}
DISCUSS = [
    "diabetes_foot_exam",
    "fast_sugar_drop",
    "blood_sugar_check",
    "metformin_b12",
    "ppi_magnesium_b12",
    "h2_blocker_b12",
    "diuretic_magnesium",
    "magnesium_draining_medicines",
    "gut_absorption",
    "bariatric_nutrients",
    "large_weight_loss",
    "alcohol",
    "chemotherapy",
    "isoniazid_b6",
    "other_nerve_medicines",
    "b6_excess",
    "magnesium_supplement",
    "kidney",
    "other_conditions",
    "surgery_nerve_injury",
    "calf_pain_walking",
    "foot_wound_routine",
    "foot_shape_change_check",
    "family_history",
    "symptom_workup",
    "small_fiber",
    "falls_balance",
]
INFO = ["foot_care", "age", "statin", "evening_primrose_oil", "magnesium_basics"]
FLAG_LEVELS = {
    **dict.fromkeys(URGENT, "urgent"),
    **dict.fromkeys(DISCUSS, "discuss"),
    **dict.fromkeys(INFO, "info"),
}
SUPPRESSED_BY = {
    "fast_or_one_sided": ["climbing_weakness"],
    "low_magnesium_signs_today": ["low_magnesium_signs"],
    "past_stroke_signs_unchecked": ["stroke_signs"],
    "h2_blocker_b12": ["ppi_magnesium_b12"],
    "chemotherapy": ["chemo_symptoms_now"],
    "b6_excess": ["b6_supplement_symptoms"],
    "calf_pain_walking": ["circulation_rest_pain"],
    "foot_wound_routine": ["foot_wound"],
    "foot_shape_change_check": ["charcot_shape_change"],
    "symptom_workup": [
        "climbing_weakness",
        "breathing_swallowing",
        "stroke_signs",
        "bladder_bowel_saddle",
    ],
    "magnesium_basics": ["magnesium_supplement"],
}
# Each flag's sources (on the flag or on its add-whens). S47 has no official address (CONTENT
# g, h): its figure is in surgery_nerve_injury's PDF note and it is not a linked source.
FLAG_SOURCES = {
    "climbing_weakness": ["S55"],
    "breathing_swallowing": ["S55"],
    "stroke_signs": ["S56", "S105"],
    "bladder_bowel_saddle": ["S57"],
    "sudden_cold_leg": ["S92", "S94"],
    "foot_wound": ["S58", "S59", "S97"],
    "foot_infection": ["S58", "S59"],
    "hot_swollen_foot": ["S58", "S59", "S96"],
    "dark_toe_or_foot": ["S58", "S93", "S94"],
    "low_magnesium_signs": ["S24", "S25"],
    "wernicke_signs": ["S98"],
    "low_magnesium_signs_today": ["S24", "S101"],
    "fluoroquinolone_symptoms": ["S27", "S28"],
    "fast_or_one_sided": ["S60", "S73"],
    "circulation_rest_pain": ["S92", "S93", "S94", "S95"],
    "charcot_shape_change": ["S59", "S96"],
    "past_stroke_signs_unchecked": ["S56", "S105"],
    "chemo_symptoms_now": ["S29"],
    "b6_supplement_symptoms": ["S34", "S39", "S50"],
    "warning_sign_unsure": ["S55", "S56", "S57", "S58", "S94"],
    "diabetes_foot_exam": ["S19", "S23"],
    "fast_sugar_drop": ["S90"],
    "blood_sugar_check": ["S21", "S43", "S70"],
    "metformin_b12": ["S19", "S20", "S21"],
    "ppi_magnesium_b12": ["S25", "S26"],
    "h2_blocker_b12": ["S21", "S26"],
    "diuretic_magnesium": ["S24", "S25", "S72"],
    "magnesium_draining_medicines": ["S29", "S101", "S102", "S103"],
    "gut_absorption": ["S21", "S24", "S35", "S37", "S38", "S51"],
    "bariatric_nutrients": ["S39", "S98"],
    "large_weight_loss": ["S91"],
    "alcohol": ["S24", "S40", "S41", "S42", "S104"],
    "chemotherapy": ["S29", "S107"],
    "isoniazid_b6": ["S34"],
    "other_nerve_medicines": ["S30", "S32", "S45"],
    "b6_excess": ["S49", "S50"],
    "magnesium_supplement": ["S19", "S24", "S29", "S50", "S54", "S72"],
    "kidney": ["S24", "S44", "S104"],
    "other_conditions": ["S19", "S21", "S23", "S45", "S71", "S73"],
    "surgery_nerve_injury": ["S46", "S47b", "S92", "S95", "S99", "S100", "S108"],
    "calf_pain_walking": ["S47b", "S92", "S93", "S95"],
    "foot_wound_routine": ["S97"],
    "foot_shape_change_check": ["S59"],
    "family_history": ["S21", "S29", "S48"],
    "symptom_workup": ["S21", "S52", "S73"],
    "small_fiber": ["S52", "S70"],
    "falls_balance": ["S43b", "S73", "S106"],
    "foot_care": ["S19", "S58", "S59"],
    "age": ["S19", "S24", "S43", "S51", "S106"],
    "statin": ["S33"],
    "evening_primrose_oil": ["S19", "S53"],
    "magnesium_basics": ["S24", "S54"],
}
# FDA's PPI facts only where a PPI is taken (CONTENT d.1): on the add-when, never the flag.
ONLY_UNDER_ADD_WHEN = {("low_magnesium_signs", "S25")}

# --- CONTENT v2 (e): tests and asks, in print order ---------------------------------------------

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
    "abi",
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
    "vascular_referral",
    "neurology_referral",
    "balance_assessment",
    "alcohol_support",
    "oncology_team_review",
    "surgeon_follow_up",
    "b6_with_isoniazid",
    "antibiotic_switch",
    "wound_check",
]
LOINC = {  # the codes the issue gives; others may be added where one code fits
    "b12_mma": "2132-9",
    "magnesium_level": "19123-9",
    "a1c_fasting_glucose": "4548-4",
}

# --- CONTENT v2 (a2): the retired block --------------------------------------------------------

RETIRED = {
    "questions": {
        "safety_hot_foot_numb": ["safety_foot_risk"],
        "safety_foot_color": ["safety_toe_dark", "safety_cold_foot"],
        "foot_shape": ["foot_shape_lifelong", "foot_shape_change"],
        "med_ppi": ["med_proton_pump"],
        "med_ppi_years": ["med_proton_pump_years"],
        "med_ppi_source": ["med_proton_pump_source"],
        "med_ppi_warning_signs": ["low_mg_signs"],
        "surgery_joint_after": ["surgery_symptoms_when"],
    },
    "choices": {},
    "flags": {
        "ppi_low_magnesium_signs": ["low_magnesium_signs", "low_magnesium_signs_today"],
        "foot_blood_flow": ["dark_toe_or_foot", "sudden_cold_leg"],
    },
    "tests": {},
    "asks": {},
}

# --- CONTENT v2 (g): sources ---------------------------------------------------------------------

# Every source a flag cites. S1 (the post CONTENT f checks, cited by no flag) and S47 (no
# official address) are left out of rules.yaml on purpose; S76 was dropped by CONTENT.
SOURCES = sorted({tag for tags in FLAG_SOURCES.values() for tag in tags})
# Where a source's main address may point: a DOI, PubMed/PMC, or an official body or the
# publisher's own page, as CONTENT g names them. A subdomain of a listed domain counts.
ALLOWED_DOMAINS = (
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "pmc.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov",
    "nih.gov",
    "medlineplus.gov",
    "fda.gov",
    "cdc.gov",
    "diabetesjournals.org",
    "aanem.org",
    "tga.gov.au",
    "nice.org.uk",
    "nhs.uk",
    "stroke.org.uk",
    "medicines.org.uk",
    "mayoclinic.org",
    "healthy.kaiserpermanente.org",
    "statpearls.com",
    "bestpractice.bmj.com",
    "link.springer.com",
)
# Copies of other people's pages, search pages and AI summaries: never an address, anywhere.
MIRRORS = (
    "scribd.com",
    "readkong.com",
    "clinicalgate.com",
    "documentine.com",
    "docslib.org",
    "wilddata.cn",
    "researcher.life",
    "droracle.ai",
    "scilit.com",
    "library.unt.edu",
    "ochsnerjournal.org",
    "ehb.be",
    "pressofatlanticcity.com",
    "hps.com.au",
    "whocc.org.cn",
    "medscape.com",
    "aha.org",
    "pure.elsevier.com",
    "pure.eur.nl",
    "semanticscholar.org",
    "researchgate.net",
    "consensus.app",
    "studocu.com",
    "coursehero.com",
)
SEARCH = re.compile(r"[?&](?:term|q|query|search\w*)=|/search\b|external-ref", re.I)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


# --- the rule sets the checks run on ---------------------------------------------------------------

# What an editor adds, following docs/rules-format.md: a question on a page of its own, and a
# flag that reads it, with its examples, summary and clinician line.
EDITOR_QUESTION = """\
  - id: editor_cold_feet
    title: Cold feet
    questions:
      - id: cold_feet_night
        type: yesno
        short: cold feet at night
        label: Do your feet feel cold at night?
"""
EDITOR_FLAG = """\
  - id: cold_feet
    level: info
    title: Cold feet at night
    when: {q: cold_feet_night, is: "yes"}
    text: You said your feet feel cold at night. Warm socks in bed can help.
    summary: Warm socks in bed can help cold feet.
    clinician: "Cold feet at night: {answer:cold_feet_night}"
    sources: [S58]
    examples:
      fires: [{cold_feet_night: "yes"}]
      silent: [{cold_feet_night: "no"}]
"""


def with_editor_content(text: str) -> str:
    anchor = "  - id: tests_done_page\n"
    assert anchor in text and "\nretired:\n" in text
    text = text.replace(anchor, EDITOR_QUESTION + "\n" + anchor, 1)
    return text.replace("\nretired:\n", "\n" + EDITOR_FLAG + "\nretired:\n", 1)


@pytest.fixture(
    scope="module", params=["rules.yaml", "rules.yaml plus an editor's question and flag"]
)
def rules(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    if request.param == "rules.yaml":
        return load_rules()
    path = tmp_path_factory.mktemp("editor") / "rules.yaml"
    path.write_text(
        with_editor_content(DEFAULT_RULES.read_text(encoding="utf-8")), encoding="utf-8"
    )
    return load_rules(path)


def test_the_editor_copy_really_has_the_new_question_and_flag(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        with_editor_content(DEFAULT_RULES.read_text(encoding="utf-8")), encoding="utf-8"
    )
    extended = load_rules(path)
    assert extended.questions["cold_feet_night"].type == "yesno"
    assert extended.flags_by_id["cold_feet"].level == "info"
    assert evaluate({"cold_feet_night": "yes"}, extended).flag_ids == ["cold_feet"]
    assert extended.warnings == ()


# --- ids, types, levels ------------------------------------------------------------------------------


def test_every_content_question_exists_with_its_type(rules: Catalogue) -> None:
    wrong = {
        qid: rules.questions[qid].type if qid in rules.questions else "missing"
        for qid, kind in QUESTION_TYPES.items()
        if qid not in rules.questions or rules.questions[qid].type != kind
    }
    assert wrong == {}


def test_every_content_choice_list_is_exact(rules: Catalogue) -> None:
    for qid, values in {**SINGLE, **MULTI}.items():
        assert list(rules.questions[qid].choice_values()) == values, qid


def test_the_safety_page_comes_first_and_must_be_answered(rules: Catalogue) -> None:
    safety = rules.sections[0]
    assert [q.id for q in safety.questions if q.show_if is None] == SAFETY_MAIN
    assert {q.id for q in safety.questions} == set(SAFETY_MAIN + SAFETY_FOLLOW_UPS)
    assert all(q.required for q in safety.questions)


WINDOW = re.compile(r"\b(?:right now|now|in the last (?:few days|day)|weeks)\b", re.I)


def test_every_safety_sign_asks_with_its_time_window(rules: Catalogue) -> None:
    for qid in GROUPS["SAFETY_ITEMS"]:
        assert WINDOW.search(rules.questions[qid].label), qid


def test_every_content_flag_exists_with_its_level_and_tier(rules: Catalogue) -> None:
    levels = {f.id: f.level for f in rules.flags}
    assert {fid: levels.get(fid, "missing") for fid in FLAG_LEVELS} == FLAG_LEVELS
    tiers = {f.id: f.action for f in rules.flags}
    assert {fid: tiers[fid] for fid in URGENT} == URGENT
    assert all(f.action in TIER_ORDER for f in rules.flags if f.level == "urgent")


def test_suppression_is_as_content_says(rules: Catalogue) -> None:
    for fid, others in SUPPRESSED_BY.items():
        assert set(others) <= set(rules.flags_by_id[fid].suppressed_by), fid


def test_every_flag_carries_its_content_sources(rules: Catalogue) -> None:
    for fid, tags in FLAG_SOURCES.items():
        flag = rules.flags_by_id[fid]
        cited = set(flag.sources) | {s for a in flag.add_when for s in a.sources}
        assert set(tags) <= cited, fid
    for fid, tag in ONLY_UNDER_ADD_WHEN:
        assert tag not in rules.flags_by_id[fid].sources, (fid, tag)


def test_groups_and_named_conditions(rules: Catalogue) -> None:
    for name, members in GROUPS.items():
        assert list(rules.groups[name]) == members, name
    for name, (true_for, false_for) in CONDITIONS.items():
        cond = rules.conditions[name]
        for answers in true_for:
            assert cond.holds(ConditionContext(answers, rules.conditions)), (name, answers)
        for answers in false_for:
            assert not cond.holds(ConditionContext(answers, rules.conditions)), (name, answers)


def _in_order(wanted: list[str], have: list[str]) -> bool:
    """Every wanted id is present, in the wanted order (others may sit in between)."""
    positions = [have.index(i) for i in wanted if i in have]
    return len(positions) == len(wanted) and positions == sorted(positions)


def test_tests_and_asks_exist_in_print_order(rules: Catalogue) -> None:
    assert _in_order(TESTS, [t.id for t in rules.tests])
    assert _in_order(ASKS, [a.id for a in rules.asks])
    for tid, code in LOINC.items():
        assert rules.tests_by_id[tid].loinc == code


def test_the_retired_block_is_exactly_content_a2(rules: Catalogue) -> None:
    for kind, entries in RETIRED.items():
        got = getattr(rules.retired, kind)
        assert {i: list(e.replaced_by) for i, e in got.items()} == entries, kind
        assert all(e.retired_in == "2.0.0" for e in got.values()), kind


def test_version_and_review_status(rules: Catalogue) -> None:
    assert rules.meta.version == "2.0.0"
    assert rules.meta.reviewed_by == "Pending clinician sign-off"


# --- sources ---------------------------------------------------------------------------------------


def test_every_source_exists_with_a_primary_https_address(rules: Catalogue) -> None:
    assert set(SOURCES) <= set(rules.sources)
    for tag, source in rules.sources.items():
        assert source.url.startswith("https://"), tag
        assert _on(_host(source.url), ALLOWED_DOMAINS), (tag, source.url)


def test_no_address_anywhere_is_a_mirror_or_a_search(rules: Catalogue) -> None:
    for tag, source in rules.sources.items():
        for url in [source.url, *re.findall(r"https?://\S+", source.citation)]:
            assert not _on(_host(url), MIRRORS), (tag, url)
            assert not SEARCH.search(url), (tag, url)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://doi.org/10.1001/jama.2013.280490", True),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC5884042", True),
        ("https://111.wales.nhs.uk/cutsandgrazes/", True),
        ("https://www.fda.gov/Drugs/DrugSafety/ucm365050.htm", True),
        ("https://www.scribd.com/document/455157996/x", False),
        ("https://cdn.suppr.wilddata.cn/browses/detail/pubmed/27683845", False),
        ("https://example.org/s1", False),
    ],
)
def test_the_address_policy_itself(url: str, allowed: bool) -> None:
    assert (_on(_host(url), ALLOWED_DOMAINS) and not _on(_host(url), MIRRORS)) is allowed


# --- examples and personas -----------------------------------------------------------------------


def test_every_example_behaves_as_declared(rules: Catalogue) -> None:
    count, failures = run_examples(rules)
    assert count >= 2 * len(rules.flags)
    assert [f.format(rules.path) for f in failures] == []


def test_every_action_tier_has_flags_with_examples(rules: Catalogue) -> None:
    for tier in TIER_ORDER:
        flags = [f for f in rules.flags if f.action == tier]
        assert flags and all(f.fires and f.silent for f in flags), tier


def _display_order(rules: Catalogue, ids: list[str]) -> list[str]:
    """Urgent by action tier, discuss by priority, then info; file order within each."""

    def key(fid: str) -> tuple[int, int, int]:
        f = rules.flags_by_id[fid]
        rank = (
            TIER_ORDER.index(f.action)
            if f.level == "urgent" and f.action
            else (f.priority if f.level == "discuss" else 0)
        )
        return (LEVELS.index(f.level), rank, f.index)

    return sorted(ids, key=key)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_content_personas_give_exactly_their_flags(rules: Catalogue, persona: str) -> None:
    result = evaluate(PERSONAS[persona], rules)
    expected = EXPECTED_FLAGS[persona]
    assert set(result.flag_ids) == set(expected)
    assert len(result.flag_ids) == len(expected)
    assert result.flag_ids == _display_order(rules, expected)
    # CONTENT d.4 lists them in catalogue order
    assert expected == sorted(expected, key=lambda f: rules.flags_by_id[f].index)
    if persona in EXPECTED_TESTS:
        assert [(t.id, t.done_recently) for t in result.tests] == EXPECTED_TESTS[persona]
    if persona in EXPECTED_ASKS:
        assert [a.id for a in result.asks] == EXPECTED_ASKS[persona]


def test_persona_2_is_the_emergency_number_straight_after_the_safety_page(
    rules: Catalogue,
) -> None:
    (flag,) = evaluate(PERSONAS["persona_2"], rules).flags
    assert flag.action == "emergency" and rules.meta.emergency_number in flag.box[0]


def test_stable_long_standing_hands_and_feet_numbness_is_not_urgent(rules: Catalogue) -> None:
    result = evaluate(PERSONAS["persona_4"], rules)
    assert result.by_level("urgent") == ()


def test_famotidine_alone_gets_no_magnesium_warning(rules: Catalogue) -> None:
    result = evaluate(PERSONAS["persona_5"], rules)
    assert "low_mg_signs" not in result.answers  # never asked
    for flag in result.flags:
        words = " ".join([flag.title, flag.full_text, *(s.citation for s in flag.sources)])
        assert not re.search(r"magnesium|FDA|Food and Drug|proton pump|\bPPI", words), flag.id


def test_tests_done_recently_are_marked(rules: Catalogue) -> None:
    done = [t.id for t in evaluate(PERSONAS["persona_3"], rules).tests if t.done_recently]
    assert done == ["b12_mma"]


# --- patient wording ---------------------------------------------------------------------------------


def _flag_texts(rules: Catalogue) -> list[tuple[str, str]]:
    """Everything of a flag a patient reads, except its title (too short to grade)."""
    texts: list[tuple[str, str]] = []
    for flag in rules.flags:
        for part in ("summary", "text", "after"):
            if getattr(flag, part):
                texts.append((f"flag {flag.id} {part}", getattr(flag, part)))
        texts += [(f"flag {flag.id} add_when", a.text) for a in flag.add_when if a.text]
    return texts


def _all_patient_texts(rules: Catalogue) -> list[tuple[str, str]]:
    texts = [(f"flag {f.id} title", f.title) for f in rules.flags] + _flag_texts(rules)
    for q in rules.questions.values():
        texts += [
            (f"question {q.id} {part}", getattr(q, part))
            for part in ("label", "hint", "why")
            if getattr(q, part)
        ]
        texts += [(f"question {q.id} choice", c.label) for c in q.choices]
    texts += [(f"section {s.id} intro", s.intro) for s in rules.sections if s.intro]
    texts += [(f"test {t.id}", f"{t.name}. {t.why}") for t in rules.tests]
    texts += [(f"ask {a.id}", a.text) for a in rules.asks]
    return texts


def test_flag_texts_and_labels_read_at_grade_8_or_below(rules: Catalogue) -> None:
    checked = _flag_texts(rules) + [(f"question {q.id}", q.label) for q in rules.questions.values()]
    offenders = [
        f"{where}: grade {grade:.1f}: {text}"
        for where, text in checked
        if (grade := flesch_kincaid_grade(text.replace("{emergency_number}", "911"))) > 8
    ]
    assert offenders == []


def test_every_flag_has_a_summary_and_a_clinician_line(rules: Catalogue) -> None:
    assert [f.id for f in rules.flags if not (f.summary and f.clinician)] == []
    assert [f.id for f in rules.flags if f.level != "urgent" and f.after] == []


def test_at_most_one_frequency_figure_shows_per_flag(rules: Catalogue) -> None:
    for flag in rules.flags:
        main = " ".join(t for t in (flag.title, flag.summary, flag.text, flag.after) if t)
        extras = [len(frequency_figures(a.text)) for a in flag.add_when if a.text]
        assert len(frequency_figures(main)) + max(extras, default=0) <= 1, flag.id


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
            if name == "you have" and where.startswith(("question", "test", "ask", "section")):
                continue  # questions ask "Do you have...?"; only statements are checked
            if match := pattern.search(text):
                offenders.append(f"{where}: {name}: …{match.group(0)}…")
    assert offenders == []


def test_the_one_stop_message_is_the_tga_advice_on_over_the_counter_b6(rules: Catalogue) -> None:
    stops = [w for w, t in _all_patient_texts(rules) if re.search(r"\bstop using\b", t, re.I)]
    assert stops == ["flag b6_supplement_symptoms after"]


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


# --- retired ids ---------------------------------------------------------------------------------------


def test_a_retired_id_reused_as_a_new_question_is_refused_with_its_place(tmp_path: Path) -> None:
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    reuse = EDITOR_QUESTION.replace("id: cold_feet_night", "id: med_ppi")
    text = text.replace("  - id: tests_done_page\n", reuse + "\n  - id: tests_done_page\n", 1)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesInvalid) as info:
        load_rules(path)
    start = text.index("id: med_ppi\n") + len("id: ")
    line = text.count("\n", 0, start) + 1
    col = start - text.rfind("\n", 0, start)
    assert info.value.lines() == [
        f'{path}:{line}:{col}: question id "med_ppi" was retired in rules 2.0.0 (replaced by '
        "med_proton_pump) and is listed under retired.questions; a retired id is never used "
        "again: choose a new id"
    ]
