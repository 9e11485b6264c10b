"""The health check for load balancers and the rules editors' dashboard."""

from __future__ import annotations

from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from . import state

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    rules = state.current_rules()
    store = state.store()
    return jsonify(
        status="ok",
        rules_version=rules.meta.version,
        rules_hash=rules.content_hash,
        rules_file_ok=not store.errors,
        rules_serving_last_good_copy=store.using_last_good,
    )
