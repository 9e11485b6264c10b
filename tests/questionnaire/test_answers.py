"""Checking an answer set against the questions: every problem at once, in plain words."""

from __future__ import annotations

import pytest

from screening import AnswersInvalid, evaluate, validate_answers
from screening.questionnaire.text import byte_limit, clean_text
from screening.rules import Catalogue


def test_invalid_answers_list_every_problem(mini: Catalogue) -> None:
    answers = {
        "age": 12,
        "sex": "other",
        "meds": ["none", "statin"],
        "numb": True,
        "agee": 3,
        "notes": "x" * 51,
    }
    problems = validate_answers(answers, mini)
    messages = sorted(p.message for p in problems)
    assert messages == sorted(
        [
            '"age": 12 is outside 18–120',
            '"sex": "other" is not an answer; use one of "female", "male"',
            '"meds": "none" cannot be chosen together with other answers',
            '"numb": expected one of "yes", "no", "not_sure", got True',
            'unknown question "agee" (did you mean age?)',
            '"notes": the text is 51 characters; the limit is 50',
        ]
    )
    with pytest.raises(AnswersInvalid):
        evaluate(answers, mini)


def test_number_not_above_other_answer(mini: Catalogue) -> None:
    problems = validate_answers({"age": 30, "years": 40}, mini)
    assert [p.message for p in problems] == ['"years": 40 is more than "age" (30)']


def test_hidden_direction_and_zero_width_characters_are_removed() -> None:
    # "fish oil" typed with a right-to-left override would print reversed on the PDF.
    assert clean_text("\u202efish\u200b oil\u2066 ") == "fish oil"
    assert clean_text("line one\r\nline two") == "line one\nline two"
    assert clean_text("cafe\u0301") == "caf\u00e9"  # one letter, as the PDF prints it


def test_emoji_count_against_a_byte_limit_too(mini: Catalogue) -> None:
    notes = mini.questions["notes"]
    assert notes.max_length is not None
    within = "\U0001f9b6" * (byte_limit(notes.max_length) // 4)  # feet emoji, 4 bytes each
    assert len(within) <= notes.max_length
    assert validate_answers({"notes": within}, mini) == []
    problems = validate_answers({"notes": within + "\U0001f9b6" * 2}, mini)
    assert problems, "a text over the byte limit must be refused"
