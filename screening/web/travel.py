"""Answers that travel without a server: save to this device, continue from a saved file,
open a PDF's QR code, take the answers to the clinic as FHIR.

Uploads are read in memory with a size limit and never stored. Opening answers never restores
the safety page: its questions are about now, so they are asked afresh (CONTENT.md a).
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from ..codec import CodeInvalid, Decoded, decode, read_any_text, read_saved_file
from ..fhir import questionnaire_response
from ..journey import Journey, Where
from ..share import SAVED_FILE_NAME, saved_file_bytes
from ..summary import build_summary
from . import state
from .journey import ResponseLike, url_of, with_journey

bp = Blueprint("travel", __name__)

MAX_UPLOAD_BYTES = 256 * 1024  # a saved file is a few KB, a PDF of ours well under 256 KB
NOT_A_FILE = (
    "We could not read that file. Choose the answers file you saved from this app, or the "
    "PDF summary it made."
)


@bp.before_request
def allow_uploads() -> None:
    """The two pages that take a file accept one (the app's limit elsewhere is 64 KB)."""
    if request.endpoint in ("travel.resume", "travel.open_code"):
        request.max_content_length = MAX_UPLOAD_BYTES + 16 * 1024  # the file and the form


def _download(body: bytes, filename: str, mimetype: str) -> Response:
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _no_kiosk() -> None:
    if state.settings().kiosk:
        abort(404)  # a shared tablet keeps no files for the next person to find


# --- save to this device ----------------------------------------------------------------


@bp.post("/save")
@with_journey
def save(journey: Journey) -> ResponseLike:
    _no_kiosk()
    today = date.today()
    body = saved_file_bytes(journey.answers, journey.rules, today)
    return _download(body, f"nerve-check-answers-{today.isoformat()}.json", "application/json")


# --- reading a saved file, a PDF or a code ----------------------------------------------------


def _from_pdf(data: bytes) -> bytes:
    """The answers file a PDF of ours carries as an attachment."""
    from pypdf import PdfReader  # only for uploads: not loaded for every page
    from pypdf.errors import PdfReadError

    try:
        files = PdfReader(io.BytesIO(data)).attachments
        return bytes(files[SAVED_FILE_NAME][0])
    except (PdfReadError, KeyError, IndexError, ValueError, TypeError, OSError):
        raise CodeInvalid(
            "This PDF has no answers in it. Use a PDF made by this app, or the saved answers file."
        ) from None


def _uploaded() -> Decoded:
    upload = request.files.get("answers_file")
    if upload is None or not upload.filename:
        raise CodeInvalid("Choose a file first.")
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise CodeInvalid("That file is too big to be a saved answers file or one of our PDFs.")
    if data.startswith(b"%PDF"):
        data = _from_pdf(data)
    rules = state.current_rules()
    return read_saved_file(data, rules)


def _begin_with(decoded: Decoded, *, opened: bool) -> None:
    """A fresh session with the answers the current rules accept, never the safety page's."""
    state.begin_with(decoded.answers, opened=decoded if opened else None)
    when = f"{decoded.created:%B} {decoded.created.day}, {decoded.created.year}"
    flash(f"We read your answers from {when}.")
    if not decoded.same_rules:
        flash(
            f"They were made with an earlier version of this check ({decoded.rules_version}). "
            "Some questions may be new or different."
        )
    for problem in decoded.problems:
        flash(problem)


@bp.route("/resume", methods=["GET", "POST"])
def resume() -> ResponseLike:
    """ "Continue from a saved file": the journey goes on at the safety page (asked afresh),
    then at the first page still to answer."""
    _no_kiosk()
    if request.method == "GET":
        return render_template("resume.html")
    try:
        decoded = _uploaded()
    except CodeInvalid as exc:
        flash(exc.message)
        return redirect(url_for(".resume"))
    _begin_with(decoded, opened=False)
    state.set_resuming()
    first = Journey(state.current_rules(), {}).first_page
    return redirect(url_of(Where(first.id)))


@bp.get("/O")
@bp.get("/OPEN")
def open_code_short() -> Response:
    """The QR code's short address; browsers keep the fragment (the code) on redirects."""
    return redirect(url_for(".open_code"), code=301)


@bp.route("/open", methods=["GET", "POST"])
def open_code() -> ResponseLike:
    """The QR code's page. Its code is in the URL fragment, which browsers never send: a small
    script posts it here. Without script, the page explains how to upload the file or PDF."""
    if request.method == "GET":
        return render_template("open.html")
    try:
        if "code" in request.form:
            decoded = decode(read_any_text(request.form["code"]), state.current_rules())
        else:
            decoded = _uploaded()
    except CodeInvalid as exc:
        flash(exc.message)
        return redirect(url_for(".open_code"))
    _begin_with(decoded, opened=True)
    journey = state.journey(state.current_rules())
    new = journey.urgent_fired()  # re-evaluated under today's rules: they interrupt as usual
    if new:
        state.go_after_urgent(Where(None, opened_summary=True))
        return redirect(url_for("journey.urgent"))
    return redirect(url_for(".opened"))


@bp.get("/opened")
@with_journey
def opened(journey: Journey) -> ResponseLike:
    """The summary as it was answered, dated, with its urgent flags as they were."""
    info = state.opened_info()
    if info is None:
        return redirect(url_for("journey.check_answers"))
    summary = build_summary(journey.rules, journey.answers, today=info.created)
    then = [
        journey.rules.flags_by_id[f] for f in info.urgent_then if f in journey.rules.flags_by_id
    ]
    return render_template("opened.html", summary=summary, info=info, urgent_then=then)


@bp.post("/opened/continue")
@with_journey
def continue_opened(journey: Journey) -> Response:
    state.set_resuming()
    return redirect(url_of(Where(journey.first_page.id)))


# --- FHIR for the clinic ----------------------------------------------------------------------


@bp.post("/results/fhir")
@with_journey
def results_fhir(journey: Journey) -> ResponseLike:
    _no_kiosk()
    base = state.settings().public_url or request.host_url.rstrip("/")
    resource = questionnaire_response(
        journey.answers, journey.rules, base, authored=datetime.now(UTC)
    )
    body = json.dumps(resource, ensure_ascii=False, indent=1).encode("utf-8")
    name = f"nerve-check-questionnaire-response-{date.today().isoformat()}.json"
    return _download(body, name, "application/fhir+json")
