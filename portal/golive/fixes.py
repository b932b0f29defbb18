"""After a rejected (or withdrawn) audit: what the merchant changed, and what the
resubmission must do again because of it.

The deploy keeps what it used: ``committed`` (the template and a digest of the
``ext_json`` it committed) and ``submitted_with`` (each merchant step's
``steps.fingerprint`` at submit). A resubmission compares them with now:

- a step whose fingerprint differs changed (the merchant saved it again with other
  input; the worker sets it on WeChat again, as any given step);
- if the ``ext_json`` the deploy would commit now differs (the name is one of its
  placeholders) or the operator chose another template, the code is committed again:
  a new version, its privacy scan, then the submit;
- otherwise the same version is submitted again, with the merchant's ``feedback_info``.

Until every changed step is done at WeChat the deploy waits (``todo``); the last one
done makes it due (``outcomes._unlock``), so the audit never runs ahead of a change.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlite_utils

from portal.golive import platform
from portal.golive import steps as st

TITLES = {st.NAME: "名称", st.AVATAR: "头像", st.INTRO: "简介", st.CATEGORY: "类目"}


def ext_json_digest(ext_json: str) -> str:
    return hashlib.sha256(ext_json.encode()).hexdigest()[:32]


def committed(template_id: int | None, version: str, ext_json: str) -> dict:
    """What the deploy keeps of a commit (beside its result)."""
    return {"template_id": template_id, "version": version, "ext_json": ext_json_digest(ext_json)}


def ext_json_now(db: sqlite_utils.Database, setup: dict) -> str | None:
    """The ext_json a commit would send now (None: the operator's template is broken)."""
    facts = platform.facts_for(db, setup["submission_id"])
    if facts is None:
        return None
    try:
        return platform.get(db).render_ext_json(facts)
    except ValueError:
        return None


@dataclass(frozen=True)
class Plan:
    changed: tuple[str, ...]  # merchant steps changed since the last submit
    recommit: bool  # the code must be committed again (a new version)
    pending: tuple[str, ...]  # merchant steps not yet done at WeChat

    @property
    def phase(self) -> str:
        return "commit" if self.recommit else "submit"

    def words(self, names: tuple[str, ...]) -> str:
        return "、".join(TITLES[name] for name in names)

    def detail(self, feedback: str) -> str:
        """The timeline's line: what really happened (each names 重新提交审核)."""
        if self.changed:
            said = f"商户已修改{self.words(self.changed)}"
            if feedback:
                said += "并补充了说明"
            wait = f"等{self.words(self.pending)}设置好后" if self.pending else ""
            again = ""
            if self.recommit:
                again = "重新上传代码（新版本），再" if self.pending else "重新上传代码（新版本）后"
            same = "" if self.recommit else "（同一版本）"
            return f"{said}，{wait}{again}重新提交审核{same}"
        if feedback:
            return "商户补充了说明，重新提交审核（同一版本）"
        return "商户未修改内容，重新提交审核（同一版本）"


def plan(db: sqlite_utils.Database, setup_id: int) -> Plan:
    setup = st.get(db, setup_id) or {}
    rows = st.steps(db, setup_id)
    deploy = rows[st.DEPLOY]
    before = deploy["result"].get("submitted_with")
    if isinstance(before, dict):
        now = st.fingerprints(db, setup_id)
        changed = tuple(name for name in st.MERCHANT_STEPS if now[name] != before.get(name))
    else:  # a deploy from before fingerprints were kept: what was given after it
        since = deploy["done_at"] or 0
        changed = tuple(n for n in st.MERCHANT_STEPS if (rows[n]["given_at"] or 0) > since)
    kept = deploy["result"].get("committed")
    if isinstance(kept, dict) and setup:
        ext_json = ext_json_now(db, setup)
        template = platform.get(db).template_id
        recommit = (
            ext_json is None
            or ext_json_digest(ext_json) != kept.get("ext_json")
            or template != kept.get("template_id")
        )
    else:
        recommit = st.NAME in changed  # the name is an ext_json placeholder
    # a step given again and not yet done at WeChat (never given: nothing to wait for)
    pending = tuple(n for n in st.MERCHANT_STEPS if rows[n]["state"] not in (st.DONE, st.TODO))
    return Plan(changed, recommit, pending)
