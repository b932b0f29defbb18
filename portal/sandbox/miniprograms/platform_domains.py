"""The platform's own domain lists (SETUP §4 F, G, H), C-token: modify_wxa_server_domain,
modify_wxa_jump_domain and get_domain_confirmfile.

Domains are bare hosts joined by ";" (no protocol, no path, no port, no IP address and
never api.weixin.qq.com; anything else comes back in ``invalid_…``). Each list has a
test copy and a published one: ``is_modify_published_together`` false (the default)
changes only the test copy, which serves the platform's test mini programs; the
published copy is what the mini programs' own domain calls are checked against, and
the sandbox page's 全网发布 button copies the test lists to it, as publishing the
platform does. 50 changes a month for the platform (45104); at most 1000 server and
200 jump domains (85016).
"""

from __future__ import annotations

import re
import time

import sqlite_utils
from flask import Response, g

from portal.db import transaction
from portal.sandbox.miniprograms import limits, model
from portal.sandbox.miniprograms.calls import POST, answer, c_call

HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
FORBIDDEN_HOSTS = ("api.weixin.qq.com",)
ACTIONS = ("add", "delete", "set", "get")
KINDS = {"server": ("wxa_server_domain", limits.PLATFORM_SERVER_DOMAINS)}
KINDS["jump"] = ("wxa_jump_h5_domain", limits.PLATFORM_JUMP_DOMAINS)


def host_ok(host: str) -> bool:
    """A registrable host name: not an IP address, not WeChat's API host."""
    return bool(HOST.match(host)) and host not in FORBIDDEN_HOSTS


def listed(db: sqlite_utils.Database, kind: str, column: str = "published") -> list[str]:
    rows = db.query(
        f"SELECT domain FROM platform_domains WHERE kind = ? AND {column} = 1 ORDER BY domain",
        [kind],
    )
    return [row["domain"] for row in rows]


def registered(db: sqlite_utils.Database, kind: str, host: str) -> bool:
    """Whether ``host`` is on the platform's published ``kind`` list."""
    return host in listed(db, kind)


def publish(db: sqlite_utils.Database) -> None:
    """全网发布: the published lists become the test lists."""
    with transaction(db):
        db.execute("UPDATE platform_domains SET published = testing")
        db.execute("DELETE FROM platform_domains WHERE testing = 0 AND published = 0")


def _modify(kind: str, data: dict) -> Response:
    db, now = g.sandbox_db, time.time()
    field, cap = KINDS[kind]
    action = data.get("action")
    if action not in ACTIONS:
        return answer(40097)
    given = data.get(field, "")
    if not isinstance(given, str):
        return answer(40097)
    hosts = [h.strip() for h in given.split(";") if h.strip()]
    valid = [h for h in hosts if host_ok(h)]
    invalid = [h for h in hosts if not host_ok(h)]
    if action != "get":
        if model.count_changes(db, None, "platform_domain", model.month_start(now)) >= (
            limits.DOMAIN_CHANGES
        ):
            return answer(45104)
        current = set(listed(db, kind, "testing"))
        after = {"add": current | set(valid), "delete": current - set(valid)}.get(action)
        if len(set(valid) if after is None else after) > cap:
            return answer(85016)
        together = data.get("is_modify_published_together") is True
        columns = ["testing"] + (["published"] if together else [])
        with transaction(db):
            for column in columns:
                _apply(db, kind, column, action, valid)
            db.execute(
                "INSERT INTO changes (appid, what, at) VALUES (NULL, 'platform_domain', ?)", [now]
            )
            db.execute("DELETE FROM platform_domains WHERE testing = 0 AND published = 0")
    return answer(
        0,
        **{
            f"published_{field}": ";".join(listed(db, kind)),
            f"testing_{field}": ";".join(listed(db, kind, "testing")),
            f"invalid_{field}": ";".join(invalid),
        },
    )


def _apply(db: sqlite_utils.Database, kind: str, column: str, action: str, hosts: list) -> None:
    if action == "set":
        db.execute(f"UPDATE platform_domains SET {column} = 0 WHERE kind = ?", [kind])
    value = 0 if action == "delete" else 1
    for host in hosts:
        db.execute(
            "INSERT OR IGNORE INTO platform_domains (kind, domain) VALUES (?, ?)", [kind, host]
        )
        db.execute(
            f"UPDATE platform_domains SET {column} = ? WHERE kind = ? AND domain = ?",
            [value, kind, host],
        )


@c_call("/cgi-bin/component/modify_wxa_server_domain", POST)
def modify_wxa_server_domain(data: dict) -> Response:
    return _modify("server", data)


@c_call("/cgi-bin/component/modify_wxa_jump_domain", POST)
def modify_wxa_jump_domain(data: dict) -> Response:
    return _modify("jump", data)


@c_call("/cgi-bin/component/get_domain_confirmfile", POST)
def get_domain_confirmfile(_data: dict) -> Response:
    return answer(0, file_name="sandboxPlatformConfirm.txt", file_content="a1b2c3d4e5f6")
