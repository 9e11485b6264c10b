"""Fixtures for the PDF tests: real WeasyPrint renders, read back with pypdf and pdftotext."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import pytest
from answer_sets import seed_persona
from personas import SEED, all_yes
from pypdf import PdfReader

from screening.pdf import render_summary
from screening.rules import Catalogue
from screening.share import sharing
from screening.summary import Summary, summary_of_answers


def flat(text: str) -> str:
    """Whitespace collapsed, so wrapped lines compare like one line."""
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Pdf:
    data: bytes
    summary: Summary

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.data))

    @cached_property
    def pages(self) -> list[str]:
        """pdftotext -raw output (reading order, columns one after the other), one string per page."""
        out = subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=self.data, capture_output=True, check=True
        ).stdout.decode("utf-8")
        # A word broken at its own hyphen at a line end reads as one word again.
        out = re.sub(r"(?<=\w)-\n(?=\w)", "-", out)
        return out.split("\f")[: len(self.reader.pages)]

    @cached_property
    def lines(self) -> list[str]:
        """Every line of text, stripped, in order (a heading is a line of its own)."""
        return [line.strip() for page in self.pages for line in page.splitlines()]

    @cached_property
    def text(self) -> str:
        return flat(" ".join(self.pages))


def make_pdf(answers: dict[str, Any], rules: Catalogue, **kwargs: Any) -> Pdf:
    paper = kwargs.pop("paper", "letter")
    summary = summary_of_answers(rules, answers, **kwargs)
    return Pdf(render_summary(summary, paper=paper).data, summary)


@pytest.fixture(scope="session")
def seed_pdf(rules: Catalogue) -> Pdf:
    return make_pdf(SEED, rules)


@pytest.fixture(scope="session")
def seed_man_pdf(rules: Catalogue) -> Pdf:
    """The issue's seed persona as he downloads it: every question he is shown answered, his
    200-character concern, the QR code and the attached answers file."""
    answers = seed_persona(rules)
    summary = summary_of_answers(rules, answers)
    shared = sharing(
        answers, rules, public_url="https://screening.clinic-name.example.com", today=date.today()
    )
    return Pdf(render_summary(summary, sharing=shared).data, summary)


@pytest.fixture(scope="session")
def all_yes_pdf(rules: Catalogue) -> Pdf:
    return make_pdf(all_yes(rules), rules)
