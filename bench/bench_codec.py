"""Sizes of the compact answer code and the QR code it needs, plus encode/decode times.

The QR on the PDF must stay at version 10 or below at error correction M for the seed persona
with a 200-character concern: that is the figure to watch when the rules change.
"""

from __future__ import annotations

import base64
import json
import random
import sys
import zlib
from pathlib import Path
from typing import Any

# bench/ itself, and tests/ for the shared personas and HTTP helpers
sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "tests"),
]

import segno  # noqa: E402
from bench_core import timed  # noqa: E402
from personas import SAFE  # noqa: E402

from screening import load_rules  # noqa: E402
from screening.codec import decode, encode, to_text  # noqa: E402
from screening.questionnaire.answers import visible_answers  # noqa: E402
from screening.questionnaire.model import EXCLUSIVE_CHOICES  # noqa: E402
from screening.rules import Catalogue  # noqa: E402

QR_LIMIT = 10

CONCERN = (
    "My feet have been numb and tingly for about two years and it is worse at night. My sugar "
    "is well controlled now, but nobody has checked my feet. I worry about my balance on the "
    "stairs and my new pill."
)
assert len(CONCERN) == 200

# The founding blog post's reader as the QR brief describes him: a 62-year-old man with type 2
# diabetes on metformin and a water pill, back surgery and a hip replacement, who answers every
# question he is shown (about 60).
SEED_MAN: dict[str, Any] = {
    **SAFE,
    "safety_foot_wound": "no",
    "age": 62,
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
    "foot_daily_check": "not_sure",
    "diabetes": "type_2",
    "diabetes_years": 12,
    "diabetes_foot_test": "over_12_months",
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
    "med_diuretic": "yes",
    "med_digoxin": "no",
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
    "condition_kidney": "no",
    "condition_thyroid": "no",
    "condition_hiv": "no",
    "condition_hep_c": "no",
    "condition_autoimmune": "no",
    "condition_cancer": "no",
    "condition_family_history": "no",
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


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def alternatives(answers: dict[str, Any], rules: Catalogue) -> dict[str, int]:
    """Bytes of the designs not chosen, for the record in screening/codec/__init__.py."""
    code = encode(answers, rules)
    safety = {q.id for q in rules.sections[0].questions}
    kept = {k: v for k, v in answers.items() if k not in safety}
    ids = "\n".join(kept).encode()
    return {
        "positional + deflated id list": len(code) + 2 + len(_deflate(ids)),
        "self-describing (deflated JSON)": 17 + len(_deflate(json.dumps(kept).encode())),
    }


def describe(name: str, answers: dict[str, Any], rules: Catalogue) -> list[str]:
    code = encode(answers, rules)
    text = to_text(code)
    b64 = base64.urlsafe_b64encode(code).rstrip(b"=").decode()
    return [
        f"{name}: {len(answers)} answers, code {len(code)} bytes; QR at M: base45 "
        f"{len(text)} chars version {qr_version(text)}, base64 {len(b64)} chars version "
        f"{qr_version(b64)}, raw bytes version {segno.make(code, error='m', micro=False).version}"
    ]


def run() -> list[str]:
    rules = load_rules()
    seed = seed_persona(rules)
    lines = [f"rules {rules.label}; limit: QR version {QR_LIMIT} at M for the seed persona"]
    lines += describe("seed persona + 200-char concern", seed, rules)
    for design, size in alternatives(seed, rules).items():
        version = qr_version(to_text(bytes(size)))
        lines.append(f"  not chosen, {design}: {size} bytes, QR version {version}")
    lines += describe("all answers at their longest, English text", all_max(rules), rules)
    lines += describe("all answers at their longest, random text", all_max(rules, "random"), rules)
    code = encode(seed, rules)
    enc = timed(lambda: encode(seed, rules), 200)
    dec = timed(lambda: decode(code, rules), 200)
    lines.append(f"encode seed: {enc * 1e6:.0f} µs, decode: {dec * 1e6:.0f} µs")
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
