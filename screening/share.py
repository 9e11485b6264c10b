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
from urllib.parse import urlsplit

from .codec import encode, to_link_text, to_saved_file
from .rules.catalogue import Catalogue

log = logging.getLogger(__name__)
OPEN_PATH = "/open"
QR_PATH = "/O"  # short, in capitals: redirects to OPEN_PATH, the fragment kept
SAVED_FILE_NAME = "nerve-check-answers.json"
_warned_no_url = False


@dataclass(frozen=True)
class Sharing:
    saved_file: bytes  # the readable JSON file: answers by id, rules version, the code
    open_url: str | None  # this app's /open page with the code in the fragment; None: no QR


def saved_file_bytes(answers: Mapping[str, Any], rules: Catalogue, today: date) -> bytes:
    doc = to_saved_file(answers, rules, created=today)
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def open_url(public_url: str, link_code: str) -> str:
    """The QR code's link: this app's short /O path with the code after "#" (browsers never
    send the fragment to a server). Scheme and host are written in capitals, which mean the
    same in a URL and let the QR code pack them in its compact alphanumeric mode."""
    parts = urlsplit(public_url.rstrip("/"))
    head = f"{parts.scheme}://{parts.netloc}".upper()
    return f"{head}{parts.path}{QR_PATH}#{link_code}"


def sharing(
    answers: Mapping[str, Any], rules: Catalogue, *, public_url: str | None, today: date
) -> Sharing:
    """The saved file for ``answers`` and, when the app's public address is known, the link."""
    global _warned_no_url
    code = to_link_text(encode(answers, rules, created=today))
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
