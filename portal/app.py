"""The portal's app factory: settings, blueprints, security headers."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask, Response
from flask_wtf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import auth, brand, cli, db, errors, inputs, overload, privacy, timefmt
from portal import config as settings
from portal.admin import bp as admin_bp
from portal.api import bp as api_bp
from portal.callbacks import bp as callbacks_bp
from portal.health import bp as health_bp
from portal.merchant import bp as merchant_bp
from portal.partner import bp as partner_bp
from portal.paths import ROOT
from portal.staff import bp as staff_bp

csrf = CSRFProtect()


def security_headers(response: Response) -> Response:
    """No caching of pages (they show live state), no third-party anything."""
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    return response


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the portal: defaults, then ``PORTAL_`` environment variables, then overrides."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_mapping(settings.DEFAULTS)
    app.config.update(settings.from_environment())
    app.config.update(overrides or {})
    app.config["DATABASE"] = app.config["DATABASE"] or str(ROOT / "instance" / "portal.sqlite")
    app.config["REGISTER_API"] = settings.register_api(app.config)[0]
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_CONTENT_LENGTH"] or inputs.MAX_REQUEST_BYTES
    app.url_map.converters["int"] = inputs.IdConverter
    if app.config["ENV"] == "production":
        problems = settings.problems(app.config)
        if problems:
            raise settings.ConfigError("refusing to start in production:\n" + "\n".join(problems))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    app.config.update(
        PERMANENT_SESSION_LIFETIME=timedelta(hours=float(app.config["SESSION_HOURS"])),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["ENV"] == "production",
    )
    if int(app.config["TRUSTED_PROXIES"]):
        proxies = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    busy = overload.busy_page(brand.from_config(app.config))
    app.wsgi_app = overload.ShedOverload(app.wsgi_app, float(app.config["SHED_AFTER"]), busy)  # type: ignore[method-assign]
    csrf.init_app(app)

    db.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    privacy.init_app(app)
    cli.init_app(app)
    timefmt.init_app(app)
    brand.init_app(app)

    csrf.exempt(callbacks_bp)
    app.register_blueprint(callbacks_bp)

    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)

    for blueprint in (health_bp, merchant_bp, staff_bp, partner_bp, admin_bp):
        app.register_blueprint(blueprint)
    app.after_request(security_headers)
    return app
