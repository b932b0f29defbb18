"""The admin's 上线设置 page (/admin/golive): the operator's go-live setup, section by
section (``portal.golive.platform``). Each save is validated by the domain (nothing is
stored on an error, which is shown in Chinese), audited and CSRF-protected. The page
never calls WeChat: refreshing the template list, adding a draft and registering Way 1's
domains are requests the worker's ``templates_sync`` kind carries out.
"""

from __future__ import annotations

import json
import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from portal import audit
from portal.admin.blueprint import bp
from portal.auth import role_required
from portal.auth.forms import ButtonForm
from portal.db import get_db
from portal.golive import audits, platform
from portal.golive import platform_rules as rules
from portal.golive.platform_rules import PRIVACY_KEYS

SERVER_LABELS = {"requestdomain": "request 合法域名（https://）",
                 "wsrequestdomain": "socket 合法域名（wss://）",
                 "uploaddomain": "uploadFile 合法域名（https://）",
                 "downloaddomain": "downloadFile 合法域名（https://）"}  # fmt: skip
CONTACT_LABELS = {"contact_phone": "电话", "contact_email": "邮箱", "contact_weixin": "微信号",
                  "contact_qq": "QQ"}  # fmt: skip
WAY_LABELS = {
    "platform": "方式一：先把域名登记到第三方平台，再为每个小程序设置（modify_domain）",
    "direct": "方式二：不登记到平台，直接为每个小程序设置（modify_domain_directly）",
}
POLICY_LABELS = {"auto": "审核通过后自动发布", "confirm": "审核通过后，由商户在进度页确认发布"}
SECTION_LABELS = {"template": "代码模板", "ext_json": "ext_json 模板", "domains": "域名",
                  "privacy": "隐私保护指引", "audit": "审核表单", "release": "发布方式"}  # fmt: skip


class TemplateForm(FlaskForm):
    template_id = SelectField("代码模板", choices=[], validate_choice=False)
    submit = SubmitField("使用此模板")


class ExtJsonForm(FlaskForm):
    ext_json_template = TextAreaField("ext_json 模板")
    sample = HiddenField()
    preview = SubmitField("预览（不保存）")
    submit = SubmitField("保存 ext_json 模板")


class DomainsForm(FlaskForm):
    webview_domains = TextAreaField("业务域名（web-view，https://）")
    domain_way = RadioField(
        "设置方式",
        choices=[SelectChoice(k, v) for k, v in WAY_LABELS.items()],
        validate_choice=False,
    )
    submit = SubmitField("保存域名")


class PrivacyForm(FlaskForm):
    contact_phone = StringField("电话")
    contact_email = StringField("邮箱")
    contact_weixin = StringField("微信号")
    contact_qq = StringField("QQ")
    notice_method = StringField("告知方式（如“弹窗”）")
    others = TextAreaField("其他 privacy_key 的用途（每行一个，如 BlueTooth：连接门店的打印机）")
    submit = SubmitField("保存隐私设置")


for _kind, _label in SERVER_LABELS.items():
    setattr(DomainsForm, _kind, TextAreaField(_label))
for _key, _label in PRIVACY_KEYS.items():
    setattr(PrivacyForm, f"purpose_{_key}", StringField(f"{_key}（{_label}）"))


class AuditItemForm(Form):
    address = StringField("页面路径")
    tag = StringField("标签（空格分隔）")
    title = StringField("标题")


class AuditForm(FlaskForm):
    items = FieldList(FormField(AuditItemForm), min_entries=5, max_entries=5)
    submit = SubmitField("保存审核表单")


class ReleaseForm(FlaskForm):
    release_policy = RadioField(
        "发布方式",
        choices=[SelectChoice(k, v) for k, v in POLICY_LABELS.items()],
        validate_choice=False,
    )
    submit = SubmitField("保存发布方式")


FORMS = {"template": TemplateForm, "ext_json": ExtJsonForm, "domains": DomainsForm,
         "privacy": PrivacyForm, "audit": AuditForm, "release": ReleaseForm}  # fmt: skip


def _others(text: str) -> dict[str, str]:
    """'Key：purpose' lines, for privacy keys beyond the common ones."""
    out = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        found = re.fullmatch(r"\s*([^:：=\s]+)\s*[:：=]\s*(.*?)\s*", line)
        if found is None:
            raise ValueError(
                f"“{line.strip()}”应写成 privacy_key：用途，如 BlueTooth：连接门店的打印机。"
            )
        out[found.group(1)] = found.group(2)
    return out


def _changes(section: str, form: FlaskForm) -> dict:
    """What the submitted section asks to save, in the domain's terms."""
    if section == "template":
        return {"template_id": form.template_id.data}
    if section == "ext_json":
        return {"ext_json_template": form.ext_json_template.data}
    if section == "domains":
        return {
            "server_domains": {kind: form[kind].data for kind in rules.SERVER_KINDS},
            "webview_domains": form.webview_domains.data,
            "domain_way": form.domain_way.data,
        }
    if section == "privacy":
        purposes = {key: form[f"purpose_{key}"].data for key in PRIVACY_KEYS}
        return {
            "privacy_contact": {key: form[key].data for key in rules.CONTACTS},
            "privacy_notice_method": form.notice_method.data,
            "privacy_purposes": {**purposes, **_others(form.others.data)},
        }
    if section == "audit":
        return {"audit_items": [entry.data for entry in form.items]}
    return {"release_policy": form.release_policy.data}


def _data(setup: platform.PlatformSetup) -> dict[str, dict]:
    """Each section's form data from the saved setup."""
    purposes = {f"purpose_{k}": v for k, v in setup.privacy_purposes.items() if k in PRIVACY_KEYS}
    others = "\n".join(
        f"{k}：{v}" for k, v in setup.privacy_purposes.items() if k not in PRIVACY_KEYS
    )
    return {
        "template": {"template_id": str(setup.template_id or "")},
        "ext_json": {"ext_json_template": setup.ext_json_template},
        "domains": {**{k: "\n".join(v) for k, v in setup.server_domains.items()},
                    "webview_domains": "\n".join(setup.webview_domains),
                    "domain_way": setup.domain_way},
        "privacy": {**setup.privacy_contact, **purposes, "others": others,
                    "notice_method": setup.privacy_notice_method},
        "audit": {"items": list(setup.audit_items)},
        "release": {"release_policy": setup.release_policy},
    }  # fmt: skip


def _preview(db, setup: platform.PlatformSetup, chosen: str) -> dict:
    """What one merchant would get: the sample, or an authorized submission."""
    facts = platform.facts_for(db, int(chosen)) if re.fullmatch(r"[0-9]{1,12}", chosen) else None
    facts = facts or dict(rules.SAMPLE)
    if problem := rules.ext_json_problem(setup.ext_json_template):
        return {"facts": facts, "error": problem}
    try:
        text = json.dumps(json.loads(setup.render_ext_json(facts)), ensure_ascii=False, indent=2)
    except ValueError as exc:
        return {"facts": facts, "error": str(exc)}
    return {"facts": facts, "json": text}


def _page(db, submitted: dict | None = None, errors: dict | None = None, preview_text=None):
    setup = platform.get(db)
    forms = {name: cls(formdata=None, data=data, prefix=name)
             for (name, cls), data in zip(FORMS.items(), _data(setup).values(), strict=True)}  # fmt: skip
    forms.update(submitted or {})
    listed = platform.templates(db)
    forms["template"].template_id.choices = [SelectChoice("", "— 请选择 —")] + [
        SelectChoice(
            str(t["template_id"]), f"{t['template_id']} · {t['user_version']} · {t['user_desc']}"
        )
        for t in listed
        if t["template_type"] != 1
    ]
    chosen = request.args.get("preview", "") or forms["ext_json"].sample.data or ""
    forms["ext_json"].sample.data = chosen
    shown = (
        setup if preview_text is None else platform.PlatformSetup(ext_json_template=preview_text)
    )
    authorized = list(db.query(
        "SELECT id, name, appid FROM submissions WHERE state = 'authorized' AND appid IS NOT NULL "
        "ORDER BY id DESC LIMIT 50"))  # fmt: skip
    return render_template(
        "admin/golive.html", setup=setup, forms=forms, errors=errors or {},
        problems=platform.check(db), templates=listed, drafts=platform.drafts(db),
        fetched_at=platform.fetched_at(db), work=platform.state(db),
        preview=_preview(db, shown, chosen), draft_preview=preview_text is not None,
        chosen=chosen, authorized=authorized, privacy_keys=PRIVACY_KEYS, labels=SERVER_LABELS,
        contact_labels=CONTACT_LABELS, ways=WAY_LABELS, policies=POLICY_LABELS,
        button=ButtonForm(),
    )  # fmt: skip


@bp.get("/golive")
@role_required("admin")
def golive() -> ResponseReturnValue:
    return _page(get_db())


@bp.post("/golive/<any(template, ext_json, domains, privacy, audit, release):section>")
@role_required("admin")
def golive_save(section: str) -> ResponseReturnValue:
    db = get_db()
    form = FORMS[section](prefix=section)
    if not form.validate_on_submit():
        abort(400)
    if section == "ext_json" and form.preview.data:
        return _page(db, {section: form}, preview_text=form.ext_json_template.data or "")
    try:
        changes = _changes(section, form)
        released = audits.set_release_policy(db, **changes) if section == "release" else 0
        if section != "release":
            platform.save(db, **changes)
    except ValueError as exc:
        return _page(db, {section: form}, {section: str(exc)})
    audit.record("save golive setup", section, json.dumps(changes, ensure_ascii=False))
    now = f"；{released} 个审核已通过、等待商户确认的小程序现在发布" if released else ""
    flash(f"{SECTION_LABELS[section]}已保存{now}。", "ok")
    return redirect(
        url_for(".golive", preview=form.sample.data if section == "ext_json" else None)
        + f"#{section}"
    )


@bp.post("/golive/refresh")
@role_required("admin")
def golive_refresh() -> ResponseReturnValue:
    if not ButtonForm().validate_on_submit():
        abort(400)
    platform.request(get_db(), platform.TEMPLATES, by=current_user.username)
    audit.record("refresh golive templates", "golive")
    flash("已请后台获取模板列表，几秒后刷新本页即可看到。", "ok")
    return redirect(url_for(".golive") + "#template")


@bp.post("/golive/drafts/<int:draft_id>/add")
@role_required("admin")
def golive_add_draft(draft_id: int) -> ResponseReturnValue:
    db = get_db()
    if not ButtonForm().validate_on_submit():
        abort(400)
    if draft_id not in {d["draft_id"] for d in platform.drafts(db)}:
        abort(404)
    platform.request(db, platform.ADD_DRAFT, str(draft_id), by=current_user.username)
    audit.record("add golive draft", f"draft {draft_id}")
    flash(f"已请后台把草稿 {draft_id} 加入模板库（addtotemplate），完成后模板列表会更新。", "ok")
    return redirect(url_for(".golive") + "#template")


@bp.post("/golive/domains/register")
@role_required("admin")
def golive_register_domains() -> ResponseReturnValue:
    db = get_db()
    if not ButtonForm().validate_on_submit():
        abort(400)
    if platform.get(db).domain_way != "platform":
        flash("当前使用方式二（直接设置），无需登记到第三方平台。", "warn")
        return redirect(url_for(".golive") + "#domains")
    platform.request(db, platform.DOMAINS, by=current_user.username)
    audit.record("register golive domains", "golive")
    flash("已请后台把域名登记到第三方平台，几秒后刷新本页查看结果。", "ok")
    return redirect(url_for(".golive") + "#domains")


@bp.post("/golive/permissions")
@role_required("admin")
def golive_permissions() -> ResponseReturnValue:
    """The health page's button: ask WeChat which permission sets the mini programs
    whose func_info is unknown granted (api_get_authorizer_info, by the worker)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    platform.request(get_db(), platform.PERMISSIONS, by=current_user.username)
    audit.record("ask golive permissions", "authorizers")
    flash("已请后台向微信查询这些小程序的权限集，几秒后刷新本页即可看到。", "ok")
    return redirect(url_for(".health") + "#permissions")
