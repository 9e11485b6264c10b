"""The "Download your summary (PDF)" form on the results page.

The name typed here is used for this one PDF and then forgotten: it is not put in the session,
a URL, or a log line.

One render at a time per worker process: WeasyPrint's shared FontConfiguration is not
documented as thread-safe, and a render is CPU-bound anyway. The worker's other gthread threads
keep answering pages and /healthz meanwhile. A PDF request that cannot start its render within
RENDER_WAIT_SECONDS gets a friendly 503 page with Retry-After; the answers stay in the cookie.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from importlib import import_module

from flask import make_response, render_template, request
from werkzeug.wrappers import Response
from wtforms import Form, RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # 3.3, newer than the stubs
from wtforms.validators import Length

from ..config import PAPER_SIZES
from ..language.conditions import Answer
from ..questionnaire.text import clean_text
from ..rules.catalogue import Catalogue
from ..share import sharing
from ..summary import build_summary
from . import state

NAME_MAX = 80
PAPER_LABELS = {"letter": "Letter (US)", "a4": "A4"}
RENDER_SLOT = threading.BoundedSemaphore(1)  # per process: each gunicorn worker has its own
RENDER_WAIT_SECONDS = 15.0
RETRY_AFTER_SECONDS = 60

log = logging.getLogger("screening.web")


class PdfForm(Form):
    name = StringField(
        "Your name (optional)",
        validators=[
            Length(max=NAME_MAX, message=f"Use {NAME_MAX} characters or fewer for your name")
        ],
    )
    paper = RadioField(
        "Paper size",
        choices=[SelectChoice(p, PAPER_LABELS[p]) for p in PAPER_SIZES],
        validate_choice=False,
    )

    def validate_paper(self, field: RadioField) -> None:
        """A missing or unknown paper size means the clinic's default, not an error."""
        if field.data not in PAPER_SIZES:
            field.data = state.settings().paper


def blank_form() -> PdfForm:
    return PdfForm(data={"paper": state.settings().paper})


def respond(rules: Catalogue, answers: Mapping[str, Answer]) -> Response | tuple[str, int]:
    form = PdfForm(formdata=request.form)
    if not form.validate():
        # The one form answered without post/redirect/get: keeping the typed name for the next
        # GET would put it in the session, and the name is never kept anywhere.
        summary = build_summary(rules, answers)
        return render_template("results.html", summary=summary, pdf_form=form), 422
    summary = build_summary(rules, answers, name=clean_text(form.name.data or "") or None)
    render = import_module("screening.pdf").render_summary_pdf
    if not RENDER_SLOT.acquire(timeout=RENDER_WAIT_SECONDS):
        log.warning("PDF busy: no render slot within %.0f s, answered 503", RENDER_WAIT_SECONDS)
        busy = make_response(render_template("busy.html", pdf_form=form), 503)
        busy.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return busy
    shared = sharing(answers, rules, public_url=state.settings().public_url, today=summary.created)
    try:
        pdf: bytes = render(summary, paper=form.paper.data, sharing=shared)
    finally:
        RENDER_SLOT.release()
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    filename = f"nerve-health-summary-{summary.created.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
