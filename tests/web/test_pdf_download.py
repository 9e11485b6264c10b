"""The results page's PDF download: an attachment, never cached, the name used once."""

from __future__ import annotations

import io

from personas import SEED
from pypdf import PdfReader

from .conftest import Visitor, walk


def test_download_is_a_pdf_attachment_that_is_never_cached(visitor: Visitor) -> None:
    walk(visitor, SEED)
    visitor.get("/results")
    response = visitor.post("/results/pdf", {"name": "Maria Lopez", "paper": "a4"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Maria Lopez" in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    # The name was for this file only.
    assert "Maria Lopez" not in str(visitor.session())


def test_a_name_that_is_too_long_is_explained_and_kept(visitor: Visitor) -> None:
    walk(visitor, SEED)
    visitor.get("/results")
    response = visitor.post("/results/pdf", {"name": "N" * 120, "paper": "letter"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use 80 characters or fewer for your name" in html
    assert 'value="' + "N" * 120 + '"' in html


def test_a_tampered_paper_size_falls_back_to_the_default(visitor: Visitor) -> None:
    walk(visitor, SEED)
    visitor.get("/results")
    response = visitor.post("/results/pdf", {"paper": "tabloid"})
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter


def test_pdf_needs_the_questions_answered_first(visitor: Visitor) -> None:
    visitor.start()
    response = visitor.post("/results/pdf", {"paper": "letter"})
    assert response.status_code == 302 and response.location == "/questions/safety"
