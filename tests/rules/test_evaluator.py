"""Evaluation: order, suppression, merging, hidden answers and "not sure"."""

from __future__ import annotations

from screening import evaluate
from screening.rules import Catalogue


def test_urgent_first_then_discuss_then_info(mini: Catalogue) -> None:
    result = evaluate(
        {"climbing": "not_sure", "numb": "yes", "tingle": "yes", "meds": ["statin"]}, mini
    )
    # meds_flag is suppressed by workup, which fired
    assert result.flag_ids == ["unsure", "workup"]


def test_suppressed_flag_is_dropped_and_other_flag_reference(mini: Catalogue) -> None:
    # climbing_flag fires, so workup (which needs NOT climbing_flag) does not, so meds_flag shows
    result = evaluate({"climbing": "yes", "numb": "yes", "tingle": "yes", "meds": ["statin"]}, mini)
    assert result.flag_ids == ["climbing_flag", "meds_flag"]


def test_not_sure_on_safety_gives_the_softer_flag_only(mini: Catalogue) -> None:
    result = evaluate({"climbing": "not_sure"}, mini)
    assert result.flag_ids == ["unsure"]
    assert result.flags[0].action == "check_today"
    assert [u.name for u in result.flags[0].unsure] == ["tingling moving up"]


def test_urgent_action_tier_orders_urgent_flags(mini: Catalogue) -> None:
    # both urgent can't fire together in mini (yes vs not_sure on one question); the tier order
    # is still visible in the sort key: emergency before check_today
    emergency = evaluate({"climbing": "yes"}, mini).flags[0]
    softer = evaluate({"climbing": "not_sure"}, mini).flags[0]
    assert (emergency.action, softer.action) == ("emergency", "check_today")


def test_hidden_answers_do_not_count(mini: Catalogue) -> None:
    # "pregnant" is only asked of women; given for a man it is dropped before rules run
    result = evaluate({"sex": "male", "pregnant": "yes", "age": 70}, mini)
    assert "pregnant" not in result.answers
    assert result.answers == {"sex": "male", "age": 70}


def test_tests_merged_in_vocabulary_order_with_done_recently(mini: Catalogue) -> None:
    result = evaluate({"numb": "yes", "tingle": "yes", "meds": ["metformin"]}, mini)
    assert [(t.id, t.done_recently) for t in result.tests] == [("b12", True), ("sugar", False)]
    assert [a.id for a in result.asks] == ["review"]


def test_add_when_text_and_tests_only_when_condition_holds(mini: Catalogue) -> None:
    with_metformin = evaluate({"meds": ["metformin"]}, mini).flags[0]
    with_statin = evaluate({"meds": ["statin"]}, mini).flags[0]
    assert with_metformin.extra == ("Metformin can lower B12.",)
    assert with_metformin.tests == ("b12",)
    assert with_statin.extra == () and with_statin.tests == ()


def test_emergency_number_is_filled_in(mini: Catalogue) -> None:
    assert evaluate({"climbing": "yes"}, mini).flags[0].text == "Call 911 now."


def test_to_dict_contract(mini: Catalogue) -> None:
    data = evaluate({"climbing": "yes"}, mini).to_dict()
    assert set(data) == {"rules_version", "rules_hash", "flags", "tests", "asks"}
    flag = data["flags"][0]
    assert {"id", "level", "action", "title", "text", "tests", "asks", "sources"} <= set(flag)
    assert flag["sources"][0]["url"] == "https://example.org/s1"
