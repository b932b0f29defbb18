"""Go-live: the mini program's name, head image and introduction (SETUP.md §1).

Name: ``checkwxverifynickname``; when it answers ``hit_condition`` and the merchant gave
no proof, the step goes back to the merchant with WeChat's ``wording`` (1 to 5 proof
photos: ``portal.golive.name_proofs``) and nothing is set. Otherwise the licence and the
proofs the merchant gave (as ``naming_other_stuff_1..5``, never the licence again) are
uploaded as temporary media, then ``setnickname``; 91009 (material required) asks for
proof the same way. An ``audit_id`` means WeChat audits the name (a push or a poll of
``api_wxa_querynickname`` ends it). Renames are few (two a year), so a ``setnickname``
that got no answer is resolved with ``getaccountbasicinfo`` before it is sent again.
Head image: the merchant's square JPEG as temporary media (this mini program's token:
another token's media is 40007), then ``modifyheadimage`` 0,0,1,1. Introduction:
``modifysignature``.
"""

from __future__ import annotations

import time

from portal.golive import audits, name_proofs, outcomes
from portal.golive import steps as st
from portal.tasks import golive_common as common
from portal.tasks.context import Context
from portal.wechat.client import WeChatError

NAME = "golive.basic"


def due(ctx: Context, now: float) -> list[dict]:
    return common.due(ctx, (st.NAME, st.AVATAR, st.INTRO, st.TESTERS), now)


def claim(ctx: Context, item: dict, now: float) -> dict | None:
    return common.claim(ctx, item, now)


def run(ctx: Context, item: dict) -> None:
    work = {st.NAME: _name, st.AVATAR: _avatar, st.INTRO: _intro, st.TESTERS: _testers}
    common.run(ctx, item, work[item["step"]])


def _upload(ctx: Context, setup: dict, name: str, role: str) -> str | None:
    found = [f for f in st.files(ctx.db, setup["id"], name) if f["role"] == role]
    if not found:
        return None
    file = found[-1]
    media = common.call(
        ctx,
        setup,
        lambda token: ctx.mp.basic.upload_media(
            token, file["content"], f"{role.replace(':', '-')}.jpg", file["content_type"]
        ),
    )
    return media.media_id


MATERIAL_REQUIRED = 91009


def _ask_proof(
    ctx: Context, setup: dict, nickname: str, wording: str, errcode: int | None, had: int
) -> None:
    """WeChat wants proof for the name: the merchant gives it (nothing was set)."""
    said = f"微信的提示：{wording}" if wording else "微信要求为这个名称提供证明材料。"
    again = "已上传的证明材料微信没有接受，请换更清晰、与名称相符的材料。" if had else ""
    reason = (
        f"{said}\n{again}请在“名称”一步上传 1–{name_proofs.MAX} 张证明材料照片"
        f"（例如{name_proofs.EXAMPLES}，不能用营业执照代替），保存后平台会重新提交给微信；"
        "也可以换一个不含品牌、商标或受保护词语的名称。"
    )
    asked = {"proof_needed": True, "proof_for": nickname, "wording": wording}
    outcomes.needs_merchant(
        ctx.db, setup["id"], st.NAME, errcode, reason, "微信要求提供名称的证明材料", asked
    )


def _name(ctx: Context, setup: dict, row: dict) -> None:
    nickname = row["input"].get("nickname", "")
    proofs = name_proofs.given(row["input"].get("proofs") or ())
    wording = ""
    try:
        if row["state"] == st.WAITING:
            _name_audit(ctx, setup, row)
            return
        if row["state"] == st.WORKING:  # a setnickname may have gone through unanswered
            info = common.call(ctx, setup, ctx.mp.basic.get_account_basic_info)
            if info.nickname == nickname:
                outcomes.done(ctx.db, setup["id"], st.NAME, {}, f"名称已设置为“{nickname}”")
                return
        outcomes.working(ctx.db, setup["id"], st.NAME, ctx.timing.lease)
        check = common.call(
            ctx, setup, lambda token: ctx.mp.basic.check_wx_verify_nickname(token, nickname)
        )
        wording = st.plain(check.wording)
        if check.hit_condition and not proofs:
            _ask_proof(ctx, setup, nickname, wording, None, 0)
            return
        licence = _upload(ctx, setup, st.NAME, "licence")
        if licence is None:
            reason = "请上传营业执照照片：企业的小程序设置名称需要营业执照。"
            outcomes.needs_merchant(ctx.db, setup["id"], st.NAME, None, reason, "缺少营业执照照片")
            return
        # What the merchant gave goes with the name even without a hit: WeChat may still
        # answer 91009 (the check says proof "may" be needed, §1.2).
        stuff = [m for m in (_upload(ctx, setup, st.NAME, r) for r in proofs) if m]
        answer = common.call(
            ctx,
            setup,
            lambda token: ctx.mp.basic.set_nickname(
                token, nickname, license=licence, naming_other_stuff=stuff
            ),
        )
    except WeChatError as exc:
        if exc.errcode == MATERIAL_REQUIRED:
            _ask_proof(ctx, setup, nickname, wording, exc.errcode, len(proofs))
            return
        common.refused(ctx, setup, st.NAME, exc)
        return
    if answer.audit_id:
        kept = {"audit_id": answer.audit_id, "audit_nickname": nickname, "wording": wording}
        outcomes.waiting(
            ctx.db,
            setup["id"],
            st.NAME,
            time.time() + audits.NAME_POLL,
            kept,
            "名称需要微信审核，审核结果会自动显示",
        )
        return
    outcomes.done(
        ctx.db, setup["id"], st.NAME, {"proof_needed": False}, f"名称已设置为“{nickname}”"
    )


def _name_audit(ctx: Context, setup: dict, row: dict) -> None:
    audit_id = row["result"].get("audit_id")
    found = common.call(ctx, setup, lambda token: ctx.mp.basic.query_nickname(token, audit_id))
    audits.name_audit(ctx.db, setup["id"], found.audit_stat, found.fail_reason)


def _avatar(ctx: Context, setup: dict, row: dict) -> None:
    try:
        outcomes.working(ctx.db, setup["id"], st.AVATAR, ctx.timing.lease)
        media = _upload(ctx, setup, st.AVATAR, "avatar")
        if media is None:
            reason = "请重新上传头像图片。"
            outcomes.needs_merchant(ctx.db, setup["id"], st.AVATAR, None, reason, "缺少头像图片")
            return
        common.call(ctx, setup, lambda token: ctx.mp.basic.modify_head_image(token, media))
    except WeChatError as exc:
        common.refused(ctx, setup, st.AVATAR, exc)
        return
    outcomes.done(ctx.db, setup["id"], st.AVATAR, {}, "头像已设置")


def _intro(ctx: Context, setup: dict, row: dict) -> None:
    signature = row["input"].get("signature", "")
    try:
        outcomes.working(ctx.db, setup["id"], st.INTRO, ctx.timing.lease)
        common.call(ctx, setup, lambda token: ctx.mp.basic.modify_signature(token, signature))
    except WeChatError as exc:
        common.refused(ctx, setup, st.INTRO, exc)
        return
    outcomes.done(ctx.db, setup["id"], st.INTRO, {}, "简介已设置")


ALREADY_BOUND = 85004


def _testers(ctx: Context, setup: dict, row: dict) -> None:
    """Bind each tester (``bind_tester``; 85004: already bound). One WeChat ID WeChat does
    not know is the merchant's to fix; the others stay bound."""
    wanted = [str(w) for w in row["input"].get("wechat_ids", [])]
    bound = list(row["result"].get("bound", []))
    outcomes.working(ctx.db, setup["id"], st.TESTERS, ctx.timing.lease)
    for wechat_id in wanted:
        if wechat_id in bound:
            continue
        try:
            common.call(ctx, setup, lambda token, w=wechat_id: ctx.mp.testers.bind_tester(token, w))
        except WeChatError as exc:
            if exc.errcode != ALREADY_BOUND:
                outcomes.progress(ctx.db, setup["id"], st.TESTERS, "bind", {"bound": bound}, "")
                exc.errmsg = f"{wechat_id}: {exc.errmsg}"
                common.refused(ctx, setup, st.TESTERS, exc)
                return
        bound.append(wechat_id)
    outcomes.done(
        ctx.db, setup["id"], st.TESTERS, {"bound": bound}, f"已添加 {len(bound)} 位体验者"
    )
