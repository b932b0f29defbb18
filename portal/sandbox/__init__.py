"""A stand-alone fake of WeChat's side, run as its own process on loopback.

Same paths and JSON shapes as ``api.weixin.qq.com``; pointing ``PORTAL_WECHAT_API_BASE``
at it is the only difference between the demo and production. It shares the
platform's credentials (``PORTAL_WECHAT_*``) with the portal and has its own
settings (``PORTAL_SANDBOX_*``).
"""

from __future__ import annotations

import os
from typing import Any

import click
from flask import Flask, current_app, g
from werkzeug.serving import run_simple

from portal import timefmt
from portal.db import connect
from portal.paths import ROOT
from portal.sandbox import api, authorizations, pusher, simulator, sms  # noqa: F401 (routes)
from portal.sandbox.miniprograms import (  # noqa: F401 (routes on api.bp)
    audit,
    basic,
    categories,
    commit,
    domains,
    icp,
    library,
    media,
    pages,
    platform_domains,
    privacy,
    release,
    testers,
)
from portal.sandbox.state import open_db

DEFAULTS: dict[str, Any] = {
    "SANDBOX_DATABASE": "",  # empty: instance/sandbox.sqlite inside the project
    "SANDBOX_EVENT_URL": "http://127.0.0.1:8000/wechat/events",
    "SANDBOX_TICKET_INTERVAL": 600.0,
    "SANDBOX_CHECK_DELAY": 20.0,
    "SANDBOX_LEGAL_PERSON_WINDOW": 86400.0,
    "SANDBOX_RESEND_DELAY": 5.0,
    "SANDBOX_TOKEN_LIFETIME": 7200.0,
    "SANDBOX_DAILY_QUOTA": 1000,
    "SANDBOX_BACKGROUND": False,
    # The mini programs' go-live APIs (miniprograms/): where the audit pushes go (the
    # platform's 消息与事件接收URL; $APPID$ becomes the mini program's appid), how long
    # WeChat's audits and scans take (seconds), and the platform's quotas.
    "SANDBOX_MESSAGE_URL": "http://127.0.0.1:8000/wechat/messages/$APPID$",
    "SANDBOX_AUDIT_DELAY": 30.0,
    "SANDBOX_NAME_AUDIT_DELAY": 20.0,
    "SANDBOX_CATEGORY_AUDIT_DELAY": 20.0,
    "SANDBOX_PRIVACY_SCAN": 5.0,
    "SANDBOX_SPEEDUP_DELAY": 5.0,
    "SANDBOX_SUBMIT_QUOTA": 20,
    "SANDBOX_SPEEDUP_QUOTA": 3,
    "SANDBOX_TESTER_LIMIT": 15,
    # Seconds after a mini program has its basic information and an approved category
    # at which the merchant's own ICP filing is done (6); None or "": never (the strict
    # default: release answers 85020 until filed). Read by miniprograms/icp.py.
    "SANDBOX_ICP_FILED_AFTER": None,
    # The platform's credentials, shared with the portal (same PORTAL_WECHAT_* variables).
    "WECHAT_COMPONENT_APPID": "",
    "WECHAT_COMPONENT_APPSECRET": "",
    "WECHAT_TOKEN": "",
    "WECHAT_ENCODING_AES_KEY": "",
    "WECHAT_REGISTER_API": "",
    # The platform's name as WeChat shows it to the legal person (same PORTAL_PLATFORM_NAME).
    "PLATFORM_NAME": "",
}
_NUMERIC = {
    k: type(v)
    for k, v in DEFAULTS.items()
    if isinstance(v, int | float) and not isinstance(v, bool)
}


def _environment() -> dict[str, Any]:
    """The sandbox's settings found in ``PORTAL_`` environment variables."""
    found = {
        name[len("PORTAL_") :]: value
        for name, value in os.environ.items()
        if name.startswith("PORTAL_") and name[len("PORTAL_") :] in DEFAULTS
    }
    for key, kind in _NUMERIC.items():
        if key in found:
            found[key] = kind(found[key])
    if "SANDBOX_BACKGROUND" in found:
        found["SANDBOX_BACKGROUND"] = found["SANDBOX_BACKGROUND"] in ("1", "true")
    return found


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the sandbox: shared ``PORTAL_WECHAT_*`` settings plus ``PORTAL_SANDBOX_*``."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(DEFAULTS)
    app.config.update(_environment())
    app.config.update(overrides or {})
    if not app.config["SANDBOX_DATABASE"]:
        app.config["SANDBOX_DATABASE"] = str(ROOT / "instance" / "sandbox.sqlite")

    open_db(app.config["SANDBOX_DATABASE"]).conn.close()

    @app.before_request
    def open_connection() -> None:
        g.sandbox_db = connect(app.config["SANDBOX_DATABASE"])

    @app.teardown_request
    def close_connection(_exc: BaseException | None) -> None:
        db = g.pop("sandbox_db", None)
        if db is not None:
            db.conn.close()

    timefmt.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(simulator.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(sms.bp)  # the SMS twin and the phones' page
    app.cli.add_command(_serve_command())
    if app.config["SANDBOX_BACKGROUND"]:
        pusher.start_background(app.config["SANDBOX_DATABASE"], dict(app.config))
    return app


def _serve_command() -> click.Command:
    @click.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=8001, show_default=True)
    def serve(host: str, port: int) -> None:
        """Serve the sandbox and run WeChat's side of things (pushes) in the background."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        pusher.start_background(app.config["SANDBOX_DATABASE"], dict(app.config))
        run_simple(host, port, app, threaded=True)

    return serve
