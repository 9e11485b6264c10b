"""The patient's journey over HTTP: start, question pages, urgent interruptions, check answers.

Thin on purpose: which page comes next, what a change reveals, which urgent flags are new and
where the person goes after them are all decided by screening.journey.Journey. This module
turns requests into calls on it and its answers into pages and redirects. Every POST
redirects, also when the page has errors (the typed values wait in the session for the GET),
so Back and Refresh never ask to resubmit a form.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

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
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..journey import Journey, Where
from ..questionnaire.pages import Page
from ..summary import build_summary
from . import state
from .forms import PageForm, none_answers, page_form
from .session import session_expired

bp = Blueprint("journey", __name__)

ResponseLike = Response | str | tuple[str, int]
R = TypeVar("R")

COOKIE_FULL = (
    "Your answers are too long for us to keep. Please make this answer shorter. Emoji and "
    "some symbols take up more room than letters."
)


def url_of(where: Where) -> str:
    if where.opened_summary:
        return url_for("travel.opened")
    if where.page_id is None:
        anchor = f"#row-{where.anchor}" if where.anchor else ""
        return url_for("journey.check_answers") + anchor
    if where.changing:
        return url_for("journey.question_page", page_id=where.page_id, change="1")
    return url_for("journey.question_page", page_id=where.page_id)


def not_started() -> Response:
    """No answers in this browser: explain a timeout, or go to the start page."""
    if session_expired():
        return make_response(render_template("expired.html"), 200)
    return redirect(url_for("journey.start"))


def with_journey(view: Callable[..., R]) -> Callable[..., R | Response]:
    """For views that need a started session: hands the view the person's Journey."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> R | Response:
        if not state.started():
            return not_started()
        return view(state.journey(state.current_rules()), *args, **kwargs)

    return wrapper


# --- start, start over ---------------------------------------------------------------------


@bp.get("/")
def start() -> str:
    rules = state.current_rules()
    return render_template(
        "start.html",
        question_count=len(rules.questions),
        in_progress=state.started() and bool(state.journey(rules).answers),
    )


@bp.get("/privacy")
def privacy() -> str:
    return render_template("privacy.html")


@bp.post("/start")
def begin() -> Response:
    state.begin()
    return redirect(url_of(Where(Journey(state.current_rules(), {}).first_page.id)))


@bp.route("/start-over", methods=["GET", "POST"])
def start_over() -> ResponseLike:
    """Clearing asks first (a page of its own, so it works without JavaScript); the buttons
    that say "clear" on them send confirm=yes and clear at once."""
    if request.method == "POST" and request.form.get("confirm") == "yes":
        state.clear()
        flash("Your answers have been cleared.")
        return redirect(url_for("journey.start"))
    if request.method == "POST":
        return redirect(url_for("journey.start_over"))
    if not state.started():
        return redirect(url_for("journey.start"))
    return render_template(
        "start_over.html", back_url=request.referrer or url_for(".check_answers")
    )


# --- the session clock ---------------------------------------------------------------------


@bp.get("/session/keepalive")
def keepalive() -> tuple[str, int]:
    """Called by the "Are you still there?" button: restart the idle clock.

    Only the idle clock: the session's absolute end (issued-at, inside the encrypted cookie)
    never moves, so keeping a copied cookie alive forever is not possible.
    """
    state.touch()
    return "", 204


@bp.route("/session/ended", methods=["GET", "POST"])
def session_ended() -> ResponseLike:
    """Where the idle timer sends the browser. Answers are cleared only by a POST with a CSRF
    token (the timer's form, or the "Clear my answers now" button): a link or an image on
    another site cannot clear someone's answers."""
    if request.method == "POST":
        state.clear()
        if state.settings().kiosk:
            flash("For privacy, the last answers were cleared. You can start a new check.")
            return redirect(url_for(".start"))
        return redirect(url_for(".session_ended"))
    if state.started():
        return render_template("clear_confirm.html")
    return render_template("expired.html")


# --- question pages ------------------------------------------------------------------------


def _render_page(
    journey: Journey,
    page: Page,
    form: PageForm,
    *,
    changing: bool,
    csrf_expired: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    if changing:
        back = url_for(".check_answers")
    else:
        previous = journey.previous_page(page)
        back = url_of(Where(previous.id)) if previous else url_for(".start")
    questions = journey.questions_on(page)
    html = render_template(
        "page.html",
        page=page,
        questions=questions,
        form=form,
        back_url=back,
        changing=changing,
        csrf_expired=csrf_expired,
        section_count=len(journey.rules.sections),
        none_button=bool(none_answers(questions)),
    )
    return html, status


def _form(journey: Journey, page: Page, formdata: MultiDict[str, str] | None = None) -> PageForm:
    questions = journey.questions_on(page)
    rules = journey.rules
    if formdata is None:
        return page_form(
            questions, earlier=journey.answers, catalogue=rules.questions, answers=journey.answers
        )
    return page_form(
        questions, earlier=journey.answers, catalogue=rules.questions, formdata=formdata
    )


@bp.route("/questions/<page_id>", methods=["GET", "POST"])
def question_page(page_id: str) -> ResponseLike:
    if not state.started():
        if request.method == "GET" and Journey(state.current_rules(), {}).page(page_id) is None:
            abort(404)
        return not_started()
    journey = state.journey(state.current_rules())
    page = journey.page(page_id)
    if page is None:
        if request.method == "POST":
            return _page_gone(journey)
        abort(404)
    missing = journey.first_missing_required(before=page)
    if missing is not None:
        return redirect(url_of(Where(missing.id)))
    changing = request.args.get("change") == "1"
    questions = journey.questions_on(page)
    if not questions:  # nothing applies any more (an earlier answer changed): move on
        nxt = journey.next_page(page)
        return redirect(url_of(Where(nxt.id if nxt else None)))

    if request.method == "GET":
        kept = state.kept_form(page.id)
        if kept is not None:  # the page had errors: show them with what was typed
            form = _form(journey, page, kept.data)
            form.validate()
            if kept.too_long:
                form.add_page_error(COOKIE_FULL, [q for q in questions if q.type == "text"])
            return _render_page(
                journey, page, form, changing=changing, csrf_expired=kept.csrf_expired
            )
        return _render_page(journey, page, _form(journey, page), changing=changing)

    formdata: MultiDict[str, str] = MultiDict(request.form)
    if request.form.get("none_apply") == "yes":
        formdata = _none_apply(journey, page)
    form = _form(journey, page, formdata)
    if not form.validate():
        return _again(page, formdata, form, journey, changing)
    try:
        return _save_page(journey, page, form, changing=changing)
    except state.CookieFull:
        if state.keep_form(page.id, formdata, too_long=True):
            return redirect(request.full_path.rstrip("?"))
        form.add_page_error(COOKIE_FULL, [q for q in questions if q.type == "text"])
        return _render_page(journey, page, form, changing=changing, status=422)


def _again(
    page: Page, formdata: MultiDict[str, str], form: PageForm, journey: Journey, changing: bool
) -> ResponseLike:
    """A page with errors: keep what was typed for the GET, and go there (PRG)."""
    if state.keep_form(page.id, formdata):
        return redirect(request.full_path.rstrip("?"))
    return _render_page(journey, page, form, changing=changing, status=422)  # too big to keep


def _none_apply(journey: Journey, page: Page) -> MultiDict[str, str]:
    """ "Answer No to the rest": every question left blank that has a "no" answer gets it; what the
    person chose themselves stays, so a chosen "Yes" is never overwritten."""
    data = MultiDict(request.form)
    for qid, value in none_answers(journey.questions_on(page)).items():
        if qid not in data:
            data.setlist(qid, value if isinstance(value, list) else [str(value)])
    return data


def _save_page(journey: Journey, page: Page, form: PageForm, *, changing: bool) -> Response:
    saved = journey.save(
        page,
        form.answers(),
        changing=changing,
        todo=state.todo(),
        seen_urgent=state.seen_urgent(),
    )
    state.save(saved.journey)
    if saved.stop is not None:
        return redirect(url_for(".stopped", question_id=saved.stop.id))
    state.set_todo(saved.todo)
    go = saved.go
    if not changing and state.resuming() and not _still_on_safety(saved.journey, go):
        state.done_resuming()  # back from a saved file: the safety page is done, skip ahead
        go = saved.journey.resume_point()
    if saved.new_urgent:
        state.go_after_urgent(go)
        return redirect(url_for(".urgent"))
    return redirect(url_of(go))


def _still_on_safety(journey: Journey, go: Where) -> bool:
    page = journey.page(go.page_id) if go.page_id else None
    return page is not None and page.section.id == journey.first_page.section.id


def _page_gone(journey: Journey) -> Response:
    """A page posted after the rules changed and it no longer exists: keep what we can."""
    rules = journey.rules
    posted = [rules.questions[name] for name in request.form if name in rules.questions]
    form = page_form(
        posted, earlier=journey.answers, catalogue=rules.questions, formdata=request.form
    )
    form.validate()  # only the answers that pass are kept
    with contextlib.suppress(state.CookieFull):  # then what was saved before stays
        state.save(journey.with_answers({**journey.answers, **form.answers()}))
    flash(
        "The questions were updated while you were answering. We kept your answers. "
        "Please check them below."
    )
    return redirect(url_for(".check_answers"))


# --- urgent interruption, under-age stop -----------------------------------------------------


@bp.route("/urgent", methods=["GET", "POST"])
@with_journey
def urgent(journey: Journey) -> ResponseLike:
    summary = build_summary(journey.rules, journey.answers)  # one evaluation: check and page
    seen = state.seen_urgent()
    new = [f for f in summary.urgent if f.id not in seen]
    if request.method == "POST" or not new:
        state.mark_seen([f.id for f in new])
        return redirect(url_of(state.take_after_urgent(journey.rules)))
    change = {
        f.id: url_of(Where(p.id, changing=True))
        for f in new
        if (p := journey.page_to_change(f.id)) is not None
    }
    return render_template("urgent.html", flags=new, summary=summary, change_urls=change)


@bp.get("/stop/<question_id>")
def stopped(question_id: str) -> ResponseLike:
    rules = state.current_rules()
    q = rules.questions.get(question_id)
    page = Journey(rules, {}).page_of(question_id)
    if q is None or not q.under_min_message or page is None:
        abort(404)
    return render_template("stopped.html", question=q, page=page)


# --- check answers -------------------------------------------------------------------------


@bp.get("/check")
@with_journey
def check_answers(journey: Journey) -> ResponseLike:
    state.set_todo(())
    state.drop_form()
    last = journey.last_page
    return render_template(
        "check.html",
        sections=journey.check_sections(),
        missing=journey.first_missing_required(),
        back_url=url_of(Where(last.id)) if last else url_for(".start"),
    )


# --- CSRF failures -------------------------------------------------------------------------


def csrf_failed() -> ResponseLike:
    """A missing or expired CSRF token: show the page again with what was typed, never a 400."""
    view_args = request.view_args or {}
    if request.endpoint == "journey.question_page" and state.started():
        journey = state.journey(state.current_rules())
        page = journey.page(str(view_args.get("page_id", "")))
        if page is not None and state.keep_form(page.id, request.form, csrf_expired=True):
            return redirect(request.full_path.rstrip("?"))
    if not state.started() and request.endpoint not in ("journey.begin", "journey.start_over"):
        # The session is gone (it timed out or the browser dropped it): say so plainly.
        return render_template("expired.html"), 400
    return render_template("try_again.html", action=request.path), 400
