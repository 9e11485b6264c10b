"""Every kind of mistake an editor can make is reported with its exact line:col and a hint."""

from __future__ import annotations

import pytest

from screening.rules import RulesInvalid, load_rules

from .conftest import BrokenRules


def test_unknown_question_in_flag_points_at_the_id_and_suggests(broken: BrokenRules) -> None:
    lines = broken.errors(('when: {q: climbing, is: "yes"}', 'when: {q: climbng, is: "yes"}'))
    assert lines == [
        f'{broken.where("climbng")}: unknown question "climbng" (did you mean climbing?)'
    ]


def test_unknown_choice_lists_the_real_choices(broken: BrokenRules) -> None:
    lines = broken.errors(("{q: sex, in: [female]}", "{q: sex, in: [femal]}"))
    assert lines == [
        f'{broken.where("femal]")}: "femal" is not an answer to "sex" (did you mean female?) '
        "(answers: female, male)"
    ]


def test_number_question_compared_with_text(broken: BrokenRules) -> None:
    lines = broken.errors(("{q: age, gte: 65}", '{q: age, gte: "sixty"}'))
    assert lines == [
        f'{broken.where(chr(34) + "sixty")}: "age" is a number question; compare it with a '
        'number, not "sixty"'
    ]


def test_multi_question_needs_has_not_is(broken: BrokenRules) -> None:
    lines = broken.errors(
        ("{q: meds, has: metformin}\n        text", "{q: meds, is: metformin}\n        text")
    )
    assert len(lines) == 1
    assert lines[0].endswith('"meds" can have several answers; use "has" or "has_any", not "is"')


def test_show_if_on_a_later_question(broken: BrokenRules) -> None:
    lines = broken.errors(("show_if: {q: sex, is: female}", 'show_if: {q: numb, is: "yes"}'))
    assert lines == [
        f'{broken.where("numb, is")}: question "numb" comes later in the file; the show_if of '
        '"pregnant" can only use questions asked before it'
    ]


def test_show_if_through_a_named_condition_on_later_questions(broken: BrokenRules) -> None:
    lines = broken.errors(("show_if: {q: sex, is: female}", "show_if: {use: HAS_SYMPTOMS}"))
    assert lines == [
        f'{broken.where("HAS_SYMPTOMS}")}: "HAS_SYMPTOMS" uses burn, numb, tingle, which is not '
        'asked before "pregnant"'
    ]


YEARS_LABEL = "\n        type: number\n        label: Years"


def test_duplicate_question_id_names_the_first_line(broken: BrokenRules) -> None:
    lines = broken.errors(("- id: years", "- id: age"))
    first = broken.where("id: age").split(":")[1]
    assert lines == [
        f'{broken.where("age" + YEARS_LABEL)}: question id "age" is used twice (first on line {first})'
    ]


def test_duplicate_yaml_key_is_a_clear_error(broken: BrokenRules) -> None:
    lines = broken.errors(("    level: info\n", "    level: info\n    level: discuss\n"))
    assert len(lines) == 1
    first = broken.where("level: info").split(":")[1]
    assert lines == [
        f'{broken.where("level: discuss", 2)}: "level" appears twice in the same block '
        f"(first on line {first})"
    ]


def test_yaml_syntax_error_has_position(broken: BrokenRules) -> None:
    lines = broken.errors(("title: Climbing tingling", "title: Climbing: tingling"))
    assert len(lines) == 1
    assert lines[0].startswith(f"{broken.path}:{broken.where('Climbing: ').split(':')[1]}:")
    assert "YAML syntax" in lines[0] and "needs quotes" in lines[0]


def test_unknown_setting_suggests_the_right_key(broken: BrokenRules) -> None:
    lines = broken.errors(('      silent: [{climbing: "no"}]', '      silnt: [{climbing: "no"}]'))
    assert (
        f'{broken.where("silnt")}: flag "unsure": unknown setting "silnt" (did you mean silent?)'
        in lines[0]
    )


def test_bad_level_suggests(broken: BrokenRules) -> None:
    lines = broken.errors(("level: discuss", "level: discus"))
    assert lines == [
        f'{broken.where("discus")}: flag "workup": "level" must be one of: urgent, discuss, info '
        "(got 'discus') (did you mean discuss?)"
    ]


def test_unknown_test_ask_source_and_flag_ids(broken: BrokenRules) -> None:
    lines = broken.errors(
        ("tests: [sugar, b12]", "tests: [sugr, b12]"),
        ("asks: [review]", "asks: [reveiw]"),
        (
            "    sources: [S1]\n    examples:\n      fires: [{numb",
            "    sources: [S11]\n    examples:\n      fires: [{numb",
        ),
        ("suppressed_by: [workup]", "suppressed_by: [wokrup]"),
    )
    assert f'{broken.where("sugr")}: unknown test "sugr" (did you mean sugar?)' in lines
    assert f'{broken.where("reveiw")}: unknown ask "reveiw" (did you mean review?)' in lines
    assert f'{broken.where("S11")}: unknown source "S11" (did you mean S1?)' in lines
    assert (
        f'{broken.where("wokrup")}: flag "meds_flag": unknown flag "wokrup" (did you mean workup?)'
        in lines
    )
    assert len(lines) == 4


def test_flag_cycle_is_reported(broken: BrokenRules) -> None:
    lines = broken.errors(("- not: {flag: climbing_flag}", "- not: {flag: meds_flag}"))
    assert len(lines) == 1
    assert "flags depend on each other in a circle" in lines[0]
    assert "workup → meds_flag → workup" in lines[0] or "meds_flag → workup → meds_flag" in lines[0]


def test_named_condition_cycle_is_reported(broken: BrokenRules) -> None:
    lines = broken.errors(
        (
            "  HAS_SYMPTOMS: {any_yes: CORE}",
            "  HAS_SYMPTOMS: {use: LOOP}\n  LOOP: {use: HAS_SYMPTOMS}",
        )
    )
    assert any("named conditions use each other in a circle" in line for line in lines)


def test_missing_examples_and_missing_silent_example(broken: BrokenRules) -> None:
    lines = broken.errors(
        (
            '    examples:\n      fires: [{climbing: "yes"}]\n      silent: [{climbing: "not_sure"}]\n',
            "",
        ),
        ("      silent: [{meds: [none]}]", "      silent: []"),
    )
    assert any(
        l.endswith(
            'flag "climbing_flag" has no examples: add examples: with fires: and silent: answer sets'
        )
        for l in lines
    )
    assert any('flag "meds_flag" needs at least one example under silent:' in l for l in lines)


QUOTED_MAYBE = '"maybe"'


def test_invalid_example_answers_are_errors(broken: BrokenRules) -> None:
    lines = broken.errors(
        (
            'fires: [{numb: "yes", tingle: "yes"}]',
            'fires: [{numb: "yes", tingle: "maybe", agee: 40}]',
        )
    )
    assert (
        f'{broken.where(QUOTED_MAYBE)}: flag "workup": example 1 under fires: "tingle": "maybe" is not an answer; use one of "yes", "no", "not_sure"'
        in lines
    )
    assert (
        f'{broken.where("agee")}: flag "workup": example 1 under fires: unknown question "agee" (did you mean age?)'
        in lines
    )


def test_urgent_flag_must_not_fire_on_not_sure_outside_safety(broken: BrokenRules) -> None:
    lines = broken.errors(
        ('when: {q: climbing, is: "yes"}', 'when: {q: numb, in: ["yes", not_sure]}')
    )
    assert lines == [
        f'{broken.where("{q: numb")}: flag "climbing_flag": an urgent flag must not fire on a "not sure" answer outside the safety page'
    ]


def test_urgent_needs_action_and_wording_limits(broken: BrokenRules) -> None:
    lines = broken.errors(
        ("    action: emergency\n", ""),
        ("title: Symptom check", "title: " + "word " * 11),
        ("text: Ask about tests.", "text: Ask {doctor} about tests."),
    )
    assert (
        f'{broken.where("urgent")}: flag "climbing_flag": an urgent flag needs an "action"' in lines
    )
    assert any("the title has 11 words; keep it to 10" in l for l in lines)
    assert any('unknown placeholder "{doctor}"' in l for l in lines)


def test_five_different_mistakes_give_five_lines(broken: BrokenRules) -> None:
    lines = broken.errors(
        ('when: {q: climbing, is: "yes"}', 'when: {q: climbng, is: "yes"}'),
        ("level: discuss", "level: discus"),
        ("{q: sex, in: [female]}", "{q: sex, in: [femal]}"),
        ("{q: age, gte: 65}", '{q: age, gte: "65"}'),
        ("tests: [sugar, b12]", "tests: [sugr, b12]"),
    )
    assert len(lines) == 5
    assert [int(l.split(":")[1]) for l in lines] == sorted(int(l.split(":")[1]) for l in lines)


def test_unreadable_file() -> None:
    with pytest.raises(RulesInvalid) as info:
        load_rules("/nonexistent/rules.yaml")
    assert info.value.lines() == [
        "/nonexistent/rules.yaml:1:1: cannot read the file: No such file or directory"
    ]


def test_the_exception_text_carries_every_error_line(broken: BrokenRules) -> None:
    lines = broken.errors(("level: discuss", "level: discus"), ("type: yesno", "type: yesnoo"))
    with pytest.raises(RulesInvalid) as info:
        load_rules(broken.path)
    assert len(lines) >= 2 and all(line in str(info.value) for line in lines)


def test_a_retired_id_is_never_used_again(broken: BrokenRules) -> None:
    lines = broken.errors(
        (
            "\nend: true",
            '\nretired:\n  questions:\n    - {id: meds, retired_in: "0.1"}\n  flags: [meds_flag]\n'
            "\nend: true",
        )
    )
    where = broken.where("id: meds\n").rsplit(":", 1)[0]
    assert any(
        line.startswith(where) and 'question id "meds" was retired in rules 0.1' in line
        for line in lines
    )
    assert any('flag id "meds_flag" was retired' in line for line in lines)


def test_a_file_without_the_end_marker_is_refused_before_anything_else(
    broken: BrokenRules,
) -> None:
    lines = broken.errors(("\nend: true", "\n"), ("level: discuss", "level: discus"))
    assert len(lines) == 1 and "the file ends early" in lines[0]


@pytest.mark.parametrize(
    ("edit", "needle", "message"),
    [
        (
            ("    title: Climbing tingling", "    title Climbing tingling"),
            "title Climbing",
            'a ":" is missing after "title" (write title: ...)',
        ),
        (
            ("    action: emergency", "     action: emergency"),
            " action: emergency",
            "is indented 1 space more than line",
        ),
        (
            ("    action: emergency", "   action: emergency"),
            "action: emergency",
            "is indented 1 space less than line",
        ),
        (
            ("    action: emergency", "\taction: emergency"),
            "\taction",
            "has a tab; indent with spaces only",
        ),
        (
            (
                '    when: {q: climbing, is: "yes"}\n    text',
                '    when: {q: climbing, is: "yes}\n    text',
            ),
            '"yes}',
            'opens a quote (") that is not closed',
        ),
    ],
)
def test_yaml_mistakes_are_explained_in_plain_words_at_their_line(
    broken: BrokenRules, edit: tuple[str, str], needle: str, message: str
) -> None:
    lines = broken.errors(edit)
    line = broken.where(needle).split(":")[-2]
    assert len(lines) == 1
    assert f":{line}:" in lines[0] and f"line {line}" in lines[0] and message in lines[0]


NUMBERS_TEXT = (
    "In 2016, about 1 in 4 had it, vs 1 in 10 of others; the odds were 2.5 times as high."
)


def test_numbers_in_patient_text_are_refused_with_their_place(broken: BrokenRules) -> None:
    lines = broken.errors(("text: Ask about tests.", f"text: {NUMBERS_TEXT}"))
    at = broken.where(NUMBERS_TEXT)
    assert lines == [
        f'{at}: flag "workup": the patient text has 2 frequency figures (1 in 4; 1 in 10); keep '
        "at most one per flag",
        f'{at}: flag "workup": the patient text has a study year ("2016"); move it to pdf_note',
        f"{at}: flag \"workup\": the patient text has an odds ratio or 'times more likely' figure "
        '("odds"); move it to pdf_note',
    ]


def test_numbers_in_an_add_when_text_are_refused_too(broken: BrokenRules) -> None:
    lines = broken.errors(
        ("text: Metformin can lower B12.", "text: In one study of 500 people, B12 fell.")
    )
    assert lines == [
        f'{broken.where("In one study")}: flag "meds_flag": this add_when text has a study size '
        '("500 people"); move it to pdf_note'
    ]


def test_one_plain_frequency_is_allowed() -> None:
    from screening.rules.checker import number_problems

    assert number_problems("In one study, about 1 in 4 had low B12.") == []
    assert number_problems("Up to half of them had no symptoms.") == []
