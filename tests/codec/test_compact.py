"""The compact code: exact round trips, the header, and what it never contains."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from answer_sets import QR_LIMIT, all_max, qr_version, seed_persona
from personas import PERSONA_2, PERSONA_3, SEED

from screening.codec import CodeInvalid, decode, encode, from_text, layout_of, to_text
from screening.codec.compact import EPOCH
from screening.codec.layout import LAYOUTS_DIR, Slot, archived_layouts
from screening.codec.textdict import TEXT_DICTIONARY
from screening.questionnaire.answers import AnswersInvalid
from screening.rules import evaluate

from .catalogues import MINI, REAL, expected, safety

OLD_FILE = Path(__file__).resolve().parents[1] / "data" / "answers-rules-1.1.0.json"


@pytest.mark.parametrize("answers", [SEED, PERSONA_3, PERSONA_2], ids=["seed", "p3", "p2"])
def test_round_trip_under_the_same_rules(answers: dict[str, object]) -> None:
    answers = {k: v for k, v in answers.items() if k in REAL.questions}
    day = date(2026, 11, 30)
    decoded = decode(from_text(to_text(encode(answers, REAL, created=day))), REAL)
    assert decoded.answers == expected(REAL, answers)
    assert decoded.problems == []
    assert decoded.same_rules
    assert (decoded.rules_version, decoded.rules_hash) == (REAL.meta.version, REAL.content_hash)
    assert decoded.created == day


def test_safety_answers_are_never_in_the_code_but_their_urgent_flags_are() -> None:
    answers = {**PERSONA_2, "age": 50}  # safety_climbing: yes
    code = encode(answers, REAL)
    decoded = decode(code, REAL)
    assert not set(decoded.answers) & safety(REAL)
    assert decoded.answers == {"age": 50}
    urgent = [f.id for f in evaluate(answers, REAL).by_level("urgent")]
    assert urgent and set(decoded.urgent_flags_then) == set(urgent)
    # A "yes" and a "no" to every safety question make the same code, but for the flags.
    no = {**answers, **dict.fromkeys(safety(REAL) & set(answers), "no")}
    assert encode(no, REAL, urgent_flags=urgent) == code


def test_the_urgent_flags_can_be_given() -> None:
    urgent = [f.id for f in REAL.flags if f.level == "urgent"][:2]
    decoded = decode(encode({"age": 40}, REAL, urgent_flags=urgent), REAL)
    assert decoded.urgent_flags_then == tuple(urgent)
    with pytest.raises(ValueError, match="not urgent flags"):
        encode({"age": 40}, REAL, urgent_flags=["no_such_flag"])


def test_invalid_answers_are_refused_when_encoding() -> None:
    with pytest.raises(AnswersInvalid, match="outside 18"):
        encode({"age": 7}, REAL)
    with pytest.raises(AnswersInvalid, match="unknown question"):
        encode({"agee": 40}, REAL)


def test_text_that_utf_8_cannot_hold_is_refused() -> None:
    with pytest.raises(AnswersInvalid, match="lone surrogate"):
        encode({"notes": "a\ud800b"}, MINI)


def test_dates_are_days_since_2020_in_two_bytes() -> None:
    for day in (EPOCH, date(2026, 2, 28), date(2199, 6, 5)):
        assert decode(encode({}, MINI, created=day), MINI).created == day
    with pytest.raises(ValueError, match="between"):
        encode({}, MINI, created=date(2019, 12, 31))


def test_an_empty_answer_set_is_a_small_code() -> None:
    code = encode({}, MINI, created=date(2026, 1, 1))
    layout = layout_of(MINI)
    # Format 2: 3 + version + 10 header bytes, the urgent-flag bits, then for each question a
    # field of zeros (as wide as its answer needs, or one bit), padding, the 4-byte check.
    head = 3 + len(MINI.meta.version) + 10
    bits = len(layout.urgent_flags) + sum(_field_bits(s) for s in layout.slots)
    size = head + -(-bits // 8) + 4
    assert len(code) in (size, size + 1)  # + 1: codes have an odd length
    assert len(code) % 2 == 1
    assert decode(code, MINI).answers == {}


def _field_bits(slot: Slot) -> int:
    if slot.type in ("yesno", "single"):
        return (len(slot.choices)).bit_length()  # room for every choice and "not answered"
    if slot.type == "multi":
        return len(slot.choices)
    if slot.type == "number" and slot.min is not None and slot.max is not None:
        return (slot.max - slot.min + 1).bit_length()
    return 1


def test_a_code_of_the_earlier_format_still_opens() -> None:
    """Codes on PDFs printed before format 2 (one "answered" bit per question up front)."""
    saved = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    decoded = decode(from_text(saved["code"]), REAL)
    assert from_text(saved["code"])[0] == 1
    assert decoded.rules_version == saved["rules_version"] != REAL.meta.version
    kept = {k: v for k, v in saved["answers"].items() if k in decoded.answers}
    assert kept and decoded.answers == kept


def test_codes_have_an_odd_length_so_the_text_never_ends_in_a_space() -> None:
    for notes in ("", "a", "ab", "abc"):
        code = encode({"notes": notes}, MINI)
        assert len(code) % 2 == 1
        assert to_text(code)[-1] in "012345"
        assert from_text(f"  \n{to_text(code).lower()}\r\n ") == code


def test_text_is_exact_whatever_it_holds() -> None:
    text = "ﬁ😀\r\n\x00\t  é" + "\U0010ffff" * 5
    answers = {"notes": text, "ack": "yes"}
    assert decode(encode(answers, MINI), MINI).answers == answers


def test_a_code_from_unknown_rules_says_which_rules_it_came_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = encode({"age": 40}, MINI)
    monkeypatch.setattr("screening.codec.compact.archived_layouts", dict)
    made_with = re.escape(f"made with rules {REAL.meta.version} ({REAL.content_hash})")
    with pytest.raises(CodeInvalid, match=made_with) as info:
        decode(encode({"age": 40}, REAL), MINI)
    assert "answer the questions again" in info.value.message
    assert decode(code, MINI).answers == {"age": 40}  # its own layout needs no archive


def test_the_current_rules_layout_is_recorded() -> None:
    layout = layout_of(REAL)
    assert layout.digest in archived_layouts(), (
        f"rules {REAL.label} have a code layout that is not recorded: run "
        "`.venv/bin/screening codec record-layout` and commit the new file in "
        "screening/codec/layouts/, or QR codes made under these rules become unreadable "
        "after the next change"
    )


def test_every_recorded_layout_matches_its_name() -> None:
    files = sorted(LAYOUTS_DIR.glob("*.json"))
    assert files and len(archived_layouts()) == len(files)


def test_labels_do_not_change_the_layout(tmp_path: Path) -> None:
    from screening.rules import load_rules

    path = tmp_path / "rules.yaml"
    text = (Path(__file__).resolve().parents[1] / "data" / "mini_rules.yaml").read_text()
    path.write_text(text.replace("label: Numb feet?", "label: Are your feet numb?"))
    reworded = load_rules(path)
    assert reworded.content_hash != MINI.content_hash
    assert layout_of(reworded).digest == layout_of(MINI).digest


def test_the_text_dictionary_never_changes() -> None:
    import hashlib

    # Part of code format 1: changing it makes every printed code unreadable (see textdict.py).
    assert hashlib.sha256(TEXT_DICTIONARY).hexdigest()[:16] == "42fda792e79e28d0"


def test_the_seed_persona_fits_a_qr_code_of_version_10_at_m() -> None:
    code = to_text(encode(seed_persona(REAL), REAL))
    assert qr_version(code) <= QR_LIMIT, f"{len(code)} characters"


def test_the_longest_answers_still_encode() -> None:
    for kind in ("english", "random"):
        answers = all_max(REAL, kind)
        assert decode(encode(answers, REAL), REAL).answers == expected(REAL, answers)
