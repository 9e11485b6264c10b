"""FHIR export: every resource parses with the R4B models, and says what the rules say."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from answer_sets import all_max, seed_persona
from codec.catalogues import MINI, MINI_PATH, REAL, answer_sets
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.servicerequest import ServiceRequest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from personas import PERSONA_1, PERSONA_2, PERSONA_3, SEED, all_yes

from screening import fhir
from screening.language.conditions import ConditionContext
from screening.questionnaire.answers import AnswersInvalid, visible_answers
from screening.rules import Catalogue, evaluate, load_rules

BASE = "https://clinic.example/nerve-check/"
WHEN = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
CATALOGUES = pytest.mark.parametrize("rules", [REAL, MINI], ids=["rules.yaml", "mini"])


def items(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every question item by linkId (groups left out)."""
    return {i["linkId"]: i for g in resource.get("item", []) for i in g["item"]}


def personas(rules: Catalogue) -> list[dict[str, Any]]:
    sets = [all_max(rules), all_max(rules, "random")]
    if rules is REAL:
        sets += [SEED, PERSONA_1, PERSONA_2, PERSONA_3, all_yes(rules), seed_persona(rules)]
    return [{k: v for k, v in s.items() if k in rules.questions} for s in sets]


# ---------------------------------------------------------------------------------------------
# Questionnaire


@CATALOGUES
def test_questionnaire_parses_and_mirrors_the_sections(rules: Catalogue) -> None:
    q = fhir.questionnaire(rules, BASE)
    Questionnaire.model_validate(q)
    assert q["url"] == "https://clinic.example/nerve-check/fhir/Questionnaire/nerve-check"
    assert q["version"] == f"{rules.meta.version}+{rules.content_hash}"
    assert (q["status"], q["title"]) == ("active", rules.meta.title)
    assert [g["linkId"] for g in q["item"]] == [f"section-{s.id}" for s in rules.sections]
    for group, section in zip(q["item"], rules.sections, strict=True):
        assert group["type"] == "group"
        assert [i["linkId"] for i in group["item"]] == [x.id for x in section.questions]
    link_ids = [g["linkId"] for g in q["item"]] + list(items(q))
    assert len(link_ids) == len(set(link_ids))


@CATALOGUES
def test_item_types_options_and_required(rules: Catalogue) -> None:
    found = items(fhir.questionnaire(rules, BASE))
    kinds = {"yesno": "choice", "single": "choice", "multi": "choice", "confirm": "choice"}
    kinds |= {"number": "quantity", "text": "text"}
    for question in rules.ordered_questions():
        item = found[question.id]
        assert item["text"] == question.label
        assert item["type"] == kinds[question.type]
        assert item.get("repeats", False) == (question.type == "multi")
        assert item.get("required", False) == question.required
        if item["type"] == "choice":
            codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
            assert codes == list(question.choice_values())
            systems = {o["valueCoding"]["system"] for o in item["answerOption"]}
            assert systems == {fhir.answers_system(BASE)}
    for safety in rules.sections[0].questions:
        assert found[safety.id]["required"] is True


def test_numbers_carry_ucum_units_and_their_range() -> None:
    age = items(fhir.questionnaire(REAL, BASE))["age"]
    ext = {e["url"]: e for e in age["extension"]}
    assert ext[fhir.UNIT]["valueCoding"] == {"system": fhir.UCUM, "code": "a", "display": "years"}
    assert ext[fhir.MIN_QUANTITY]["valueQuantity"]["value"] == 18
    assert ext[fhir.MAX_QUANTITY]["valueQuantity"]["value"] == 120
    drinks = items(fhir.questionnaire(REAL, BASE))["alcohol_per_week"]
    unit = next(e for e in drinks["extension"] if e["url"] == fhir.UNIT)
    assert unit["valueCoding"] == {"display": "drinks a week"}  # no UCUM code for drinks


@CATALOGUES
def test_enable_when_is_well_formed(rules: Catalogue) -> None:
    found = items(fhir.questionnaire(rules, BASE))
    for item in found.values():
        entries = item.get("enableWhen", [])
        assert ("enableBehavior" in item) == (len(entries) > 1)  # FHIR invariant que-12
        for entry in entries:
            target = found[entry["question"]]
            if "answerCoding" in entry:
                codes = {o["valueCoding"]["code"] for o in target["answerOption"]}
                assert entry["answerCoding"]["code"] in codes
            elif "answerQuantity" in entry:
                assert target["type"] == "quantity"
            else:
                assert entry == {
                    "question": target["linkId"],
                    "operator": "exists",
                    "answerBoolean": True,
                }


@CATALOGUES
def test_every_show_if_is_an_enable_when_or_a_note_in_words(rules: Catalogue) -> None:
    found = items(fhir.questionnaire(rules, BASE))
    for question in rules.ordered_questions():
        item = found[question.id]
        notes = [e for e in item.get("extension", []) if e["url"] == fhir.DESIGN_NOTE]
        if question.show_if is None:
            assert not notes and "enableWhen" not in item
        else:
            assert ("enableWhen" in item) != bool(notes), question.id
            for note in notes:
                assert note["valueMarkdown"].startswith("Shown when: ")
                assert "named conditions" not in note["valueMarkdown"]


def _enabled(item: dict[str, Any], answers: dict[str, Any]) -> bool:
    """FHIR's enableWhen semantics, as a renderer applies them."""

    def holds(entry: dict[str, Any]) -> bool:
        value = answers.get(entry["question"])
        if entry["operator"] == "exists":
            return bool((value is not None) == entry["answerBoolean"])
        if value is None:
            return False
        if "answerCoding" in entry:
            given = value if isinstance(value, list) else [value]
            return bool(entry["answerCoding"]["code"] in given)
        limit = entry["answerQuantity"]["value"]
        op = entry["operator"]
        return bool(
            {
                "=": value == limit,
                ">": value > limit,
                ">=": value >= limit,
                "<": value < limit,
                "<=": value <= limit,
            }[op]
        )

    results = [holds(e) for e in item["enableWhen"]]
    return all(results) if item.get("enableBehavior", "all") == "all" else any(results)


@CATALOGUES
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_enable_when_agrees_with_the_show_if(rules: Catalogue, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(rules))
    found = items(fhir.questionnaire(rules, BASE))
    ctx = ConditionContext(answers, rules.conditions)
    for question in rules.ordered_questions():
        item = found[question.id]
        if "enableWhen" in item:
            assert question.show_if is not None
            assert _enabled(item, answers) == question.show_if.holds(ctx), question.id


def test_a_base_url_must_be_http() -> None:
    for bad in ("clinic.example", "ftp://clinic.example", "https://", "https://x/?a=1"):
        with pytest.raises(ValueError, match="base URL"):
            fhir.questionnaire(MINI, bad)


# ---------------------------------------------------------------------------------------------
# QuestionnaireResponse


@CATALOGUES
def test_responses_parse_and_link_to_the_questionnaire(rules: Catalogue) -> None:
    q = fhir.questionnaire(rules, BASE)
    groups = {g["linkId"]: {i["linkId"] for i in g["item"]} for g in q["item"]}
    for answers in personas(rules):
        r = fhir.questionnaire_response(answers, rules, BASE, WHEN)
        QuestionnaireResponse.model_validate(r)
        assert r["questionnaire"] == f"{q['url']}|{q['version']}"
        assert (r["status"], r["authored"]) == ("completed", "2026-11-30T09:15:00+00:00")
        shown = visible_answers(rules.questions, answers, rules.conditions)
        answered = items(r)
        assert set(answered) == {k for k, v in shown.items() if v != ""}
        for group in r.get("item", []):
            assert {i["linkId"] for i in group["item"]} <= groups[group["linkId"]]


@CATALOGUES
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_answers_are_codings_strings_and_quantities_only(
    rules: Catalogue, data: st.DataObject
) -> None:
    answers = data.draw(answer_sets(rules))
    q_items = items(fhir.questionnaire(rules, BASE))
    for link_id, item in items(fhir.questionnaire_response(answers, rules, BASE, WHEN)).items():
        question = rules.questions[link_id]
        for answer in item["answer"]:
            (kind,) = answer
            assert kind in ("valueCoding", "valueString", "valueQuantity")
            if kind == "valueCoding":
                options = [o["valueCoding"] for o in q_items[link_id]["answerOption"]]
                assert answer[kind] in options
            if kind == "valueQuantity":
                assert answer[kind].get("unit") == question.unit
        value = answers[link_id]
        if question.type == "multi":
            assert [a["valueCoding"]["code"] for a in item["answer"]] == value


def test_quantities_use_ucum_where_it_maps() -> None:
    answers = {**SEED, "alcohol_per_week": 3}
    found = items(fhir.questionnaire_response(answers, REAL, BASE, WHEN))
    assert found["age"]["answer"] == [
        {"valueQuantity": {"value": 67, "unit": "years", "system": fhir.UCUM, "code": "a"}}
    ]
    assert found["supp_magnesium_mg"]["answer"][0]["valueQuantity"]["code"] == "mg/d"
    assert found["alcohol_per_week"]["answer"] == [
        {"valueQuantity": {"value": 3, "unit": "drinks a week"}}
    ]


def test_text_becomes_a_valid_fhir_string() -> None:
    r = fhir.questionnaire_response({"notes": "a\u00a0b\x0bc\u2028d\ne"}, MINI, BASE, WHEN)
    QuestionnaireResponse.model_validate(r)
    assert items(r)["notes"]["answer"] == [{"valueString": "a b c d\ne"}]
    assert "item" not in fhir.questionnaire_response({"notes": ""}, MINI, BASE, WHEN)


def test_invalid_answers_and_naive_times_are_refused() -> None:
    with pytest.raises(AnswersInvalid, match="outside"):
        fhir.questionnaire_response({"age": 7}, MINI, BASE, WHEN)
    with pytest.raises(AnswersInvalid, match="lone surrogate"):
        fhir.questionnaire_response({"notes": "\ud800"}, MINI, BASE, WHEN)
    with pytest.raises(ValueError, match="time zone"):
        fhir.questionnaire_response({"age": 40}, MINI, BASE, datetime(2026, 1, 1))


# ---------------------------------------------------------------------------------------------
# Tests to ask about


def test_the_checklist_is_draft_proposals_with_our_code_always() -> None:
    evaluation = evaluate(all_yes(REAL), REAL)
    bundle = fhir.test_checklist_bundle(evaluation, REAL, BASE)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    requests = [e["resource"] for e in bundle["entry"]]
    assert [r["code"]["coding"][-1]["code"] for r in requests] == [t.id for t in evaluation.tests]
    for request, test in zip(requests, evaluation.tests, strict=True):
        ServiceRequest.model_validate(request)
        assert (request["status"], request["intent"]) == ("draft", "proposal")
        assert request["code"]["text"] == test.name
        assert request["code"]["coding"][-1]["system"] == fhir.tests_system(BASE)


def test_loinc_codes_are_carried(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        MINI_PATH.read_text().replace(
            "    name: B12 test\n", "    name: B12 test\n    loinc: 2132-9\n"
        )
    )
    rules = load_rules(path)
    evaluation = evaluate({"numb": "yes", "tingle": "yes", "meds": ["metformin"]}, rules)
    bundle = fhir.test_checklist_bundle(evaluation, rules, BASE)
    Bundle.model_validate(bundle)
    codings = {
        e["resource"]["code"]["text"]: e["resource"]["code"]["coding"] for e in bundle["entry"]
    }
    assert codings["B12 test"][0] == {"system": "http://loinc.org", "code": "2132-9"}
    assert len(codings["Sugar test"]) == 1  # no LOINC code: ours alone
    done = [e["resource"] for e in bundle["entry"] if "note" in e["resource"]]
    assert [r["code"]["text"] for r in done] == ["B12 test"]  # covered_when: metformin


def test_no_tests_is_an_empty_collection() -> None:
    bundle = fhir.test_checklist_bundle(evaluate({}, MINI), MINI, BASE)
    assert bundle == {"resourceType": "Bundle", "type": "collection"}
