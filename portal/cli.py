"""Flask commands: ``check-config``, ``worker``, ``demo``; ``init-db`` lives in ``db``."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal import config as settings
from portal.demo import demo_command
from portal.worker import worker_command


@click.command("check-config")
@with_appcontext
def check_config_command() -> None:
    """Explain every missing or malformed setting, one line each."""
    problems = settings.problems(current_app.config)
    for line in problems:
        click.echo(f"✗ {line}")
    if problems:
        sys.exit(1)
    click.echo("✓ configuration looks complete.")


def init_app(app: Flask) -> None:
    app.cli.add_command(check_config_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(demo_command)
