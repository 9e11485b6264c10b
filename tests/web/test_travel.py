"""Answers that travel without a server: saved file, PDF attachment, QR code, FHIR. Each round
trip must give the same pages and results, and never bring back the safety page."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from flask import Flask
from personas import SAFE, SEED, all_yes

from screening import Catalogue, create_app
from screening.config import Settings

from .conftest import Visitor, fields_on, form_data, walk

PUBLIC = "https://nerve-check.example.org"
OLD_FILE = Path(__file__).resolve().parents[1] / "data" / "answers-rules-1.1.0.json"
FINISHED = {**SEED, "final_disclaimer_ack": "yes"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(secret_key="test-secret", instance_dir=tmp_path / "i", public_url=PUBLIC)


def results_flags(visitor: Visitor) -> list[str]:
    html = visitor.get("/results").get_data(as_text=True)
    return [part.split('"', 1)[0] for part in html.split('id="flag-')[1:]]


def upload(visitor: Visitor, path: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return visitor.client.post(
        path,
        data={"csrf_token": visitor.token, "answers_file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def not_safety(rules: Catalogue, answers: dict[str, object]) -> dict[str, object]:
    safety = {q.id for q in rules.sections[0].questions}
    return {k: v for k, v in answers.items() if k not in safety}


def answer_safety_page(visitor: Visitor) -> str:
    """Answer the safety page (asked afresh) and return where the app goes next."""
    html = visitor.get("/questions/safety").get_data(as_text=True)
    response = visitor.post("/questions/safety", form_data(SAFE, fields_on(html)))
    assert response.status_code == 302
    return str(response.location)


def test_a_saved_file_resumes_the_journey_with_the_safety_page_first(
    visitor: Visitor, app: Flask, rules: Catalogue
) -> None:
    everything = all_yes(rules)  # every page before supplements has answers
    walk(visitor, everything, stop_at="/questions/supplements")
    saved = visitor.post("/save")
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    doc = json.loads(saved.get_data())
    safety = {q.id for q in rules.sections[0].questions}
    assert doc["answers"] and not safety & set(doc["answers"])  # never the safety page
    before = not_safety(rules, visitor.session()["a"])

    other = Visitor(app.test_client())
    other.get("/resume")
    response = upload(other, "/resume", "answers.json", saved.get_data())
    assert response.location == "/questions/safety"  # asked afresh, first
    assert not_safety(rules, other.session()["a"]) == before
    assert not safety & set(other.session()["a"])
    # After the safety page (and any warning its answers bring back): straight to the first
    # page still to answer.
    after = answer_safety_page(other)
    if after == "/urgent":
        after = other.post("/urgent").location
    assert after == "/questions/supplements"


def test_a_broken_or_foreign_file_gets_a_plain_message_and_changes_nothing(
    visitor: Visitor,
) -> None:
    walk(visitor, SEED, stop_at="/questions/gut")
    before = visitor.session()["a"]
    visitor.get("/resume")
    for name, data in (
        ("a.json", b"{not json"),
        ("b.pdf", b"%PDF-1.7 nothing here"),
        ("c.txt", b"hi"),
    ):
        response = upload(visitor, "/resume", name, data)
        assert response.location == "/resume"
        page = visitor.get("/resume").get_data(as_text=True)
        assert (
            "not a saved answers file from this app" in page or "This PDF has no answers" in page
        ), name
        assert visitor.session()["a"] == before


def test_a_file_that_is_too_big_is_refused_kindly(visitor: Visitor) -> None:
    visitor.get("/resume")
    response = upload(visitor, "/resume", "big.json", b" " * (300 * 1024))
    assert response.status_code in (302, 413)
    if response.status_code == 302:
        assert "too big" in visitor.get("/resume").get_data(as_text=True)


def _pdf(visitor: Visitor) -> bytes:
    walk(visitor, FINISHED)
    visitor.get("/results")
    response = visitor.post("/results/pdf", {"paper": "letter"})
    assert response.mimetype == "application/pdf"
    return response.get_data()


def test_the_pdf_itself_reopens_the_same_results(
    visitor: Visitor, app: Flask, rules: Catalogue
) -> None:
    data = _pdf(visitor)
    expected = results_flags(visitor)
    other = Visitor(app.test_client())
    other.get("/open")
    response = upload(other, "/open", "summary.pdf", data)
    assert response.location in ("/opened", "/urgent")
    html = other.get("/opened").get_data(as_text=True)
    assert "Your answers from" in html and "Continue the questions" in html
    assert not_safety(rules, other.session()["a"]) == not_safety(rules, visitor.session()["a"])
    opened = [part.split('"', 1)[0] for part in html.split('id="flag-')[1:]]
    urgent_safety = {f.id for f in rules.flags if f.level == "urgent"}
    assert [f for f in opened if f not in urgent_safety] == [
        f for f in expected if f not in urgent_safety
    ]


def qr_text(pdf: bytes, tmp_path: Path) -> str:
    """The QR code on page 1, read from the rendered picture as a phone would."""
    (tmp_path / "s.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "s.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    done = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_qr_code_on_page_one_reopens_the_same_results(
    visitor: Visitor, app: Flask, rules: Catalogue, tmp_path: Path
) -> None:
    data = _pdf(visitor)
    expected = results_flags(visitor)
    link = qr_text(data, tmp_path)
    address, _, fragment = link.partition("#")
    assert address.lower() == f"{PUBLIC}/o"  # host in capitals: the QR code packs it tighter
    other = Visitor(app.test_client())
    assert other.get("/O").location == "/open"  # the browser keeps the fragment
    page = other.get("/open").get_data(as_text=True)
    assert "data-open-code" in page  # the script posts the fragment; the server never sees it
    response = other.post("/open", {"code": fragment})
    assert response.location in ("/opened", "/urgent")
    assert not_safety(rules, other.session()["a"]) == not_safety(rules, visitor.session()["a"])
    html = other.get("/opened").get_data(as_text=True)
    shown = [part.split('"', 1)[0] for part in html.split('id="flag-')[1:]]
    urgent = {f.id for f in rules.flags if f.level == "urgent"}
    assert [f for f in shown if f not in urgent] == [f for f in expected if f not in urgent]


def test_the_seed_personas_qr_code_stays_small_enough_to_scan(rules: Catalogue) -> None:
    from answer_sets import QR_LIMIT, seed_persona

    from screening.pdf import qr_code
    from screening.share import sharing

    shared = sharing(
        seed_persona(rules),  # 200-character concern in their own words
        rules,
        public_url="https://screening.clinic-name.example.com",
        today=date(2026, 12, 1),
    )
    assert shared.open_url is not None
    version = qr_code(shared.open_url).version
    assert isinstance(version, int) and version <= QR_LIMIT


def test_a_file_from_an_earlier_rule_set_opens_with_a_note(
    visitor: Visitor, rules: Catalogue
) -> None:
    visitor.get("/resume")
    response = upload(visitor, "/resume", "old.json", OLD_FILE.read_bytes())
    assert response.location == "/questions/safety"
    page = visitor.get("/questions/safety").get_data(as_text=True)
    assert "We read your answers from November 30, 2026" in page
    if rules.meta.version != "1.1.0":
        assert "earlier version of this check (1.1.0)" in page
    assert visitor.session()["a"]  # what the current rules accept was kept


def test_a_damaged_code_changes_nothing(visitor: Visitor) -> None:
    visitor.get("/open")
    response = visitor.post("/open", {"code": "NC:NOT A REAL CODE"})
    assert response.location == "/open"
    assert "a" not in visitor.session()


def test_the_clinic_gets_a_valid_fhir_questionnaire_response(visitor: Visitor) -> None:
    walk(visitor, FINISHED)
    visitor.get("/results")
    response = visitor.post("/results/fhir")
    assert response.mimetype == "application/fhir+json"
    resource = QuestionnaireResponse.model_validate(json.loads(response.get_data()))
    assert resource.status == "completed"


def test_the_kiosk_keeps_no_files(rules: Catalogue, tmp_path: Path) -> None:
    kiosk = create_app(Settings(secret_key="k", kiosk=True, instance_dir=tmp_path), rules=rules)
    visitor = Visitor(kiosk.test_client())
    walk(visitor, SEED, stop_at="/questions/gut")
    page = visitor.get("/questions/gut").get_data(as_text=True)
    assert "Save my answers" not in page
    assert visitor.post("/save").status_code == 404
    assert visitor.get("/resume").status_code == 404
    assert "Continue from a saved file" not in visitor.get("/").get_data(as_text=True)
