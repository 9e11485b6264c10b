"""The rules catalogue for clinicians and editors: every flag, when it fires, its sources."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..journey import pages_of
from ..rules.describe import describe
from . import state

bp = Blueprint("catalogue", __name__)


@bp.get("/rules")
def rules_catalogue() -> str:
    rules = state.current_rules()
    return render_template(
        "rules.html",
        describe=lambda cond: describe(cond, rules),
        pages=pages_of(rules),
        errors=state.store().errors,
    )
