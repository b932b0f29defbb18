"""The operator's go-live setup (docs/golive.md, "Who may change what"): the template to
deploy, the ext_json template, the domains and the way to set them, privacy defaults, the
audit form and the release policy. Stored in the database (``golive_platform``, one
JSON value per field), edited on the admin's 上线设置 page (/admin/golive), explained by
check-config, read by the go-live steps; the rules are in ``platform_rules``.

Pages never call WeChat. The template list is what the worker last fetched
(``templates``). What the platform itself must tell WeChat is asked for with
``request`` and done by the worker's ``templates_sync`` kind, which claims one request
at a time (``golive_platform_work``): fetch the lists (TEMPLATES), add a draft to the library
(ADD_DRAFT), register Way 1's domains on the platform (DOMAINS, asked by ``save`` when
they change) and learn the permission sets of authorizers whose func_info is unknown
(PERMISSIONS).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import sqlite_utils

from portal.db import first, insert, transaction
from portal.golive import platform_rules as rules
from portal.golive.platform_rules import CONTACTS, DEFAULT_EXT_JSON, SERVER_KINDS
from portal.wechat.miniprogram.templates import STANDARD, Template, TemplateDraft

TEMPLATES, ADD_DRAFT, DOMAINS, PERMISSIONS = "templates", "add_draft", "domains", "permissions"
FETCHED_AT = "templates_fetched_at"  # a golive_platform key beside the setup's fields


@dataclass(frozen=True)
class PlatformSetup:
    template_id: int | None = None
    template_version: str = ""
    ext_json_template: str = DEFAULT_EXT_JSON
    server_domains: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {kind: () for kind in SERVER_KINDS}
    )
    webview_domains: tuple[str, ...] = ()
    domain_way: str = "platform"
    privacy_contact: dict[str, str] = field(default_factory=dict)
    privacy_notice_method: str = "弹窗"
    privacy_purposes: dict[str, str] = field(default_factory=dict)
    audit_items: tuple[dict, ...] = ()
    release_policy: str = "auto"

    def render_ext_json(self, facts: Mapping[str, str]) -> str:
        """The ext_json string ``commit`` sends for one mini program: each placeholder
        filled with its fact, JSON-escaped; ``extAppid`` is always the appid (first)."""
        data = rules.parse_ext_json(rules.fill(self.ext_json_template, facts))
        data.pop("extAppid", None)
        data = {"extAppid": str(facts.get("appid", "")), **data}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def problems(self) -> list[str]:
        """What is missing or wrong, in Chinese, one line each (empty: ready)."""
        out = []
        if self.template_id is None:
            out.append(
                "未选择代码模板：请在“上线设置”页点“刷新列表”，从平台的模板库中选择要部署的模板。"
            )
        elif not self.template_version:
            out.append("所选模板没有版本号（user_version）：请刷新模板列表后重新选择。")
        if problem := rules.ext_json_problem(self.ext_json_template):
            out.append(problem)
        if not any(self.server_domains.values()):
            out.append(
                "未填写服务器域名：小程序无法访问贵平台的服务器（至少填写 request 合法域名）。"
            )
        if not any(self.privacy_contact.get(key) for key in CONTACTS):
            out.append(
                "隐私保护指引缺少联系方式：请至少填写电话、邮箱、微信号或 QQ 之一（否则微信返回 86069）。"
            )
        if not self.privacy_notice_method:
            out.append("未填写隐私告知方式（如“弹窗”）：否则设置隐私时微信返回 86069。")
        if not self.audit_items:
            out.append("审核表单没有页面：请至少填写一个提交审核的页面（页面路径、标签、标题）。")
        return out


SAVED = tuple(f.name for f in fields(PlatformSetup))


def _loaded(name: str, value: Any) -> Any:
    if name == "server_domains":
        return {kind: tuple(value.get(kind, ())) for kind in SERVER_KINDS}
    if name in ("webview_domains", "audit_items"):
        return tuple(value)
    return value


def get(db: sqlite_utils.Database) -> PlatformSetup:
    """The setup as saved; defaults for what never was."""
    rows = db.execute("SELECT key, value FROM golive_platform").fetchall()
    saved = {key: json.loads(value) for key, value in rows if key in SAVED}
    return PlatformSetup(**{name: _loaded(name, value) for name, value in saved.items()})


def _chosen_template(db: sqlite_utils.Database, clean: dict[str, Any]) -> None:
    """A chosen template must be an ordinary one of the fetched list (when there is
    one); its user_version comes from the list unless given."""
    listed = {t["template_id"]: t for t in templates(db)}
    chosen = listed.get(clean["template_id"])
    if chosen is None and fetched_at(db) is not None:
        raise ValueError(
            f"模板 {clean['template_id']} 不在最近获取的模板列表中：请先刷新列表再选择。"
        )
    if chosen is not None and chosen["template_type"] == STANDARD:
        raise ValueError("标准模板已不能使用（它依赖的交易组件已下线）：请选择普通模板。")
    if chosen is not None and not clean.get("template_version"):
        clean["template_version"] = chosen["user_version"]
    if not clean.get("template_version"):
        raise ValueError("请填写模板的版本号（user_version），commit 需要它。")


def save(db: sqlite_utils.Database, **changes: Any) -> None:
    """Validate ``changes`` and store them, all or nothing (ValueError in Chinese).

    Way 1's domains, when they (or the way) change, are then registered on the
    platform by the worker (a DOMAINS request).
    """
    if unknown := set(changes) - set(rules.CLEAN):
        raise ValueError(f"未知的设置项：{'、'.join(sorted(unknown))}。")
    clean = {name: rules.CLEAN[name](value) for name, value in changes.items()}
    if clean.get("template_id") is not None:
        _chosen_template(db, clean)
    before, now = get(db), time.time()
    after = replace(before, **clean)
    moved = [n for n in ("server_domains", "webview_domains", "domain_way") if n in clean]
    changed = any(getattr(before, n) != getattr(after, n) for n in moved)
    with transaction(db):
        for name, value in clean.items():
            _put(db, name, value, now)
        if after.domain_way == "platform" and changed:
            request(db, DOMAINS)


def _put(db: sqlite_utils.Database, key: str, value: Any, now: float) -> None:
    db.execute(
        "INSERT OR REPLACE INTO golive_platform (key, value, updated_at) VALUES (?, ?, ?)",
        [key, json.dumps(value, ensure_ascii=False), now],
    )


def store_lists(
    db: sqlite_utils.Database, listed: Iterable[Template], drafts: Iterable[TemplateDraft]
) -> None:
    """Replace the fetched template list and drafts with WeChat's answer."""
    now = time.time()
    rows = [("template", t.template_id, t) for t in listed] + [
        ("draft", d.draft_id, d) for d in drafts
    ]
    with transaction(db):
        db.execute("DELETE FROM golive_templates")
        for kind, row_id, row in rows:
            if row_id is None:
                continue
            insert(db, "golive_templates", {
                "kind": kind, "id": row_id, "user_version": row.user_version,
                "user_desc": row.user_desc, "create_time": row.create_time,
                "template_type": getattr(row, "template_type", None), "draft_id": row.draft_id,
                "source_miniprogram": row.source_miniprogram, "fetched_at": now,
            })  # fmt: skip
        _put(db, FETCHED_AT, now, now)


def _listed(db: sqlite_utils.Database, kind: str, key: str) -> list[dict]:
    sql = (
        f"SELECT id AS {key}, user_version, user_desc, create_time, template_type, draft_id, "
        "source_miniprogram, fetched_at FROM golive_templates WHERE kind = ? ORDER BY id DESC"
    )
    return list(db.query(sql, [kind]))


def templates(db: sqlite_utils.Database) -> list[dict]:
    """The platform's template list as the worker last fetched it, newest first: each
    row's template_id, user_version, user_desc, create_time, template_type (0 ordinary,
    1 standard), draft_id, source_miniprogram and fetched_at."""
    return _listed(db, "template", "template_id")


def drafts(db: sqlite_utils.Database) -> list[dict]:
    """The drafts uploaded from the development mini program, as last fetched."""
    return _listed(db, "draft", "draft_id")


def fetched_at(db: sqlite_utils.Database) -> float | None:
    """When the worker last fetched the lists (None: never)."""
    row = first(db, "SELECT value FROM golive_platform WHERE key = ?", [FETCHED_AT])
    return None if row is None else float(json.loads(row["value"]))


def facts_for(db: sqlite_utils.Database, submission_id: int) -> dict[str, str] | None:
    """The placeholders' values for one submission (None if there is none). The status
    link's public id is never one: ext_json ships inside the mini program."""
    row = first(
        db,
        "SELECT s.id, s.appid, s.name, p.name AS partner FROM submissions s "
        "LEFT JOIN partners p ON p.id = s.partner_id WHERE s.id = ?",
        [submission_id],
    )
    if row is None:
        return None
    named = first(
        db,
        "SELECT t.input FROM setup_steps t JOIN setups s ON s.id = t.setup_id "
        "WHERE s.submission_id = ? AND t.step IN ('name', 'nickname')",
        [row["id"]],
    )
    given = json.loads(named["input"] or "{}") if named else {}
    given = given if isinstance(given, dict) else {}
    nickname = next((str(given[k]) for k in ("nick_name", "nickname", "name") if given.get(k)), "")
    return {
        "appid": row["appid"] or "",
        "company": row["name"] or "",
        "nickname": nickname,
        "partner": row["partner"] or "",
        "submission_id": str(row["id"]),
    }


def check(db: sqlite_utils.Database) -> list[str]:
    """``problems()`` plus what the stored lists add: a template gone from the library,
    Way 1's domains not (yet) registered on the platform."""
    setup = get(db)
    out = setup.problems()
    listed = {t["template_id"] for t in templates(db)}
    if setup.template_id is not None and fetched_at(db) and setup.template_id not in listed:
        out.append(f"所选模板 {setup.template_id} 已不在平台的模板库中：请刷新列表后重新选择。")
    has_domains = any(setup.server_domains.values()) or bool(setup.webview_domains)
    done = state(db).get(DOMAINS)
    if setup.domain_way == "platform" and has_domains:
        if done and done["error"] and not done["requested_at"]:
            out.append(
                f"域名登记到第三方平台失败（{done['endpoint'] or ''} errcode {done['errcode']}："
                f"{done['error']}）：处理后请在“上线设置”页点“重新登记”。"
            )
        elif not done or not done["done_at"]:
            out.append(
                "域名尚未登记到第三方平台（方式一）：后台会在几秒内登记；若一直如此，请检查后台进程。"
            )
    return out


# The platform-level work the worker does on request (the templates_sync kind).


def request(db: sqlite_utils.Database, name: str, detail: str = "", by: str = "") -> None:
    """Ask the worker for ``name`` (asking again while it waits only updates the ask)."""
    with transaction(db):
        db.execute(
            "INSERT INTO golive_platform_work (name, requested_at, requested_by, detail) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET requested_at = "
            "excluded.requested_at, requested_by = excluded.requested_by, "
            "detail = excluded.detail, not_before = NULL",
            [name, time.time(), by, detail],
        )


def state(db: sqlite_utils.Database) -> dict[str, dict]:
    """Each kind of work's row: asked (requested_at), answered (done_at, result) or
    refused (endpoint, errcode, error); result is decoded."""
    rows = db.query("SELECT * FROM golive_platform_work")
    return {row["name"]: {**row, "result": json.loads(row["result"] or "{}")} for row in rows}
