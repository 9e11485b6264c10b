"""FHIR export: the questionnaire, a person's answers, and the tests to ask about.

FHIR release: R4B (4.3.0), through the fhir.resources models in ``fhir.resources.R4B``.
fhir.resources 8 ships R5 (its default), R4B and STU3, but not R4; EHR importers mostly speak
R4, and for the resources used here (Questionnaire, QuestionnaireResponse, ServiceRequest,
Bundle) R4B changed nothing from R4, so what this module writes is also valid R4. Every
resource is checked against the R4B model before it is returned: a resource that does not
parse is a bug here, raised at once, never handed to an importer.

Codes. Two code systems under the app's public URL, one per id namespace of rules.yaml
(CONTENT.md a: separate namespaces, ids never change meaning): ``…/CodeSystem/nerve-check-
answers`` (yes / no / not_sure and every choice code; a code means what it means for its
question, named by the item's linkId) and ``…/CodeSystem/nerve-check-tests`` (test ids). A
coding carries the rules version in ``version``. The URLs stay the same across rule versions
because the ids do; a mapping an EHR made once keeps working.

Item types follow the answers an importer accepts: Coding, String and Quantity, never Boolean
or Integer, and FHIR wants an answer's type to match its item's. So yes/no, single, multi and
confirm items are ``choice`` (confirm offers the one option "yes"; a boolean item could not
take a Coding answer), and number items are ``quantity`` (unit in UCUM where it maps, with the
SDC min/max quantity extensions), not ``integer``.

Show-ifs become ``enableWhen`` where FHIR can say the same: one comparison, "is one of",
"includes", numeric comparisons, "answered", and a plain all-of or any-of of those (named
conditions and "any yes" are expanded first). ``not``, an any-of inside an all-of, counts other
than "any" and flag references cannot be said; such an item has no enableWhen (it is always
shown) and carries the core designNote extension with the condition in words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import BaseModel

from .codec.compact import unencodable_texts
from .language.conditions import All, Answered, AnyOf, Compare, Condition, Count, Not, Use
from .questionnaire.answers import AnswersInvalid, validate_answers, visible_answers
from .questionnaire.model import YESNO_LABELS, Question, Section
from .rules.catalogue import Catalogue
from .rules.describe import describe_condition_text
from .rules.evaluator import Evaluation

FHIR_RELEASE = "4.3.0"  # R4B
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
DESIGN_NOTE = "http://hl7.org/fhir/StructureDefinition/designNote"
UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
MIN_QUANTITY = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-minQuantity"
MAX_QUANTITY = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-maxQuantity"

# Units of rules.yaml (and likely new ones) in UCUM; a unit not here (drinks) is written as
# text with no system.
UCUM_UNITS = {
    "years": "a",
    "months": "mo",
    "weeks": "wk",
    "days": "d",
    "mg": "mg",
    "mg a day": "mg/d",
    "micrograms a day": "ug/d",
    "kg": "kg",
    "cm": "cm",
}
_COMPARE = {"is": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_MAX_DEPTH = 20  # named conditions used inside named conditions; the checker forbids cycles


class ExportInvalid(RuntimeError):
    """A generated resource that the FHIR model refuses: a bug in this module."""


# ---------------------------------------------------------------------------------------------
# URLs and codes


_ODD_SPACE = re.compile(r"[^\S \r\n\t]")


def _string(text: str) -> str:
    """Text as a FHIR string allows it: spaces other than space, tab and line breaks (no-break
    space, vertical tab, line separator...) become a plain space."""
    return _ODD_SPACE.sub(" ", text)


def clean_base_url(base_url: str) -> str:
    """The app's public URL without a trailing slash; ValueError unless http(s)://host."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"the base URL must look like https://host/path, not {base_url!r}")
    return base_url.rstrip("/")


def questionnaire_url(base_url: str) -> str:
    return f"{clean_base_url(base_url)}/fhir/Questionnaire/nerve-check"


def answers_system(base_url: str) -> str:
    return f"{clean_base_url(base_url)}/fhir/CodeSystem/nerve-check-answers"


def tests_system(base_url: str) -> str:
    return f"{clean_base_url(base_url)}/fhir/CodeSystem/nerve-check-tests"


def questionnaire_version(catalogue: Catalogue) -> str:
    """Rules version plus content hash: a response points at exactly the questions it answered."""
    return f"{catalogue.meta.version}+{catalogue.content_hash}"


def canonical(catalogue: Catalogue, base_url: str) -> str:
    return f"{questionnaire_url(base_url)}|{questionnaire_version(catalogue)}"


def _computable_name(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name if name[:1].isalpha() else f"Q{name}"


def _group_id(section: Section) -> str:
    """Question ids are snake_case, so a hyphen keeps group linkIds apart from them."""
    return f"section-{section.id}"


def _coding(q: Question, value: str, catalogue: Catalogue, base_url: str) -> dict[str, Any]:
    return {
        "system": answers_system(base_url),
        "version": catalogue.meta.version,
        "code": value,
        "display": _string(
            YESNO_LABELS.get(value, value)
            if q.type in ("yesno", "confirm")
            else q.choice_label(value)
        ),
    }


def _quantity(q: Question, value: int) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": value}
    if q.unit:
        quantity["unit"] = _string(q.unit)
        if q.unit in UCUM_UNITS:
            quantity |= {"system": UCUM, "code": UCUM_UNITS[q.unit]}
    return quantity


def _checked(model: type[BaseModel], resource: dict[str, Any]) -> dict[str, Any]:
    try:
        model.model_validate(resource)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        kind = resource["resourceType"]
        raise ExportInvalid(f"generated {kind} is not valid FHIR: {exc}") from exc
    return resource


# ---------------------------------------------------------------------------------------------
# enableWhen from show-ifs


def _leaf(cond: Condition, catalogue: Catalogue, base_url: str) -> list[dict[str, Any]] | None:
    """The enableWhen entries of one comparison, any of which enables the item; None: cannot."""
    if isinstance(cond, Answered):
        return [{"question": cond.q, "operator": "exists", "answerBoolean": True}]
    if isinstance(cond, Count):
        if cond.form == "count_yes" and (cond.op, cond.n) not in (("gte", 1), ("gt", 0)):
            return None
        wanted = "not_sure" if cond.form == "any_not_sure" else "yes"
        return [
            {
                "question": qid,
                "operator": "=",
                "answerCoding": _coding(catalogue.questions[qid], wanted, catalogue, base_url),
            }
            for qid in cond.questions
        ]
    if not isinstance(cond, Compare):
        return None
    q = catalogue.questions[cond.q]
    if q.type == "number":
        return [
            {
                "question": q.id,
                "operator": _COMPARE[cond.op],
                "answerQuantity": _quantity(q, cond.value),
            }
        ]
    values = cond.value if cond.op in ("in", "has_any") else (cond.value,)
    return [
        {"question": q.id, "operator": "=", "answerCoding": _coding(q, v, catalogue, base_url)}
        for v in values
    ]


def _flatten(
    cond: Condition, catalogue: Catalogue, kind: type[All] | type[AnyOf], depth: int = 0
) -> list[Condition] | None:
    """The parts of an all-of (or any-of), with named conditions and nested all-ofs (any-ofs)
    opened up; None when named conditions nest deeper than any real file."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(cond, Use):
        return _flatten(catalogue.conditions[cond.name], catalogue, kind, depth + 1)
    if not isinstance(cond, kind):
        return [cond]
    parts: list[Condition] = []
    for item in cond.items:
        found = _flatten(item, catalogue, kind, depth + 1)
        if found is None:
            return None
        parts += found
    return parts


def _inline(cond: Condition, catalogue: Catalogue, depth: int = 0) -> Condition:
    """The condition with named conditions written out, for a note a reader of the FHIR file
    can follow without our rules file (a name deeper than any real file stays a name)."""
    if depth > _MAX_DEPTH:
        return cond
    if isinstance(cond, Use):
        return _inline(catalogue.conditions[cond.name], catalogue, depth + 1)
    if isinstance(cond, All):
        return All(tuple(_inline(c, catalogue, depth + 1) for c in cond.items), cond.pos)
    if isinstance(cond, AnyOf):
        return AnyOf(tuple(_inline(c, catalogue, depth + 1) for c in cond.items), cond.pos)
    if isinstance(cond, Not):
        return Not(_inline(cond.item, catalogue, depth + 1), cond.pos)
    return cond


def _enable_when(
    cond: Condition, catalogue: Catalogue, base_url: str
) -> tuple[list[dict[str, Any]], str | None] | None:
    """(enableWhen entries, enableBehavior) saying the same as ``cond``, or None if FHIR can't.

    FHIR has one level: all entries must hold, or any may. An all-of works when each of its
    parts is one entry; an any-of when each part is one entry or itself an "any" (is one of,
    includes any, any yes).
    """
    all_parts = _flatten(cond, catalogue, All)
    if all_parts is not None and len(all_parts) > 1:
        leaves = [_leaf(part, catalogue, base_url) for part in all_parts]
        if all(leaf is not None and len(leaf) == 1 for leaf in leaves):
            return [leaf[0] for leaf in leaves if leaf], "all"
        return None
    target = all_parts[0] if all_parts else cond  # an all-of of one part is that part
    any_parts = _flatten(target, catalogue, AnyOf)
    if any_parts is None:
        return None
    entries: list[dict[str, Any]] = []
    for part in any_parts:
        leaf = _leaf(part, catalogue, base_url)
        if leaf is None:
            return None
        entries += leaf
    return entries, ("any" if len(entries) > 1 else None)


# ---------------------------------------------------------------------------------------------
# Questionnaire


def _answer_options(q: Question, catalogue: Catalogue, base_url: str) -> list[dict[str, Any]]:
    return [{"valueCoding": _coding(q, v, catalogue, base_url)} for v in q.choice_values()]


def _number_extensions(q: Question) -> list[dict[str, Any]]:
    extensions: list[dict[str, Any]] = []
    if q.unit:
        unit = {"display": _string(q.unit)}
        if q.unit in UCUM_UNITS:
            unit = {"system": UCUM, "code": UCUM_UNITS[q.unit], "display": _string(q.unit)}
        extensions.append({"url": UNIT, "valueCoding": unit})
    if q.min is not None:
        extensions.append({"url": MIN_QUANTITY, "valueQuantity": _quantity(q, q.min)})
    if q.max is not None:
        extensions.append({"url": MAX_QUANTITY, "valueQuantity": _quantity(q, q.max)})
    return extensions


def _question_item(q: Question, catalogue: Catalogue, base_url: str) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": q.id, "text": _string(q.label)}
    extensions: list[dict[str, Any]] = []
    if q.type == "number":
        item["type"] = "quantity"
        extensions += _number_extensions(q)
    elif q.type == "text":
        item |= {"type": "text", "maxLength": q.max_length}
    else:
        item["type"] = "choice"
        if q.type == "multi":
            item["repeats"] = True
        item["answerOption"] = _answer_options(q, catalogue, base_url)
    if q.required:
        item["required"] = True
    if q.show_if is not None:
        found = _enable_when(q.show_if, catalogue, base_url)
        if found is None:
            words = describe_condition_text(_inline(q.show_if, catalogue), catalogue)
            note = _string(f"Shown when: {words}")
            extensions.append({"url": DESIGN_NOTE, "valueMarkdown": note})
        else:
            item["enableWhen"], behavior = found
            if behavior:
                item["enableBehavior"] = behavior
    if extensions:
        item = {"extension": extensions, **item}
    return item


def questionnaire(catalogue: Catalogue, base_url: str) -> dict[str, Any]:
    """The catalogue as a FHIR Questionnaire (JSON-ready dict), one group per section."""
    meta = catalogue.meta
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "url": questionnaire_url(base_url),
        "version": questionnaire_version(catalogue),
        "name": _computable_name(meta.title),
        "title": _string(meta.title),
        "status": "active",
        "subjectType": ["Patient"],
        "description": _string(
            f"{meta.title}: questions about risk factors for nerve damage in the feet and hands, "
            f"rules {catalogue.label}. Educational screening, not a diagnosis."
        ),
        "item": [
            {
                "linkId": _group_id(section),
                "text": _string(section.title),
                "type": "group",
                "item": [_question_item(q, catalogue, base_url) for q in section.questions],
            }
            for section in catalogue.sections
        ],
    }
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.reviewed_on):
        resource["date"] = meta.reviewed_on
    return _checked(Questionnaire, resource)


# ---------------------------------------------------------------------------------------------
# QuestionnaireResponse


def _answers_of(q: Question, value: Any, catalogue: Catalogue, base_url: str) -> list[Any]:
    if q.type == "number":
        return [{"valueQuantity": _quantity(q, value)}]
    if q.type == "text":
        return [{"valueString": _string(value)}]
    values = value if isinstance(value, list) else [value]
    return [{"valueCoding": _coding(q, v, catalogue, base_url)} for v in values]


def questionnaire_response(
    answers: Mapping[str, Any], catalogue: Catalogue, base_url: str, authored: datetime
) -> dict[str, Any]:
    """A person's answers as a completed QuestionnaireResponse (AnswersInvalid if invalid).

    Only answered questions that were shown appear, grouped like the Questionnaire.
    """
    # Broken text first: checking a text's length in UTF-8 bytes would fail on it.
    problems = unencodable_texts(answers, catalogue) or validate_answers(
        answers, catalogue.questions
    )
    if problems:
        raise AnswersInvalid(problems)
    if authored.tzinfo is None:
        raise ValueError("authored needs a time zone (FHIR dateTime with a time has one)")
    shown = visible_answers(catalogue.questions, answers, catalogue.conditions)
    # FHIR has no empty strings: an empty text box is not an answer.
    shown = {k: v for k, v in shown.items() if v != ""}
    groups = []
    for section in catalogue.sections:
        items = [
            {
                "linkId": q.id,
                "text": _string(q.label),
                "answer": _answers_of(q, shown[q.id], catalogue, base_url),
            }
            for q in section.questions
            if q.id in shown
        ]
        if items:
            group = {"linkId": _group_id(section), "text": _string(section.title), "item": items}
            groups.append(group)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(catalogue, base_url),
        "status": "completed",
        "authored": authored.isoformat(timespec="seconds"),
    }
    if groups:
        resource["item"] = groups
    return _checked(QuestionnaireResponse, resource)


# ---------------------------------------------------------------------------------------------
# Tests to ask about


def test_checklist_bundle(
    evaluation: Evaluation, catalogue: Catalogue, base_url: str
) -> dict[str, Any]:
    """The tests to ask about as draft ServiceRequest proposals in a collection Bundle.

    Proposals, not orders: a clinician decides. Each carries LOINC when the test has a code,
    and always the test's id in the rule set's own code system.
    """
    entries = []
    for merged in evaluation.tests:
        test = catalogue.tests_by_id.get(merged.id)
        coding = [{"system": LOINC, "code": test.loinc}] if test and test.loinc else []
        coding.append(
            {
                "system": tests_system(base_url),
                "version": evaluation.rules_version,
                "code": merged.id,
                "display": _string(merged.name),
            }
        )
        request: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "status": "draft",
            "intent": "proposal",
            "code": {"coding": coding, "text": _string(merged.name)},
            "subject": {"display": "The person who answered the questionnaire"},
            "reasonCode": [{"text": _string(merged.why)}],
        }
        if merged.done_recently:
            request["note"] = [{"text": "The person reported this test as done recently."}]
        entries.append({"resource": request})
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if entries:
        bundle["entry"] = entries
    return _checked(Bundle, bundle)
