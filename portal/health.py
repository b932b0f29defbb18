"""Platform health: is the ticket fresh, is there a token, is WeChat answering."""

from __future__ import annotations

import time

import sqlite_utils
from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from portal.db import get_db
from portal.wechat.tokens import TICKET, TOKEN, get_credential

bp = Blueprint("health", __name__)
TICKET_STALE_AFTER = 20 * 60  # WeChat pushes one every 10 minutes


def platform_health(db: sqlite_utils.Database, now: float | None = None) -> dict:
    """Facts an operator needs first: ticket age, token expiry, today's calls and errors."""
    now = time.time() if now is None else now
    ticket = get_credential(db, TICKET)
    token = get_credential(db, TOKEN)
    day_start = now - now % 86400
    calls, errors = db.execute(
        "SELECT count(*), coalesce(sum(errcode IS NULL OR errcode != 0), 0) "
        "FROM api_calls WHERE at >= ?",
        [day_start],
    ).fetchone()
    ticket_age = None if ticket is None else now - ticket["updated_at"]
    return {
        "ticket_age_seconds": None if ticket_age is None else round(ticket_age),
        "ticket_stale": ticket_age is None or ticket_age > TICKET_STALE_AFTER,
        "token_expires_in_seconds": None
        if token is None
        else round((token["expires_at"] or 0) - now),
        "api_calls_today": calls,
        "api_errors_today": errors,
    }


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness and the platform's key facts, for load balancers and monitoring."""
    return jsonify({"ok": True, **platform_health(get_db())})
