"""Go-live: put the code on the mini program and submit it for audit (SETUP.md §4, §6, §3).

One step in phases, each recorded before the next begins, so a restart goes on where it
stopped: ``domains`` (``modify_domain`` or its ``_directly`` twin, never both ways) →
``commit`` (the platform's template, this merchant's ``ext_json``; the trial QR code is
kept) → ``privacy`` (wait out the scan, 61039; set the keys WeChat detected) → ``submit``
(the month's quota first; an unanswered ``submit_audit`` is resolved with
``get_latest_auditstatus``, and 85009 adopts the audit that runs).
"""

from __future__ import annotations

import time

from portal.db import transaction
from portal.golive import audits, fixes, outcomes, platform
from portal.golive import quota as submit_quota
from portal.golive import steps as st
from portal.registration import retry
from portal.tasks import golive_common as common
from portal.tasks.context import Context
from portal.timefmt import month_start_after
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram.audit import AuditItem
from portal.wechat.miniprogram.domains import ServerDomains
from portal.wechat.miniprogram.privacy import OwnerSetting, PrivacyItem

NAME = "golive.deploy"
SCAN_RUNNING, AUDIT_RUNNING, NO_AUDIT = 61039, 85009, 85058
PHASES = ("domains", "commit", "privacy", "submit")
SCAN_WAIT = 5.0
#: The purpose shown for a privacy key the operator gave none for ("为了…").
DEFAULT_PURPOSE = "向你提供小程序的服务"


def due(ctx: Context, now: float) -> list[dict]:
    return common.due(ctx, (st.DEPLOY,), now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return common.claim(ctx, item, now)


def run(ctx: Context, item: dict) -> None:
    common.run(ctx, item, _deploy)


def _deploy(ctx: Context, setup: dict, row: dict) -> None:
    plat = platform.get(ctx.db)
    if problems := plat.problems():
        missing = WeChatError("golive.platform", None, "；".join(problems))
        outcomes.failed_try(ctx.db, setup["id"], st.DEPLOY, retry.OPERATOR, missing, 0)
        return
    phase = row["phase"] or PHASES[0]
    try:
        for name in PHASES[PHASES.index(phase) :]:
            outcomes.working(ctx.db, setup["id"], st.DEPLOY, ctx.timing.lease, phase=name)
            if not PHASE_WORK[name](ctx, setup, plat, st.step(ctx.db, setup["id"], st.DEPLOY)):
                return  # waits (a scan, the quota) or was handed on
    except WeChatError as exc:
        common.refused(ctx, setup, st.DEPLOY, exc)


def _domains(ctx: Context, setup: dict, plat, row: dict) -> bool:
    if any(plat.server_domains.values()):
        domains = ServerDomains(**{k: tuple(v) for k, v in plat.server_domains.items()})
        api = ctx.mp.domains
        set_domains = (
            api.modify_domain if plat.domain_way == "platform" else api.modify_domain_directly
        )
        common.call(ctx, setup, lambda token: set_domains(token, "set", domains))
    if plat.webview_domains:
        api = ctx.mp.domains
        set_webview = (
            api.set_webview_domain
            if plat.domain_way == "platform"
            else api.set_webview_domain_directly
        )
        common.call(ctx, setup, lambda token: set_webview(token, "set", plat.webview_domains))
    outcomes.progress(ctx.db, setup["id"], st.DEPLOY, "commit", {}, "服务器域名已设置")
    return True


def _commit(ctx: Context, setup: dict, plat, row: dict) -> bool:
    # the admin's preview and a resubmission's comparison use the same facts
    facts = platform.facts_for(ctx.db, setup["submission_id"]) or {"appid": setup["appid"]}
    ext_json = plat.render_ext_json(facts)
    version = plat.template_version or "1.0.0"
    common.call(
        ctx,
        setup,
        lambda token: ctx.mp.code.commit(
            token, plat.template_id, ext_json, version, "fast-register portal"
        ),
    )
    qr = common.call(ctx, setup, ctx.mp.code.get_qrcode)
    common.keep_file(ctx, setup, "trial_qr", "image/jpeg", qr)
    kept = {"committed": fixes.committed(plat.template_id, version, ext_json)}
    outcomes.progress(
        ctx.db, setup["id"], st.DEPLOY, "privacy", kept, "代码已上传，微信正在做隐私检测"
    )
    return True


def _privacy(ctx: Context, setup: dict, plat, row: dict) -> bool:
    try:
        common.call(ctx, setup, ctx.mp.privacy.get_code_privacy_info)
    except WeChatError as exc:
        if exc.errcode != SCAN_RUNNING:
            raise
        outcomes.later(ctx.db, setup["id"], st.DEPLOY, time.time() + SCAN_WAIT)
        return False
    found = common.call(ctx, setup, ctx.mp.privacy.get_privacy_setting)
    owner = OwnerSetting(**plat.privacy_contact, notice_method=plat.privacy_notice_method)
    items = [
        PrivacyItem(key, plat.privacy_purposes.get(key) or DEFAULT_PURPOSE)
        for key in found.privacy_list
    ]
    common.call(ctx, setup, lambda token: ctx.mp.privacy.set_privacy_setting(token, owner, items))
    outcomes.progress(
        ctx.db,
        setup["id"],
        st.DEPLOY,
        "submit",
        {"privacy_keys": list(found.privacy_list)},
        "隐私保护指引已设置",
    )
    return True


#: WeChat stamps an audit's submit time in whole seconds, on its own clock.
SUBMIT_CLOCK_SKEW = 5


def _adopt(ctx: Context, setup: dict, since: float, before: int | None = None):
    """The audit WeChat has for this mini program, if it was submitted after ``since``
    (by this attempt, whose answer was lost), whether it still runs or already ended;
    never ``before``, the audit an earlier submit of this step already had."""
    try:
        latest = common.call(ctx, setup, ctx.mp.audit.get_latest_audit_status)
    except WeChatError as exc:
        if exc.errcode == NO_AUDIT:
            return None
        raise
    fresh = (latest.submit_audit_time or 0) >= since - SUBMIT_CLOCK_SKEW
    if latest.auditid and latest.auditid != before and fresh:
        return latest
    return None


def _submit(ctx: Context, setup: dict, plat, row: dict) -> bool:
    started = row["result"].get("submit_started")
    previous = row["result"].get("auditid")  # the rejected audit a resubmission follows
    found = _adopt(ctx, setup, started, previous) if started else None
    if found is None and started and time.time() < started + ctx.timing.settle:
        # The submit got no answer and WeChat shows no audit of it yet; it may still
        # act on the request: look again once that window has passed, never submit twice.
        outcomes.later(ctx.db, setup["id"], st.DEPLOY, started + ctx.timing.settle)
        return False
    if found is None:
        quota = common.call(ctx, setup, ctx.mp.quota.query_quota)
        submit_quota.remember(ctx.db, quota, setup["appid"])  # the health page shows it
        if quota.rest <= 0:
            until = month_start_after(time.time())
            outcomes.later(ctx.db, setup["id"], st.DEPLOY, until, audits.quota_wait(until))
            return False
        category = _chosen(
            ctx, setup, common.call(ctx, setup, ctx.mp.categories.get_audit_category)
        )
        items = [AuditItem.of(category, **page) for page in plat.audit_items] or [
            AuditItem.of(category)
        ]
        feedback = row["input"].get("feedback_info", "")
        now = time.time()
        outcomes.progress(ctx.db, setup["id"], st.DEPLOY, "submit", {"submit_started": now}, "")
        try:
            auditid = common.call(
                ctx,
                setup,
                lambda token: ctx.mp.audit.submit_audit(token, items, feedback_info=feedback),
            )
        except WeChatError as exc:
            if exc.errcode != AUDIT_RUNNING:
                raise
            found = _adopt(ctx, setup, 0, previous)
            auditid = found.auditid if found else None
    else:
        auditid = found.auditid
    with transaction(ctx.db):
        # what the merchant's steps held: a resubmission compares them (golive.fixes)
        kept = {"auditid": auditid, "submitted_with": st.fingerprints(ctx.db, setup["id"])}
        outcomes.done(ctx.db, setup["id"], st.DEPLOY, kept, "已提交微信审核")
        ctx.db.execute("UPDATE setups SET auditid = ? WHERE id = ?", [auditid, setup["id"]])
        audits.submitted(ctx.db, setup["id"], auditid)
        if found is not None and found.status not in (None, audits.UNDER_AUDIT):
            # The adopted audit already ended while no worker was there to see it.
            auto = plat.release_policy == "auto"
            audits.apply(ctx.db, setup["id"], found.status, found.reason,
                         tuple(found.screenshots), auto_release=auto, auditid=auditid)  # fmt: skip
    return True


def _chosen(ctx: Context, setup: dict, categories):
    """The merchant's category among the approved ones (a category changed after a
    rejection leaves the old one on the mini program too), else WeChat's first."""
    given = st.step(ctx.db, setup["id"], st.CATEGORY)["input"]
    wanted = (str(given.get("first")), str(given.get("second")))
    found = (c for c in categories if (str(c.first_id), str(c.second_id)) == wanted)
    return next(found, categories[0])


PHASE_WORK = {"domains": _domains, "commit": _commit, "privacy": _privacy, "submit": _submit}
