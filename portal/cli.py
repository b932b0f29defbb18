"""Flask commands: ``check-config``, ``worker``, ``demo``; ``init-db`` lives in ``db``."""

from __future__ import annotations

import sqlite3
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal import accounts
from portal import config as settings
from portal.backup import backup_command
from portal.db import get_db
from portal.demo import demo_command
from portal.registration import retention
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
    for line in settings.platform_page(current_app.config):
        click.echo(f"· {line}")
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


@click.command("purge-personal-data")
@click.option("--dry-run", is_flag=True, help="Only count what would be purged.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Purge personal data kept PORTAL_PERSONAL_DATA_DAYS past a submission's end."""
    days = float(current_app.config["PERSONAL_DATA_DAYS"])
    if days <= 0:
        click.echo("PORTAL_PERSONAL_DATA_DAYS is 0: personal data is kept; nothing to do.")
        return
    count = retention.run(get_db(), days, actor="purge-personal-data", dry_run=dry_run)
    verb = "would be purged" if dry_run else "purged"
    click.echo(f"{count} submissions {verb} (ended more than {days:g} days ago).")


def init_app(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(check_config_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(purge_command)
