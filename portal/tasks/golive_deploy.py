"""Go-live: put the code on the mini program and submit it for audit (SETUP.md §4, §6, §3).

One step in phases, each recorded before the next begins, so a restart goes on where it
stopped: ``domains`` (``golive_deploy_domains``: server, then web-view domains, each
read with ``get`` before it is set and recorded once set) → ``commit`` (the platform's
template, this merchant's ``ext_json``; the trial QR code is kept) → ``privacy`` (wait
out the scan, 61039; set the keys WeChat lists, or nothing when the code uses none) →
``submit`` (the month's quota first; an unanswered ``submit_audit`` is resolved with
``get_latest_auditstatus``, and 85009 adopts the audit that runs).

Before privacy and before a submit, what was committed (``fixes.committed``) is compared
with the operator's setup now: another template, version or ``ext_json`` (the operator's
fix of a 61040 or an 85087, released by staff's 重试) goes back to ``commit``.

A refusal one of the merchant's steps fixes (85077: the category was retired) reopens
that step and the deploy waits for it (``golive.reopen``); one their page cannot fix
(85094, 86069) is held for staff, never left with the merchant.
"""

from __future__ import annotations

import time

from portal.db import transaction
from portal.golive import audits, fixes, outcomes, platform, reopen
from portal.golive import quota as submit_quota
from portal.golive import steps as st
from portal.registration import retry
from portal.tasks import golive_common as common
from portal.tasks import golive_deploy_domains as domains
from portal.tasks.context import AuthorizerMissing, Context, PlatformWaiting
from portal.timefmt import month_start_after
from portal.wechat import codes
from portal.wechat.client import WeChatError
from portal.wechat.miniprogram.audit import AuditItem
from portal.wechat.miniprogram.privacy import OwnerSetting, PrivacyItem

NAME = "golive.deploy"
SCAN_RUNNING, AUDIT_RUNNING, NO_AUDIT = 61039, 85009, 85058
PHASES = ("domains", "commit", "privacy", "submit")
SCAN_WAIT = 5.0
#: The purpose shown for a privacy key the operator gave none for ("为了…").
DEFAULT_PURPOSE = "向你提供小程序的服务"
RECOMMIT = "平台调整了小程序程序包的配置，重新上传代码（新版本）后再提交审核"
NO_PRIVACY = "小程序代码没有用到需要说明的个人信息，无需设置用户隐私保护指引"
#: The merchant's steps a FIXABLE entry's fields point at.
FIELD_STEPS = {
    codes.CATEGORY: st.CATEGORY,
    codes.NICKNAME: st.NAME,
    codes.HEAD_IMAGE: st.AVATAR,
    codes.SIGNATURE: st.INTRO,
}


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
    phase: str | None = row["phase"] or PHASES[0]
    try:
        while phase is not None:
            if outcomes.working(ctx.db, setup["id"], st.DEPLOY, ctx.timing.lease, phase) is None:
                return  # done or held meanwhile
            phase = PHASE_WORK[phase](ctx, setup, plat, st.step(ctx.db, setup["id"], st.DEPLOY))
    except WeChatError as exc:
        _refused(ctx, setup, exc)


def _refused(ctx: Context, setup: dict, exc: WeChatError) -> None:
    """A merchant's input WeChat refused goes back to that step; what no merchant step
    can fix is held for staff (the merchant would wait with nothing to change)."""
    if retry.classify(exc.errcode, exc.entry) != retry.FIXABLE:
        common.refused(ctx, setup, st.DEPLOY, exc)
        return
    step = next((FIELD_STEPS[f] for f in exc.entry.fields if f in FIELD_STEPS), None)
    if step is None or not _reopen(ctx, setup, step, exc):
        outcomes.failed_try(ctx.db, setup["id"], st.DEPLOY, retry.OPERATOR, exc, 0)


def _reopen(ctx: Context, setup: dict, step: str, exc: WeChatError) -> bool:
    entry, result = exc.entry, {}
    reason = f"{entry.explanation}{entry.next_step}"
    if step == st.CATEGORY:
        sent = st.step(ctx.db, setup["id"], st.DEPLOY)["result"].get("submit_category") or {}
        result["choices"] = _fresh_choices(ctx, setup, sent)
        if sent.get("name"):
            reason = (
                f"您选择的服务类目“{sent['name']}”已被微信下架，不能再用来提交审核。"
                f"{entry.next_step}"
            )
    detail = f"微信未通过：{entry.title}（{exc.errcode}）"
    return reopen.for_deploy(ctx.db, setup["id"], step, exc.errcode, reason, detail, result)


def _fresh_choices(ctx: Context, setup: dict, sent: dict) -> list[dict] | None:
    """The picker's choices fetched again, without the category WeChat refused; None
    (cleared) when WeChat cannot be asked now: ``golive.open`` then fetches them."""
    try:
        found = common.choices(ctx, setup)
    except (WeChatError, PlatformWaiting, AuthorizerMissing):
        return None
    gone = (str(sent.get("first")), str(sent.get("second")))
    return [c for c in found if (str(c.get("first")), str(c.get("second"))) != gone]


def _commit(ctx: Context, setup: dict, plat, row: dict) -> str:
    ext_json, version = _ext_json(ctx, setup, plat), _version(plat)
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
    return "privacy"


def _ext_json(ctx: Context, setup: dict, plat) -> str:
    # the admin's preview and a resubmission's comparison use the same facts
    facts = platform.facts_for(ctx.db, setup["submission_id"]) or {"appid": setup["appid"]}
    return plat.render_ext_json(facts)


def _version(plat) -> str:
    return plat.template_version or "1.0.0"


def _stale(ctx: Context, setup: dict, plat, row: dict) -> bool:
    """The operator's template, version or ext_json differs from what was committed: the
    code must be committed again (recorded, with the reason, as phase ``commit``)."""
    kept = row["result"].get("committed")
    if not isinstance(kept, dict):
        return False  # a deploy from before commits were kept
    try:
        now = fixes.committed(plat.template_id, _version(plat), _ext_json(ctx, setup, plat))
    except ValueError:
        return False  # the commit would fail the same way; the submit says what WeChat thinks
    if now == kept:
        return False
    changes = {"submit_started": None}
    outcomes.progress(ctx.db, setup["id"], st.DEPLOY, "commit", changes, RECOMMIT)
    return True


def _privacy(ctx: Context, setup: dict, plat, row: dict) -> str | None:
    if _stale(ctx, setup, plat, row):
        return "commit"
    try:
        info = common.call(ctx, setup, ctx.mp.privacy.get_code_privacy_info)
    except WeChatError as exc:
        if exc.errcode != SCAN_RUNNING:
            raise
        outcomes.later(ctx.db, setup["id"], st.DEPLOY, time.time() + SCAN_WAIT)
        return None
    found = common.call(ctx, setup, ctx.mp.privacy.get_privacy_setting)
    # what the scan found, and what the code uses that no setting covers yet
    keys = list(dict.fromkeys([*found.privacy_list, *info.without_conf_list]))
    detail = NO_PRIVACY
    if keys:  # setting_list is required with privacy_ver 2: never sent empty (40097)
        owner = OwnerSetting(**plat.privacy_contact, notice_method=plat.privacy_notice_method)
        items = [PrivacyItem(k, plat.privacy_purposes.get(k) or DEFAULT_PURPOSE) for k in keys]
        common.call(
            ctx, setup, lambda token: ctx.mp.privacy.set_privacy_setting(token, owner, items)
        )
        detail = "隐私保护指引已设置"
    outcomes.progress(ctx.db, setup["id"], st.DEPLOY, "submit", {"privacy_keys": keys}, detail)
    return "submit"


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


def _submit(ctx: Context, setup: dict, plat, row: dict) -> str | None:
    started = row["result"].get("submit_started")
    previous = row["result"].get("auditid")  # the rejected audit a resubmission follows
    found = _adopt(ctx, setup, started, previous) if started else None
    if found is None and started and time.time() < started + ctx.timing.settle:
        # The submit got no answer and WeChat shows no audit of it yet; it may still
        # act on the request: look again once that window has passed, never submit twice.
        outcomes.later(ctx.db, setup["id"], st.DEPLOY, started + ctx.timing.settle)
        return None
    if found is None:
        if _stale(ctx, setup, plat, row):
            return "commit"
        sent = _send(ctx, setup, plat, row, previous)
        if sent is None:
            return None
        auditid, found = sent
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
    return None


def _send(ctx: Context, setup: dict, plat, row: dict, previous):
    """submit_audit, after the month's quota: (the new auditid, None), or after 85009 the
    running audit adopted (its auditid, it; or None, None); None when the deploy waits for
    the quota."""
    quota = common.call(ctx, setup, ctx.mp.quota.query_quota)
    submit_quota.remember(ctx.db, quota, setup["appid"])  # the health page shows it
    if quota.rest <= 0:
        until = month_start_after(time.time())
        outcomes.later(ctx.db, setup["id"], st.DEPLOY, until, audits.quota_wait(until))
        return None
    category = _chosen(ctx, setup, common.call(ctx, setup, ctx.mp.categories.get_audit_category))
    items = [AuditItem.of(category, **page) for page in plat.audit_items] or [
        AuditItem.of(category)
    ]
    feedback = row["input"].get("feedback_info", "")
    sent = {"first": category.first_id, "second": category.second_id}
    sent["name"] = " › ".join(n for n in (category.first_class, category.second_class) if n)
    kept = {"submit_started": time.time(), "submit_category": sent}
    outcomes.progress(ctx.db, setup["id"], st.DEPLOY, "submit", kept, "")
    try:
        auditid = common.call(
            ctx,
            setup,
            lambda token: ctx.mp.audit.submit_audit(token, items, feedback_info=feedback),
        )
        return auditid, None
    except WeChatError as exc:
        if exc.errcode == AUDIT_RUNNING:
            found = _adopt(ctx, setup, 0, previous)
            return (found.auditid if found else None), found
        if exc.errcode not in (None, -1):  # a definite refusal: no audit came of it
            # (-1, "system busy", is as unsure as no answer: resolved by asking first)
            outcomes.progress(
                ctx.db, setup["id"], st.DEPLOY, "submit", {"submit_started": None}, ""
            )
        raise


def _chosen(ctx: Context, setup: dict, categories):
    """The merchant's category among the approved ones (a category changed after a
    rejection leaves the old one on the mini program too), else WeChat's first."""
    given = st.step(ctx.db, setup["id"], st.CATEGORY)["input"]
    wanted = (str(given.get("first")), str(given.get("second")))
    found = (c for c in categories if (str(c.first_id), str(c.second_id)) == wanted)
    return next(found, categories[0])


PHASE_WORK = {
    "domains": domains.run,
    "commit": _commit,
    "privacy": _privacy,
    "submit": _submit,
}
