"""The fast-register portal: a WeChat third-party platform's merchant self-service site."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf import CSRFProtect

from portal import config as settings

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


class ConfigError(RuntimeError):
    """The app refuses to start: the message lists every problem."""


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
    if app.config["ENV"] == "production":
        problems = settings.problems(app.config)
        if problems:
            raise ConfigError("refusing to start in production:\n" + "\n".join(problems))
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    csrf.init_app(app)

    from portal import cli, db, timefmt

    db.init_app(app)
    cli.init_app(app)
    timefmt.init_app(app)

    from portal.callbacks import bp as callbacks_bp

    csrf.exempt(callbacks_bp)
    app.register_blueprint(callbacks_bp)

    from portal.health import bp as health_bp

    app.register_blueprint(health_bp)
    return app
