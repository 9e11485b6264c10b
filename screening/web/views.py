"""The pages of the patient's journey, the rules catalogue, and the small fixed pages.

Thin on purpose: questions, pages, flags and wording all come from the rules core and
screening.summary; this module only moves the person from page to page.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from ..language.conditions import Answer
from ..questionnaire.answers import visible_answers
from ..questionnaire.pages import Page, is_shown, shown_questions
from ..rules.catalogue import Catalogue
from ..rules.describe import describe
from ..rules.evaluator import fired_flag_ids
from ..summary import build_summary
from . import pdf_download, state
from .forms import PageForm, page_form
from .session import session_expired

bp = Blueprint("journey", __name__)

ResponseLike = Response | str | tuple[str, int]


# --- small fixed pages -------------------------------------------------------------------


@bp.get("/")
def start() -> str:
    rules = state.current_rules()
    return render_template(
        "start.html",
        question_count=len(rules.questions),
        in_progress=state.started() and bool(session.get("a")),
    )


@bp.get("/privacy")
def privacy() -> str:
    return render_template("privacy.html")


@bp.get("/healthz")
def healthz() -> Response:
    rules = state.current_rules()
    store = state.store()
    return jsonify(
        status="ok",
        rules_version=rules.meta.version,
        rules_hash=rules.content_hash,
        rules_file_ok=not store.errors,
    )


@bp.get("/rules")
def rules_catalogue() -> str:
    rules = state.current_rules()
    return render_template(
        "rules.html",
        describe=lambda cond: describe(cond, rules),
        pages=state.pages(rules),
        errors=state.store().errors,
    )


# --- starting, starting over, and the session clock ------------------------------------


def _not_started() -> Response:
    """No answers in this browser: explain a timeout, or go to the start page."""
    if session_expired():
        return make_response(render_template("expired.html"), 200)
    return redirect(url_for(".start"))


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


@bp.post("/start")
def begin() -> Response:
    state.start_fresh()
    first = state.pages(state.current_rules())[0]
    return redirect(url_for(".question_page", page_id=first.id))


@bp.post("/start-over")
def start_over() -> Response:
    state.clear()
    flash("Your answers have been cleared.")
    return redirect(url_for(".start"))


# --- question pages ----------------------------------------------------------------------


def _page_or_404(rules: Catalogue, page_id: str) -> Page:
    page = state.page_by_id(rules, page_id)
    if page is None:
        abort(404)
    return page


def _next_page(rules: Catalogue, answers: Mapping[str, Answer], after: Page) -> Page | None:
    shown = state.shown_pages(rules, answers)
    ids = [p.id for p in state.pages(rules)]
    position = ids.index(after.id)
    return next((p for p in shown if ids.index(p.id) > position), None)


def _previous_page(rules: Catalogue, answers: Mapping[str, Answer], before: Page) -> Page | None:
    shown = state.shown_pages(rules, answers)
    ids = [p.id for p in state.pages(rules)]
    position = ids.index(before.id)
    earlier = [p for p in shown if ids.index(p.id) < position]
    return earlier[-1] if earlier else None


def _render_page(
    rules: Catalogue,
    page: Page,
    form: PageForm,
    answers: Mapping[str, Answer],
    *,
    changing: bool,
    csrf_expired: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    if changing:
        back = url_for(".check_answers")
    else:
        previous = _previous_page(rules, answers, page)
        back = url_for(".question_page", page_id=previous.id) if previous else url_for(".start")
    questions = shown_questions(page, answers, rules.conditions)
    html = render_template(
        "page.html",
        page=page,
        questions=questions,
        form=form,
        back_url=back,
        changing=changing,
        csrf_expired=csrf_expired,
        section_count=len(rules.sections),
    )
    return html, status


@bp.route("/questions/<page_id>", methods=["GET", "POST"])
def question_page(page_id: str) -> ResponseLike:
    rules = state.current_rules()
    if request.method == "POST" and state.started() and state.page_by_id(rules, page_id) is None:
        return _page_gone(rules)
    page = _page_or_404(rules, page_id)
    if not state.started():
        return _not_started()
    answers = state.load_answers(rules)
    missing = state.first_missing_required(rules, answers, before=page)
    if missing is not None:
        return redirect(url_for(".question_page", page_id=missing.id))
    questions = shown_questions(page, answers, rules.conditions)
    changing = request.args.get("change") == "1"
    if not questions:  # nothing applies any more (an earlier answer changed): move on
        nxt = _next_page(rules, answers, page)
        return redirect(
            url_for(".question_page", page_id=nxt.id) if nxt else url_for(".check_answers")
        )

    if request.method == "GET":
        form = page_form(questions, earlier=answers, catalogue=rules.questions, answers=answers)
        return _render_page(rules, page, form, answers, changing=changing)

    form = page_form(questions, earlier=answers, catalogue=rules.questions, formdata=request.form)
    if not form.validate():
        return _render_page(rules, page, form, answers, changing=changing, status=422)
    try:
        return _save_page(rules, page, answers, form.answers(), changing=changing)
    except state.CookieFull:
        form.add_page_error(COOKIE_FULL, [q for q in questions if q.type == "text"])
        return _render_page(rules, page, form, answers, changing=changing, status=422)


COOKIE_FULL = (
    "Your answers are too long for us to keep. Please make this answer shorter. Emoji and "
    "some symbols take up more room than letters."
)


def _page_gone(rules: Catalogue) -> Response:
    """A page posted after the rules changed and it no longer exists: keep what we can."""
    answers = state.load_answers(rules)
    posted = [rules.questions[name] for name in request.form if name in rules.questions]
    form = page_form(posted, earlier=answers, catalogue=rules.questions, formdata=request.form)
    form.validate()  # only the answers that pass are kept
    kept = visible_answers(rules.questions, {**answers, **form.answers()}, rules.conditions)
    with contextlib.suppress(state.CookieFull):
        state.save_answers(rules, kept)
    flash(
        "The questions were updated while you were answering. We kept your answers. "
        "Please check them below."
    )
    return redirect(url_for(".check_answers"))


def _save_page(
    rules: Catalogue,
    page: Page,
    before: Mapping[str, Answer],
    given: Mapping[str, Answer],
    *,
    changing: bool,
) -> Response:
    merged = {k: v for k, v in before.items() if k not in {q.id for q in page.questions}}
    merged.update(given)
    # Pruning drops answers to questions that this change hides.
    after = visible_answers(rules.questions, merged, rules.conditions)
    state.save_answers(rules, after)

    for q in page.questions:
        value = after.get(q.id)
        if q.under_min_message and isinstance(value, int) and q.min is not None and value < q.min:
            return redirect(url_for(".stopped", question_id=q.id))

    destination = _destination(rules, page, before, after, changing=changing)
    fired = fired_flag_ids(rules, after)
    new_urgent = [
        fid
        for fid in (f.id for f in rules.flags if f.level == "urgent")
        if fid in fired and fid not in state.seen_urgent()
    ]
    if new_urgent:
        session["next"] = destination
        return redirect(url_for(".urgent"))
    return redirect(destination)


def _destination(
    rules: Catalogue,
    page: Page,
    before: Mapping[str, Answer],
    after: Mapping[str, Answer],
    *,
    changing: bool,
) -> str:
    """Where to go after a page: the next page, or back to the check page after a change.

    After a change, questions the change revealed are asked first (page by page), so the
    check page never lists a new question nobody saw.
    """
    if not changing:
        nxt = _next_page(rules, after, page)
        return url_for(".question_page", page_id=nxt.id) if nxt else url_for(".check_answers")

    def shown_ids(answers: Mapping[str, Answer]) -> set[str]:
        return {q.id for q in rules.questions.values() if is_shown(q, answers, rules.conditions)}

    todo = set(session.get("todo", [])) | (shown_ids(after) - shown_ids(before))
    todo -= {q.id for q in page.questions}
    todo &= shown_ids(after)
    session["todo"] = sorted(todo)
    for candidate in state.shown_pages(rules, after):
        if any(q.id in todo for q in candidate.questions) and candidate.id != page.id:
            return url_for(".question_page", page_id=candidate.id, change="1")
    session.pop("todo", None)
    return url_for(".check_answers")


# --- urgent interruption, under-age stop ----------------------------------------------------


@bp.route("/urgent", methods=["GET", "POST"])
def urgent() -> ResponseLike:
    rules = state.current_rules()
    answers = state.load_answers(rules)
    seen = state.seen_urgent()
    summary = build_summary(rules, answers)  # one evaluation serves the check and the page
    new = [f for f in summary.urgent if f.id not in seen]
    destination = _safe_next(session.get("next"))
    if request.method == "POST" or not new:
        session["u"] = seen + [f.id for f in new]
        session.pop("next", None)
        return redirect(destination)
    return render_template("urgent.html", flags=new, summary=summary, next_url=destination)


_INTERNAL_PATH = re.compile(r"^/[A-Za-z0-9_\-/]*(\?change=1)?$")


def _safe_next(value: object) -> str:
    """Only our own paths: a tampered session value cannot send people elsewhere."""
    if isinstance(value, str) and _INTERNAL_PATH.match(value) and not value.startswith("//"):
        return value
    return url_for(".check_answers")


@bp.get("/stop/<question_id>")
def stopped(question_id: str) -> ResponseLike:
    rules = state.current_rules()
    q = rules.questions.get(question_id)
    if q is None or not q.under_min_message:
        abort(404)
    page = next(p for p in state.pages(rules) if q in p.questions)
    return render_template("stopped.html", question=q, page=page)


# --- check answers and results -----------------------------------------------------------


@bp.get("/check")
def check_answers() -> ResponseLike:
    rules = state.current_rules()
    if not state.started():
        return _not_started()
    answers = state.load_answers(rules)
    missing = state.first_missing_required(rules, answers)
    session.pop("todo", None)
    rows = []
    for page in state.shown_pages(rules, answers):
        for q in shown_questions(page, answers, rules.conditions):
            if q.type == "confirm":
                continue
            rows.append((page, q, q.answer_text(answers[q.id]) if q.id in answers else None))
    shown = state.shown_pages(rules, answers)
    back = url_for(".question_page", page_id=shown[-1].id) if shown else url_for(".start")
    return render_template("check.html", rows=rows, missing=missing, back_url=back)


def _ready_answers(rules: Catalogue) -> tuple[dict[str, Answer], Response | None]:
    if not state.started():
        return {}, _not_started()
    answers = state.load_answers(rules)
    missing = state.first_missing_required(rules, answers)
    if missing is not None:
        return answers, redirect(url_for(".question_page", page_id=missing.id))
    return answers, None


@bp.get("/results")
def results() -> ResponseLike:
    rules = state.current_rules()
    answers, detour = _ready_answers(rules)
    if detour is not None:
        return detour
    summary = build_summary(rules, answers)
    return render_template("results.html", summary=summary, pdf_form=pdf_download.blank_form())


@bp.post("/results/pdf")
def results_pdf() -> ResponseLike:
    rules = state.current_rules()
    answers, detour = _ready_answers(rules)
    if detour is not None:
        return detour
    return pdf_download.respond(rules, answers)


# --- CSRF failures -----------------------------------------------------------------------


def csrf_failed() -> ResponseLike:
    """A missing or expired CSRF token: show the page again with what was typed, never a 400."""
    rules = state.current_rules()
    view_args = request.view_args or {}
    if request.endpoint == "journey.question_page" and state.started():
        page = state.page_by_id(rules, str(view_args.get("page_id", "")))
        if page is not None:
            answers = state.load_answers(rules)
            questions = shown_questions(page, answers, rules.conditions)
            form = page_form(
                questions, earlier=answers, catalogue=rules.questions, formdata=request.form
            )
            return _render_page(
                rules,
                page,
                form,
                answers,
                changing=request.args.get("change") == "1",
                csrf_expired=True,
                status=400,
            )
    if not state.started() and request.endpoint not in ("journey.begin", "journey.start_over"):
        # The session is gone (it timed out or the browser dropped it): say so plainly.
        return render_template("expired.html"), 400
    return render_template("try_again.html", action=request.path), 400
