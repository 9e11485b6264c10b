"""The person's progress, kept only in the encrypted session cookie. The only module that
touches session keys.

Session keys are short to keep the cookie small:
  a     answers (question id -> value), including answers the current rules do not know
  u     urgent flags already shown to the person
  next  where to go after the urgent page: [page id or "", changing, anchor or ""]
  todo  questions a change revealed, to ask before going back to "check your answers"
  form  a page's posted form that had errors: [page id, {field: [values]}, csrf expired, too long]
  r     answers came back from a saved file: after the safety page, go on where they stop
  o     answers opened from a code or file: [day answered, urgent flags then, rules version]
Nothing here is written to disk or logged. The cookie is encrypted (see session.py).

Rules can change while someone is answering (an editor saves a new rules.yaml). Answers to
questions the current rules do not know are kept in the session untouched, in case they come
back; only what the current rules accept is shown and evaluated. Answers to retired questions
are dropped quietly: no rule set will ever read them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, session
from werkzeug.datastructures import MultiDict

from ..codec import Decoded
from ..config import Settings
from ..journey import Journey, Where
from ..questionnaire.answers import check_value
from ..rules.catalogue import Catalogue
from ..rules.store import RulesStore
from .session import MAX_COOKIE_BYTES


class CookieFull(Exception):  # noqa: N818 - a state, not a failure of ours
    """The answers would not fit in one browser cookie; nothing was saved."""


def store() -> RulesStore:
    value: RulesStore = current_app.extensions["rules_store"]
    return value


def current_rules() -> Catalogue:
    return store().rules


def settings() -> Settings:
    value: Settings = current_app.extensions["screening_settings"]
    return value


# -- the session as a whole ----------------------------------------------------------------


def started() -> bool:
    return "a" in session


def begin() -> None:
    session.clear()
    session["a"] = {}


def clear() -> None:
    session.clear()


def begin_with(answers: dict[str, Any], *, opened: Decoded | None = None) -> None:
    """A fresh session holding answers brought back from a code, a file or a PDF."""
    session.clear()
    session["a"] = dict(answers)
    if opened is not None:
        session["o"] = [
            opened.created.isoformat(),
            list(opened.urgent_flags_then),
            opened.rules_version,
        ]


def set_resuming() -> None:
    session["r"] = True


def resuming() -> bool:
    return bool(session.get("r"))


def done_resuming() -> None:
    session.pop("r", None)


@dataclass(frozen=True)
class OpenedInfo:
    created: date
    urgent_then: tuple[str, ...]
    rules_version: str


def opened_info() -> OpenedInfo | None:
    value = session.get("o")
    if not (isinstance(value, list) and len(value) == 3):
        return None
    try:
        created = date.fromisoformat(str(value[0]))
    except ValueError:
        return None
    flags = tuple(str(f) for f in value[1]) if isinstance(value[1], list) else ()
    return OpenedInfo(created, flags, str(value[2]))


def touch() -> None:
    """This request counts as use: the idle clock restarts (never the absolute end)."""
    if started():
        session.touched = True  # type: ignore[attr-defined]


# -- answers -------------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    raw = session.get("a")
    return dict(raw) if isinstance(raw, dict) else {}


def journey(rules: Catalogue) -> Journey:
    """The journey over the stored answers the current rules accept."""
    valid = {
        qid: value
        for qid, value in _raw().items()
        if qid in rules.questions and check_value(rules.questions[qid], value) is None
    }
    return Journey.start(rules, valid)


def save(after: Journey) -> None:
    """Store the journey's answers, keeping answers its rules do not know (not retired ones).

    Raises CookieFull, saving nothing, when the cookie would pass what browsers keep.
    """
    rules = after.rules
    unknown = {
        qid: value
        for qid, value in _raw().items()
        if qid not in rules.questions and qid not in rules.retired.questions
    }
    data = dict(session)
    data["a"] = {**unknown, **after.answers}
    data.pop("form", None)
    interface = current_app.session_interface
    measure = getattr(interface, "cookie_bytes", None)
    if measure is not None and measure(current_app, data, session) > MAX_COOKIE_BYTES:
        raise CookieFull()
    session["a"] = data["a"]
    session.pop("form", None)


# -- urgent flags and where to go after them -------------------------------------------------


def seen_urgent() -> list[str]:
    value = session.get("u", [])
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def mark_seen(flag_ids: list[str]) -> None:
    session["u"] = seen_urgent() + [f for f in flag_ids if f not in seen_urgent()]


def go_after_urgent(where: Where) -> None:
    session["next"] = [
        where.page_id or "",
        where.changing,
        where.anchor or "",
        where.opened_summary,
    ]


def take_after_urgent(rules: Catalogue) -> Where:
    """Where the urgent page sends the person on; only pages of these rules (a tampered or
    stale value goes to check answers)."""
    value = session.pop("next", None)
    if isinstance(value, list) and len(value) == 4 and isinstance(value[0], str):
        page_id, changing, anchor, opened = value
        if not page_id or Journey(rules, {}).page(page_id) is not None:
            return Where(
                page_id or None,
                bool(changing),
                anchor if isinstance(anchor, str) and anchor else None,
                bool(opened),
            )
    return Where(None)


# -- questions a change revealed -------------------------------------------------------------


def todo() -> list[str]:
    value = session.get("todo", [])
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def set_todo(ids: tuple[str, ...]) -> None:
    if ids:
        session["todo"] = list(ids)
    else:
        session.pop("todo", None)


# -- a form with errors, kept for the next GET (post/redirect/get) --------------------------


@dataclass(frozen=True)
class KeptForm:
    data: MultiDict[str, str]
    csrf_expired: bool = False  # the page was open so long its CSRF token expired
    too_long: bool = False  # saving it would have overfilled the cookie


def keep_form(
    page_id: str,
    formdata: MultiDict[str, str],
    *,
    csrf_expired: bool = False,
    too_long: bool = False,
) -> bool:
    """Keep what was typed on a page with errors; False when it would not fit in the cookie."""
    fields = {k: formdata.getlist(k) for k in formdata if k != "csrf_token"}
    data = dict(session)
    data["form"] = [page_id, fields, csrf_expired, too_long]
    interface = current_app.session_interface
    measure = getattr(interface, "cookie_bytes", None)
    if measure is not None and measure(current_app, data, session) > MAX_COOKIE_BYTES:
        return False
    session["form"] = data["form"]
    return True


def kept_form(page_id: str) -> KeptForm | None:
    """The typed form kept for this page, if its last POST had errors."""
    value = session.get("form")
    if not (isinstance(value, list) and len(value) == 4 and value[0] == page_id):
        return None
    fields = value[1] if isinstance(value[1], dict) else {}
    pairs = [
        (str(k), str(v))
        for k, values in fields.items()
        for v in (values if isinstance(values, list) else [])
    ]
    return KeptForm(MultiDict(pairs), bool(value[2]), bool(value[3]))


def drop_form() -> None:
    session.pop("form", None)
