"""The tables of the mini-program model, appended to the sandbox's numbered migrations."""

from __future__ import annotations

import json

#: The platform's development mini program (开发小程序) whose drafts the library starts with.
DEV_APPID, DEV_NAME = "wx5a4d3c2b1a0f9e8d", "沙箱开发小程序"
LITE_APPID, LITE_NAME = "wx0f1e2d3c4b5a6978", "沙箱简版开发小程序"
#: The demo template's pages and the privacy keys and location APIs its code uses.
DEMO_PAGES = ["pages/index/index", "pages/shop/shop", "pages/order/order", "pages/mine/mine"]
DEMO_PRIVACY = ["Location", "PhoneNumber", "Album"]
DEMO_LOCATION = ["getLocation"]
LITE_PAGES = ["pages/index/index", "pages/about/about"]


def _draft(
    draft_id: int,
    appid: str,
    name: str,
    version: str,
    desc: str,
    pages: list,
    keys: list,
    apis: list,
) -> str:
    values = [
        draft_id,
        version,
        desc,
        1767225600 + draft_id,
        appid,
        name,
        "沙箱开发者",
        json.dumps(pages),
        json.dumps(keys),
        json.dumps(apis),
    ]
    return "INSERT INTO drafts VALUES ({});".format(", ".join(_sql(v) for v in values))


def _sql(value: object) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


TABLES = """
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'event';
ALTER TABLE outbox ADD COLUMN appid TEXT;
CREATE TABLE miniprograms (
    appid TEXT PRIMARY KEY,
    principal_name TEXT NOT NULL,
    credential TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    head_image_media TEXT,
    signature TEXT NOT NULL DEFAULT '',
    privacy TEXT,
    privacy_live TEXT,
    privacy_updated REAL,
    domain_mode TEXT,
    domains TEXT NOT NULL DEFAULT '{}',
    revert_blocked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE changes (id INTEGER PRIMARY KEY, appid TEXT, what TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX changes_what ON changes(what, appid, at);
CREATE TABLE media (
    media_id TEXT PRIMARY KEY,
    appid TEXT NOT NULL,
    source TEXT NOT NULL,
    type TEXT NOT NULL,
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    data BLOB,
    created_at REAL NOT NULL
);
CREATE TABLE name_audits (
    audit_id INTEGER PRIMARY KEY,
    appid TEXT NOT NULL,
    nickname TEXT NOT NULL,
    status INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    ends_at REAL NOT NULL,
    audit_time REAL
);
CREATE TABLE mp_categories (
    id INTEGER PRIMARY KEY,
    appid TEXT NOT NULL,
    first INTEGER NOT NULL,
    second INTEGER NOT NULL,
    certicates TEXT NOT NULL DEFAULT '[]',
    status INTEGER NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pass',
    reason TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    ends_at REAL NOT NULL,
    UNIQUE (appid, first, second)
);
CREATE TABLE drafts (
    draft_id INTEGER PRIMARY KEY,
    user_version TEXT NOT NULL,
    user_desc TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    source_miniprogram_appid TEXT NOT NULL,
    source_miniprogram TEXT NOT NULL,
    developer TEXT NOT NULL,
    pages TEXT NOT NULL,
    privacy_keys TEXT NOT NULL,
    location_apis TEXT NOT NULL
);
CREATE TABLE code_templates (
    template_id INTEGER PRIMARY KEY,
    draft_id INTEGER NOT NULL,
    template_type INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    user_version TEXT NOT NULL,
    user_desc TEXT NOT NULL,
    source_miniprogram_appid TEXT NOT NULL,
    source_miniprogram TEXT NOT NULL,
    developer TEXT NOT NULL,
    pages TEXT NOT NULL,
    privacy_keys TEXT NOT NULL,
    location_apis TEXT NOT NULL
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    appid TEXT NOT NULL,
    template_id INTEGER NOT NULL,
    user_version TEXT NOT NULL,
    user_desc TEXT NOT NULL,
    ext_json TEXT NOT NULL,
    pages TEXT NOT NULL,
    privacy_keys TEXT NOT NULL,
    location_apis TEXT NOT NULL,
    declared_apis TEXT NOT NULL,
    committed_at REAL NOT NULL,
    scan_until REAL NOT NULL
);
CREATE TABLE audits (
    auditid INTEGER PRIMARY KEY,
    appid TEXT NOT NULL,
    version_id INTEGER NOT NULL,
    status INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    screenshot TEXT NOT NULL DEFAULT '',
    privacy TEXT,
    submitted_at REAL NOT NULL,
    ends_at REAL NOT NULL,
    speedup INTEGER NOT NULL DEFAULT 0,
    finished_at REAL,
    released_at REAL
);
CREATE TABLE releases (
    id INTEGER PRIMARY KEY,
    appid TEXT NOT NULL,
    version_id INTEGER NOT NULL,
    auditid INTEGER NOT NULL,
    released_at REAL NOT NULL,
    reverted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE testers (
    appid TEXT NOT NULL,
    wechatid TEXT NOT NULL,
    userstr TEXT NOT NULL,
    bound_at REAL NOT NULL,
    PRIMARY KEY (appid, wechatid)
);
CREATE TABLE platform_domains (
    kind TEXT NOT NULL,
    domain TEXT NOT NULL,
    testing INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, domain)
);
"""

SEED = "\n".join(
    [
        _draft(1, LITE_APPID, LITE_NAME, "0.9.0", "简版模板：首页与关于我们", LITE_PAGES, [], []),
        _draft(
            2,
            DEV_APPID,
            DEV_NAME,
            "1.0.0",
            "门店小程序演示模板：首页、商城、订单、我的",
            DEMO_PAGES,
            DEMO_PRIVACY,
            DEMO_LOCATION,
        ),
    ]
)

#: Migration 3 of the sandbox's database.
MIGRATION = TABLES + SEED
