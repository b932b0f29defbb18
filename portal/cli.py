"""Flask commands: ``check-config``, ``worker``, ``demo``; ``init-db`` lives in ``db``."""

from __future__ import annotations

import sqlite3
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal import accounts, litestream
from portal import config as settings
from portal.backup import backup_command
from portal.db import get_db
from portal.demo import demo_command
from portal.drill import restore_drill_command
from portal.golive import platform
from portal.golive.platform_rules import ext_json_problem
from portal.litestream import replicate_command
from portal.notify import settings as sms_settings
from portal.registration import retention
from portal.worker import worker_command


@click.command("check-config")
@with_appcontext
def check_config_command() -> None:
    """Explain every missing or malformed setting, one line each."""
    problems = settings.problems(current_app.config) + litestream.problems(current_app.config)
    for line in problems:
        click.echo(f"✗ {line}")
    for line in settings.warnings(current_app.config):
        click.echo(f"! {line}")
    click.echo(f"· {settings.register_api(current_app.config)[1]}")
    for line in sms_settings.lines(current_app.config):  # PORTAL_SMS_*: provider, templates
        click.echo(line)
    config = current_app.config
    off = not config["LITESTREAM_REPLICA_URL"] and config["ENV"] == "production"
    click.echo(f"{'!' if off else '·'} {litestream.describe(config)}")
    for line in settings.platform_page(current_app.config):
        click.echo(f"· {line}")
    for line in golive_lines():
        click.echo(line)
    if problems:
        sys.exit(1)
    click.echo("✓ configuration looks complete.")


WAYS = {
    "platform": "Way 1: the worker registers them on the platform (modify_wxa_server_domain, "
    "modify_wxa_jump_domain), then sets each mini program's (modify_domain)",
    "direct": "Way 2: set directly on each mini program (modify_domain_directly), nothing "
    "registered on the platform",
}
RELEASES = {"auto": "automatic once the audit passes", "confirm": "after the merchant confirms"}


def golive_lines() -> list[str]:
    """The operator's go-live setup (admin console → 上线设置, stored in the database)
    for check-config: what is set, then each problem. Problems are warnings: the
    registration works without them, only going live does not."""
    try:
        db = get_db()
        setup, problems = platform.get(db), platform.check(db)
    except sqlite3.Error as exc:
        return [f"! the go-live setup could not be read from the database: {exc}."]
    chosen = (
        f"template {setup.template_id} (user_version {setup.template_version or '?'})"
        if setup.template_id is not None
        else "no template chosen yet"
    )
    valid = "invalid" if ext_json_problem(setup.ext_json_template) else "valid JSON once filled"
    servers = sum(len(hosts) for hosts in setup.server_domains.values())
    contacts = ", ".join(k.removeprefix("contact_") for k in setup.privacy_contact) or "none"
    purposes = ", ".join(setup.privacy_purposes) or "no privacy key"
    lines = [
        f"· go-live setup (admin console → 上线设置, /admin/golive): {chosen}; "
        f"ext_json template {valid}.",
        f"· go-live domains: {servers} server and {len(setup.webview_domains)} web-view; "
        f"{WAYS.get(setup.domain_way, setup.domain_way)}.",
        f"· go-live privacy: contact {contacts}; notice method {setup.privacy_notice_method!r}; "
        f"purposes for {purposes}.",
        f"· go-live audit form: {len(setup.audit_items)} page(s); release "
        f"{RELEASES.get(setup.release_policy, setup.release_policy)}.",
    ]
    return lines + [f"! go-live: {problem}" for problem in problems]


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
    app.cli.add_command(replicate_command)
    app.cli.add_command(restore_drill_command)
