"""The results page and the PDF download: the Summary of a finished journey, as HTML or PDF."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template
from werkzeug.wrappers import Response

from ..journey import Journey, Where
from ..summary import build_summary
from . import pdf_download, state
from .journey import ResponseLike, url_of, with_journey

bp = Blueprint("results", __name__)


def _unfinished(journey: Journey) -> Response | None:
    missing = journey.first_missing_required()
    return redirect(url_of(Where(missing.id))) if missing is not None else None


@bp.get("/results")
@with_journey
def results(journey: Journey) -> ResponseLike:
    detour = _unfinished(journey)
    if detour is not None:
        return detour
    summary = build_summary(journey.rules, journey.answers)
    return render_template("results.html", summary=summary, pdf_form=pdf_download.blank_form())


@bp.post("/results/pdf")
@with_journey
def results_pdf(journey: Journey) -> ResponseLike:
    if state.settings().kiosk:
        abort(404)  # a shared tablet prints; a download would stay in its Downloads folder
    detour = _unfinished(journey)
    if detour is not None:
        return detour
    return pdf_download.respond(journey.rules, journey.answers)
