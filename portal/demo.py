"""``flask --app portal demo``: the whole product on one machine, for a first look."""

from __future__ import annotations

import json
import logging
import os
import signal
import time
from pathlib import Path

import click

from portal import accounts, links
from portal.db import connect, migrate
from portal.golive import seed
from portal.paths import ROOT
from portal.stack import new_credentials, start_stack

DEMO_DIR = ROOT / "instance" / "demo"
DEMO_LOGINS = [
    ("admin", "demo-admin-pass", "admin", None),
    ("staff", "demo-staff-pass", "staff", None),
    ("partner", "demo-partner-pass", "partner", "示例代理商"),
]
#: Realistic pacing: WeChat's check takes a while, the legal person has 24 hours.
DEMO_ENV = {
    "PORTAL_SANDBOX_CHECK_DELAY": "15",
    "PORTAL_SANDBOX_RESEND_DELAY": "3",
    "PORTAL_SEARCH_SCHEDULE": "60,300,1800,7200",
    "PORTAL_WORKER_INTERVAL": "1",
    # The merchant's ICP filing is done 20 s after the mini program has its name, avatar,
    # introduction and category (before the 30 s audit ends): step 8 moves to 已备案 by
    # the release. Real filing takes 1-20 working days.
    "PORTAL_SANDBOX_ICP_FILED_AFTER": "20",
    "PORTAL_SUBMISSIONS_PER_HOUR": "100",  # one person tries many companies from one address
    "PORTAL_PLATFORM_NAME": "沙箱演示服务平台",
    "PORTAL_PLATFORM_SHORT_NAME": "演示平台",
    "PORTAL_PLATFORM_TAGLINE": "帮门店免费注册微信小程序",
    "PORTAL_SUPPORT_PHONE": "400-000-0000",
    "PORTAL_SUPPORT_WECHAT": "demo_support",
    "PORTAL_SUPPORT_HOURS": "工作日 9:00–18:00",
    # Merchants who tick 接收短信通知 get their texts on the sandbox's phone page (/sandbox/sms/).
    "PORTAL_SMS_PROVIDER": "sandbox",
}


def _credentials(path: Path) -> dict[str, str]:
    """Keep the demo's platform credentials across runs, so its database stays usable."""
    if not path.exists():
        path.write_text(json.dumps(new_credentials(), indent=2))
    return json.loads(path.read_text())


def _seed_logins(database: Path) -> None:
    db = connect(str(database))
    migrate(db)
    if db.execute("SELECT count(*) FROM users").fetchone()[0] == 0:
        for username, password, role, partner in DEMO_LOGINS:
            partner_id = accounts.create_partner(db, partner) if partner else None
            accounts.create_user(db, username, password, role, partner_id)
            if partner_id:
                links.create(db, partner_id, "演示链接")
    db.conn.close()


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


@click.command("demo")
@click.option("--port", default=8000, show_default=True, help="The portal's port.")
@click.option("--sandbox-port", default=8001, show_default=True)
def demo_command(port: int, sandbox_port: int) -> None:
    """Start sandbox + portal + worker with a demo database; Ctrl-C stops all three."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # A SIGTERM (systemd, timeout, CI) stops the three processes like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    _seed_logins(DEMO_DIR / "portal.sqlite")
    env = {**DEMO_ENV, **_credentials(DEMO_DIR / "credentials.json")}
    public = os.environ.get("PORTAL_PUBLIC_URL") or f"http://127.0.0.1:{port}"
    env["PORTAL_PUBLIC_URL"] = public  # the texts' find-page link
    stack = start_stack(DEMO_DIR, env=env, portal_port=port, sandbox_port=sandbox_port)
    click.echo(f"\n  Portal:        {stack.portal_url}/")
    click.echo(f"  WeChat sandbox: {stack.sandbox_url}/sandbox/")
    click.echo(f"  Phones' texts:  {stack.sandbox_url}/sandbox/sms/")
    click.echo(f"  Logs:          {DEMO_DIR}/*.log")
    click.echo(f"  Console login: {stack.portal_url}/login")
    click.echo("  Demo logins:")
    for username, password, role, _ in DEMO_LOGINS:
        click.echo(f"    {role:8} {username} / {password}")
    click.echo("\n  Press Ctrl-C to stop all three processes.\n")
    db = connect(str(DEMO_DIR / "portal.sqlite"))
    seed.ask(db)  # the go-live setup: the sandbox's demo template, once the worker fetched it
    seeded = False
    try:
        while all(p.poll() is None for p in stack.processes.values()):
            seeded = seeded or seed.finish(db, DEMO_ENV["PORTAL_SUPPORT_PHONE"])
            time.sleep(0.5)
        click.echo("A process exited; stopping the others. See the logs above.")
    except KeyboardInterrupt:
        click.echo("\nStopping…")
    finally:
        db.conn.close()
        stack.stop()
