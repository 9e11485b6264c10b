"""Answers that travel without a server: the saved file, the link in the PDF's QR code.

Pure core (no Flask, no WeasyPrint): the web layer and the CLI call ``sharing`` and hand the
result to the PDF, which only renders it. Nothing here is stored anywhere; whoever holds the
file, the PDF or the QR code can read the answers in it (the privacy page says so).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .codec import encode, to_saved_file, to_text
from .rules.catalogue import Catalogue

log = logging.getLogger(__name__)
OPEN_PATH = "/open"
SAVED_FILE_NAME = "nerve-check-answers.json"
_warned_no_url = False


@dataclass(frozen=True)
class Sharing:
    saved_file: bytes  # the readable JSON file: answers by id, rules version, the code
    open_url: str | None  # this app's /open page with the code in the fragment; None: no QR


def saved_file_bytes(answers: Mapping[str, Any], rules: Catalogue, today: date) -> bytes:
    doc = to_saved_file(answers, rules, created=today)
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def fragment(code_text: str) -> str:
    """The code as a URL fragment. Base45 has a space and "%", which a URL cannot carry as
    they are; both are written with "%" escapes, which keep the QR code's compact
    alphanumeric mode (the /open page's script undoes them)."""
    return code_text.replace("%", "%25").replace(" ", "%20")


def open_url(public_url: str, code_text: str) -> str:
    return f"{public_url.rstrip('/')}{OPEN_PATH}#{fragment(code_text)}"


def sharing(
    answers: Mapping[str, Any], rules: Catalogue, *, public_url: str | None, today: date
) -> Sharing:
    """The saved file for ``answers`` and, when the app's public address is known, the link."""
    global _warned_no_url
    code = to_text(encode(answers, rules, created=today))
    if public_url is None and not _warned_no_url:
        _warned_no_url = True
        log.warning(
            "SCREENING_PUBLIC_URL is not set, so PDFs carry no QR code (its link must point at "
            "the address patients use). The answers file is still attached to every PDF."
        )
    return Sharing(
        saved_file=saved_file_bytes(answers, rules, today),
        open_url=open_url(public_url, code) if public_url else None,
    )
