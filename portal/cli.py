"""Flask commands: ``check-config``, ``worker``, ``demo``; ``init-db`` lives in ``db``."""

from __future__ import annotations

import sqlite3
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal import accounts
from portal import config as settings
from portal.db import get_db
from portal.demo import demo_command
from portal.worker import worker_command


@click.command("check-config")
@with_appcontext
def check_config_command() -> None:
    """Explain every missing or malformed setting, one line each."""
    problems = settings.problems(current_app.config)
    for line in problems:
        click.echo(f"✗ {line}")
    for line in settings.warnings(current_app.config):
        click.echo(f"! {line}")
    click.echo(f"· {settings.register_api(current_app.config)[1]}")
    if problems:
        sys.exit(1)
    click.echo("✓ configuration looks complete.")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(accounts.ROLES), required=True)
@click.option(
    "--partner", "partner_name", help="The partner's name (created if new); partners only."
)
@click.password_option(help="Prompted for when not given.")
@with_appcontext
def create_user_command(username: str, role: str, partner_name: str | None, password: str) -> None:
    """Create a console account (admin, staff or partner)."""
    db = get_db()
    partner_id = None
    if role == "partner":
        if not partner_name:
            raise click.UsageError("a partner account needs --partner NAME")
        found = [p for p in accounts.list_partners(db) if p["name"] == partner_name]
        partner_id = found[0]["id"] if found else accounts.create_partner(db, partner_name)
    try:
        accounts.create_user(db, username, password, role, partner_id)
    except (ValueError, sqlite3.IntegrityError) as exc:
        raise click.ClickException(
            "that username is taken" if isinstance(exc, sqlite3.IntegrityError) else str(exc)
        ) from exc
    click.echo(f"Created {role} {username}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(check_config_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(demo_command)
