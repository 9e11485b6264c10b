"""The shape of rules.yaml, checked by pydantic before any cross-reference check.

Conditions stay ``Any`` here: their own parser (conditions.py) checks them with positions and
against the catalogue, which pydantic cannot know about.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
QuestionType = Literal["yesno", "single", "multi", "number", "text", "confirm"]
Level = Literal["urgent", "discuss", "info"]
Action = Literal["emergency", "immediate", "same_day", "prompt", "check_today"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetaModel(Strict):
    title: Text
    version: Text
    reviewed_by: Text
    reviewed_on: Text
    emergency_number: Text = "911"


class ChoiceModel(Strict):
    value: Code
    label: Text


class QuestionModel(Strict):
    id: Code
    type: QuestionType
    label: Text
    hint: Text | None = None
    why: Text | None = None
    short: Text | None = None
    required: bool = False
    choices: list[ChoiceModel] | None = None
    min: int | None = None
    max: int | Literal["this_year"] | None = None
    not_above: Code | None = None
    unit: Text | None = None
    max_length: int | None = Field(default=None, gt=0, le=2000)
    under_min_message: Text | None = None
    show_if: Any = None


class SectionModel(Strict):
    id: Code
    title: Text
    short: Text | None = None  # a clinician's label for it: PDF page 1's key facts
    intro: Text | None = None
    questions: list[Any] = Field(min_length=1)  # each checked as a QuestionModel on its own


class TestModel(Strict):
    id: Code
    name: Text
    why: Text
    covered_when: Any = None
    # LOINC code of the lab test, where one exists (carried into the FHIR export)
    loinc: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,7}-[0-9]$")] | None = None


class AskModel(Strict):
    id: Code
    text: Text


class SourceModel(Strict):
    citation: Text
    url: Text
    note: Text | None = None  # for editors and clinicians (what was confirmed); never for patients


class AddWhenModel(Strict):
    when: Any
    text: Text | None = None
    in_box: bool = False  # urgent flags: this text belongs in the interrupting box (an action)
    clinician: Text | None = None  # added to the flag's clinician line on PDF page 1
    tests: list[Code] = []
    asks: list[Code] = []
    sources: list[str] = []


class ExamplesModel(Strict):
    fires: list[Any] = []
    silent: list[Any] = []


class FlagModel(Strict):
    id: Code
    level: Level
    action: Action | None = None
    title: Text
    when: Any
    suppressed_by: list[Code] = []
    text: Text  # urgent: the box (the action and one reason); others: the main facts
    after: Text | None = None  # urgent only: facts shown below the box, never inside it
    summary: Text | None = None  # one plain line for the results page, detail in a disclosure
    clinician: Text | None = None  # one line in clinician voice for PDF page 1
    priority: int | None = Field(default=None, ge=1, le=3)  # discuss: 1 ask soon .. 3 routine
    pdf_note: Text | None = None  # study figures, years, sizes: the PDF's source notes only
    clinician_note: Text | None = None  # for the /rules catalogue only; never shown to patients
    add_when: list[AddWhenModel] = []
    tests: list[Code] = []
    asks: list[Code] = []
    sources: list[str] = []
    lists_unsure: str | None = None
    examples: ExamplesModel | None = None
    reviewed_by: Text | None = None
    reviewed_on: Text | None = None


class RetiredEntryModel(Strict):
    id: str
    retired_in: Text | None = None  # the rules version that retired it
    replaced_by: list[str] = []
    note: Text | None = None


RetiredItem = Annotated[str, StringConstraints(min_length=1)] | RetiredEntryModel


class RetiredModel(Strict):
    """Ids that were used once and must never be used again, in any meaning."""

    questions: list[RetiredItem] = []
    choices: list[RetiredItem] = []  # as question_id.choice
    flags: list[RetiredItem] = []
    tests: list[RetiredItem] = []
    asks: list[RetiredItem] = []


class RulesModel(Strict):
    """Top level only; sections, flags and the vocabularies are checked item by item."""

    meta: Any
    groups: dict[str, list[Any]] = {}
    conditions: dict[str, Any] = {}
    sections: list[Any] = Field(min_length=1)
    tests: list[Any] = []
    asks: list[Any] = []
    sources: dict[str, Any] = {}
    flags: list[Any] = []
    retired: Any = None
    end: Any = None  # the completeness marker, checked on its own (see loader.END_MARKER)
