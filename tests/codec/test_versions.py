"""A code made under rules A, read under rules B: by question id, with what B refuses reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from screening.codec import CodeInvalid, decode, encode, layout_of
from screening.rules import Catalogue, load_rules

from .catalogues import MINI, MINI_PATH

Rules = Callable[..., Catalogue]

ANSWERS = {
    "climbing": "no",
    "age": 70,
    "sex": "female",
    "pregnant": "no",
    "numb": "yes",
    "tingle": "yes",
    "sides": "one",
    "meds": ["metformin", "statin"],
    "years": 12,
    "notes": "A note that is twenty-nine ch",
    "ack": "yes",
}


@pytest.fixture
def rules_b(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Rules:
    """Rules B: mini_rules.yaml with edits; codes of mini (rules A) are read via the archive."""
    archive = {layout_of(MINI).digest: layout_of(MINI)}
    monkeypatch.setattr("screening.codec.compact.archived_layouts", lambda: archive)

    def make(*edits: tuple[str, str], retired: str = "") -> Catalogue:
        text = MINI_PATH.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, old
            text = text.replace(old, new, 1)
        text = text.replace('  version: "0.1"', '  version: "0.2"')
        if retired:
            text = text.replace("\nend: true", f"\nretired:\n{retired}\nend: true")
        path = tmp_path / "rules.yaml"
        path.write_text(text, encoding="utf-8")
        return load_rules(path)

    return make


def test_new_questions_move_every_position_but_answers_keep_their_ids(rules_b: Rules) -> None:
    b = rules_b(
        (
            "  - id: about\n    title: About you\n    questions:\n",
            "  - id: about\n    title: About you\n    questions:\n"
            "      - id: height\n        type: number\n        label: Height\n"
            "        min: 50\n        max: 250\n",
        )
    )
    decoded = decode(encode(ANSWERS, MINI), b)
    assert not decoded.same_rules and decoded.rules_version == "0.1"
    assert decoded.rules_hash == MINI.content_hash
    assert decoded.answers == {k: v for k, v in ANSWERS.items() if k != "climbing"}
    assert decoded.problems == []


def test_a_retired_question_is_named_and_not_kept(rules_b: Rules) -> None:
    b = rules_b(
        (
            "      - id: pregnant\n        type: yesno\n        label: Are you pregnant?\n"
            "        show_if: {q: sex, is: female}\n",
            "",
        ),
        retired="  questions:\n    - {id: pregnant, retired_in: '0.2', replaced_by: [sex]}",
    )
    decoded = decode(encode(ANSWERS, MINI), b)
    assert "pregnant" not in decoded.answers
    assert decoded.problems == [
        "The answer to “pregnant” was not kept: that question was retired in rules 0.2 "
        "(replaced by sex)."
    ]


def test_choices_ranges_and_lengths_that_changed(rules_b: Rules) -> None:
    b = rules_b(
        ("          - {value: one, label: One}\n", ""),
        ("          - {value: statin, label: Statin}\n", "          - {value: b12, label: B12}\n"),
        ("meds, has_any: [metformin, statin]", "meds, has_any: [metformin, b12]"),
        ("fires: [{meds: [statin]}", "fires: [{meds: [b12]}"),
        ("        max: 120\n", "        max: 100\n"),
        ("        max_length: 50\n", "        max_length: 10\n"),
        retired="  choices: [sides.one]",
    )
    decoded = decode(encode({**ANSWERS, "age": 60}, MINI), b)
    assert decoded.answers["meds"] == ["metformin"]
    assert "sides" not in decoded.answers and "notes" not in decoded.answers
    assert decoded.problems == [
        "The answer “one” to “Which side?” was not kept: it is retired.",
        "The answer “statin” to “Medicines” was not kept: it is no longer one of its choices.",
        "The answer to “Anything else?” was not kept: the text is longer than the question now "
        "allows.",
    ]
    decoded = decode(encode({**ANSWERS, "age": 110}, MINI), b)
    assert "age" not in decoded.answers
    assert (
        "The answer to “How old are you?” was not kept: the answer 110 is outside what the question now allows."
        in decoded.problems
    )


def test_the_same_layout_under_new_wording_reads_directly(rules_b: Rules) -> None:
    b = rules_b(("label: Numb feet?", "label: Are your feet numb?"))
    assert layout_of(b).digest == layout_of(MINI).digest
    decoded = decode(encode(ANSWERS, MINI), b)
    assert not decoded.same_rules and decoded.problems == []
    assert decoded.answers == {k: v for k, v in ANSWERS.items() if k != "climbing"}


def test_a_question_that_moved_onto_the_safety_page_is_not_restored(rules_b: Rules) -> None:
    b = rules_b(
        (
            "        short: tingling moving up\n        required: true\n",
            "        short: tingling moving up\n        required: true\n"
            "      - id: numb\n        type: yesno\n        label: Numb feet?\n",
        ),
        (
            "      - id: numb\n        type: yesno\n        label: Numb feet?\n      - id: tingle",
            "      - id: tingle",
        ),
    )
    assert "numb" in {q.id for q in b.sections[0].questions}
    assert "numb" not in decode(encode(ANSWERS, MINI), b).answers


def test_urgent_flags_the_rules_no_longer_have(rules_b: Rules) -> None:
    b = rules_b(
        ("  - id: climbing_flag\n", "  - id: climbing_now\n"),
        ("not: {flag: climbing_flag}", "not: {flag: climbing_now}"),
        retired="  flags: [climbing_flag]",
    )
    decoded = decode(encode({"climbing": "yes"}, MINI), b)
    assert decoded.urgent_flags_then == ()
    assert decoded.problems == [
        "An urgent message shown at the time (“climbing_flag”) was retired."
    ]


def test_a_layout_nobody_recorded_cannot_be_read(
    rules_b: Rules, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = rules_b(("        max: 120\n", "        max: 100\n"))
    monkeypatch.setattr("screening.codec.compact.archived_layouts", dict)
    with pytest.raises(CodeInvalid, match="rules 0.1"):
        decode(encode(ANSWERS, MINI), b)
