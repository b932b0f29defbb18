"""What every go-live call checks before it runs, in WeChat's order: the verb, the token,
then the body.

- The verb: a GET-only call answers 43001 to a POST and a POST-only one 43002 to a GET
  (SETUP §9: "gettemplatelist 43001: it must be GET").
- The A-token (``?access_token=``, the authorizer_access_token the sandbox issued through
  api_query_auth / api_authorizer_token): unknown 40001, expired 42001, and a component
  token 48001 (SETUP §0, §9). It names the mini program: a token only ever works on its
  own appid.
- The C-token (``?access_token=`` or ``?component_access_token=``, SETUP §0): unknown or
  not a component token 40001, expired 42001.
- The body: a POST that needs one answers 44002 when it is empty and 47001 when it is
  not a JSON object (SETUP §6: release, getversioninfo).

Routes go on ``api.bp``, so the faults of /sandbox/faults (latency, timeouts, 5xx,
errcodes, expired tokens) apply to them as to every other call.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, g, jsonify, request

from portal.sandbox.api import bp, record_call
from portal.sandbox.miniprograms import model, timeline
from portal.sandbox.miniprograms.errors import errmsg
from portal.sandbox.state import one

GET, POST, ANY = "GET", "POST", "ANY"
View = Callable[..., Response]


def answer(errcode: int, **extra: Any) -> Response:
    """WeChat's JSON answer: errcode, errmsg and the fields of a success."""
    return jsonify({"errcode": errcode, "errmsg": errmsg(errcode), **extra})


def wrong_verb(verb: str) -> Response | None:
    if verb == GET and request.method != "GET":
        return answer(43001)
    if verb == POST and request.method != "POST":
        return answer(43002)
    return None


def json_body() -> tuple[dict[str, Any], int]:
    """The request's JSON object, or the errcode refusing it (44002 empty, 47001 not JSON)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}, 44002
    try:
        data = json.loads(raw)
    except ValueError:
        return {}, 47001
    return (data, 0) if isinstance(data, dict) else ({}, 47001)


def _token(names: tuple[str, ...]) -> dict | None:
    for name in names:
        value = request.args.get(name)
        if value:
            return one(g.sandbox_db, "SELECT * FROM tokens WHERE token = ?", [value])
    return None


def authorizer_token() -> tuple[str, int]:
    """(appid, 0) for a live A-token; ("", errcode) otherwise."""
    row = _token(("access_token",))
    if row is None:
        return "", 40001
    if row["kind"] != "authorizer":
        return "", 48001
    if row["expires_at"] <= time.time():
        return "", 42001
    return row["appid"], 0


def component_token() -> int:
    """0 for a live C-token; the errcode otherwise."""
    row = _token(("component_access_token", "access_token"))
    if row is None or row["kind"] != "component":
        return 40001
    return 42001 if row["expires_at"] <= time.time() else 0


def _route(path: str, name: str, handler: Callable[[], Response]) -> None:
    handler.__name__ = f"golive_{name}"
    bp.add_url_rule(path, endpoint=f"golive_{name}", view_func=handler, methods=["GET", "POST"])


def a_call(path: str, verb: str, body: bool | None = None) -> Callable[[View], View]:
    """Register ``view(mp, data)`` at ``path`` for the A-token. ``body``: parse a JSON
    object (default: for POST calls); ``data`` is {} otherwise."""
    wants_body = verb == POST if body is None else body

    def register(view: View) -> View:
        name = path.rsplit("/", 1)[-1]

        @functools.wraps(view)
        def handler() -> Response:
            refused = wrong_verb(verb)
            if refused is not None:
                return refused
            appid, failed = authorizer_token()
            if failed:
                return answer(failed)
            db = g.sandbox_db
            timeline.advance(db, current_app.config)
            mp = model.load(db, appid)
            if mp is None:
                return answer(61003)  # a token the sandbox issued always has its task
            data: dict[str, Any] = {}
            if wants_body and request.method == "POST":
                data, failed = json_body()
                if failed:
                    return answer(failed)
            record_call(name)
            return view(mp, data)

        _route(path, name, handler)
        return view

    return register


def c_call(path: str, verb: str) -> Callable[[View], View]:
    """Register ``view(data)`` at ``path`` for the C-token (the platform's own calls)."""

    def register(view: View) -> View:
        name = path.rsplit("/", 1)[-1]

        @functools.wraps(view)
        def handler() -> Response:
            refused = wrong_verb(verb)
            if refused is not None:
                return refused
            failed = component_token()
            if failed:
                return answer(failed)
            data: dict[str, Any] = {}
            if verb == POST:
                data, failed = json_body()
                if failed:
                    return answer(failed)
            record_call(name)
            return view(data)

        _route(path, name, handler)
        return view

    return register


def integer(value: Any) -> int | None:
    """An id sent as a number (or a string of digits, as some SDKs do); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def settings() -> dict[str, Any]:
    return current_app.config  # type: ignore[return-value]
