"""The /rules catalogue page, and what the app does when an editor breaks rules.yaml."""

from __future__ import annotations

import html as html_lib
import os
import re
import time
from pathlib import Path

from flask import Flask
from personas import SAFE

from screening import cached_rules, create_app
from screening.config import Settings
from screening.rules.describe import describe_condition_text
from screening.rules.store import RulesStore

from .conftest import Visitor, walk

RULES = cached_rules()


def page_text(visitor: Visitor, path: str) -> str:
    return html_lib.unescape(visitor.get(path).get_data(as_text=True))


def test_catalogue_lists_every_flag_with_its_condition_in_words(visitor: Visitor) -> None:
    html = page_text(visitor, "/rules")
    assert f"<code>{RULES.content_hash}</code>" in html
    assert RULES.meta.reviewed_on in html
    for flag in RULES.flags:
        assert f'id="rule-{flag.id}"' in html
        assert flag.title in html
        for tag in flag.sources:
            assert RULES.sources[tag].citation in html
    # A condition reads as words built from the answer labels, not codes.
    assert "diabetes is “Yes, type 1”" in html
    assert "Shown when:" in html


def test_conditions_in_words_use_labels_and_numbers_with_units() -> None:
    foot = RULES.flags_by_id["diabetes_foot_exam"]
    text = describe_condition_text(foot.when, RULES)
    assert (
        "diabetes is “Yes, type 1”; Any of these: [years since diabetes was found is 5 years or more"
        in text
    )
    b6 = describe_condition_text(RULES.flags_by_id["b6_excess"].when, RULES)
    assert "B6 from supplements is 10 mg a day or more" in b6
    unsure = describe_condition_text(RULES.flags_by_id["warning_sign_unsure"].when, RULES)
    assert unsure.startswith("“Not sure” to any of: tingling or weakness moving up the legs")


def write_rules(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5  # a clearly newer mtime, whatever the file system's resolution
    os.utime(path, (later, later))


def test_a_broken_rules_file_keeps_the_last_good_rules_and_shows_the_errors(
    rules_copy: Path,
) -> None:
    app: Flask = create_app(Settings(secret_key="k", rules_path=rules_copy))
    app.extensions["rules_store"] = RulesStore(
        rules_copy, check_every=0, settle=0
    )  # look every request
    visitor = Visitor(app.test_client())
    good = rules_copy.read_text(encoding="utf-8")
    write_rules(rules_copy, good.replace("level: urgent", "level: urgnet", 1))

    # Patients are not affected: the journey runs on the last good rules.
    walk(visitor, {**SAFE, "final_disclaimer_ack": "yes"})
    assert visitor.get("/results").status_code == 200
    html = page_text(visitor, "/rules")
    assert "The rules file on disk has mistakes" in html
    assert f"{rules_copy}:" in html and "urgnet" in html
    assert visitor.get("/healthz").get_json()["rules_file_ok"] is False

    # Fixed (with a new version): served at once.
    fixed, count = re.subn(r'(?m)^  version: "[^"]+"', '  version: "9.9.9-test"', good, count=1)
    assert count == 1
    write_rules(rules_copy, fixed)
    body = visitor.get("/healthz").get_json()
    assert body["rules_file_ok"] is True
    assert body["rules_version"] == "9.9.9-test"
    assert "The rules file on disk has mistakes" not in page_text(visitor, "/rules")


def test_the_catalogue_shows_clinician_notes_study_details_and_retired_ids(
    visitor: Visitor,
) -> None:
    html = page_text(visitor, "/rules")
    for flag in RULES.flags:
        if flag.clinician_note:
            assert flag.clinician_note.split(".")[0] in html
    for qid, entry in RULES.retired.questions.items():
        assert qid in html and entry.describe() in html
