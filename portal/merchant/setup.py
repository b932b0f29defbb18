"""The go-live checklist on the private status link (docs/golive.md): name, avatar,
introduction and category from the merchant, then the worker's deploy, audit and
release as they happen, the mini program's codes and the ICP filing.

Each step posts, is checked by ``portal.golive.rules`` (the browser checks the same),
is stored with ``steps.give`` and redirects back (post/redirect/get): reload and back
never post again. Refused input is shown with its message and changes nothing. Pages
never call WeChat; the worker does, and the page shows what it stored.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from portal.db import get_db
from portal.golive import name_proofs, platform, rules
from portal.golive import steps as st
from portal.merchant import setup_view
from portal.merchant.blueprint import bp
from portal.merchant.routes import submission_or_404
from portal.merchant.setup_forms import (
    AvatarForm,
    CategoryForm,
    IntroForm,
    NameForm,
    ReleaseForm,
    ResubmitForm,
    SpeedupForm,
    TestersForm,
    read_documents,
    read_proofs,
)
from portal.registration import submissions as subs

#: Photos are larger than the 256 KB of a form: the routes that take them read more.
UPLOADS = ("merchant.setup_name", "merchant.setup_avatar", "merchant.setup_category")
REQUEST_MAX = 3 * rules.UPLOAD_MAX + 2 * 1024 * 1024
#: Which step's card a refused field sits in (that card is shown open).
FIELD_STEPS = {"nickname": st.NAME, "licence": st.NAME, "avatar": st.AVATAR,
               "signature": st.INTRO, "category": st.CATEGORY, "documents": st.CATEGORY,
               "wechat_ids": st.RELEASE, "feedback_info": st.AUDIT}  # fmt: skip
FIELD_STEPS.update({name_proofs.field(n): st.NAME for n in name_proofs.SLOTS}, proofs=st.NAME)
#: The merchant's steps that still want their input.
WANTING = (st.TODO, st.NEEDS_MERCHANT)
#: The card that shows a step that has none of its own.
CARDS = {st.TESTERS: "step-release"}
NO_LICENCE = "请上传营业执照照片：企业的小程序设置名称需要营业执照（微信的规定）。"


class UploadTooLarge(RequestEntityTooLarge):
    """A photo upload past REQUEST_MAX (announced by its Content-Length)."""


@bp.url_value_preprocessor
def _photo_uploads(endpoint: str | None, _values: dict | None) -> None:
    """Raise the body limit on the photo routes before anything reads the body: URL
    value preprocessors run before every before_request, CSRF's (which reads the form)
    included."""
    if endpoint in UPLOADS and request.method == "POST":
        request.max_content_length = REQUEST_MAX
        if (request.content_length or 0) > REQUEST_MAX:
            raise UploadTooLarge()


@bp.teardown_request
def _close_uploads(_error: BaseException | None) -> None:
    """Uploads past 500 KB sit in temporary files: close them, read or not."""
    for upload in (request.__dict__.get("files") or {}).values():
        upload.close()


@bp.errorhandler(UploadTooLarge)
def _upload_too_large(_error: UploadTooLarge) -> ResponseReturnValue:
    flash(rules.TOO_BIG + "（本次没有保存任何内容）", "error")
    return redirect(url_for(".setup", public_id=(request.view_args or {})["public_id"]), 303)


def release_policy() -> str:
    """The operator's release policy, asked only once an audit passed."""
    return platform.get(get_db()).release_policy


def authorized_setup(public_id: str) -> tuple[dict, dict | None]:
    """The submission and, once it is authorized, its setup (made the first time)."""
    sub = submission_or_404(public_id)
    if sub["state"] != subs.AUTHORIZED or not sub["appid"]:
        return sub, None
    db = get_db()
    setup = st.for_submission(db, sub["id"]) or st.open_setup(db, sub["id"], sub["appid"])
    return sub, setup


def view_of(sub: dict, setup: dict) -> setup_view.SetupView:
    """What the checklist shows, read from the database only."""
    return setup_view.build(get_db(), sub, setup, release_policy)


def back_to(public_id: str, anchor: str = "") -> ResponseReturnValue:
    """Post, then redirect: reload and back never post again."""
    return redirect(url_for(".setup", public_id=public_id) + (f"#{anchor}" if anchor else ""), 303)


def render(view, posted: dict | None = None, errors: dict | None = None, status: int = 200):
    """The checklist, each form prefilled with what was given (or what was just posted)."""
    chosen = view.chosen
    forms = {
        st.NAME: NameForm(formdata=None, data={"nickname": view[st.NAME].input.get("nickname")}),
        st.AVATAR: AvatarForm(formdata=None),
        st.INTRO: IntroForm(
            formdata=None, data={"signature": view[st.INTRO].input.get("signature")}
        ),
        st.CATEGORY: CategoryForm(
            formdata=None,
            data={"category": f"{chosen['first']}:{chosen['second']}" if chosen else ""},
        ),
        st.TESTERS: TestersForm(formdata=None),
        st.RELEASE: ReleaseForm(formdata=None),
        "resubmit": ResubmitForm(formdata=None),
        "speedup": SpeedupForm(formdata=None),
        **(posted or {}),
    }
    errors = errors or {}
    if errors:
        flash(f"有 {len(errors)} 处需要修改，请看标红的地方；这次没有保存。", "error")
    failed = {FIELD_STEPS.get(key, st.CATEGORY) for key in errors}  # document-<n>: category
    page = render_template(
        "merchant/setup.html", v=view, forms=forms, errors=errors, failed=failed, rules=rules,
        labels=st.STATE_LABELS, phases=setup_view.DEPLOY_PHASES, titles=setup_view.TITLES,
        proofs=name_proofs,
    )  # fmt: skip
    return page, status


def _read(upload) -> bytes:
    return upload.stream.read(rules.UPLOAD_MAX + 1)


def _chosen_file(name: str):
    upload = request.files.get(name)
    return upload if upload is not None and upload.filename else None


def give(view, name: str, values: dict, files=(), saved: str = "已保存。") -> ResponseReturnValue:
    """Store a checked input for the worker, then show the card to go on with."""
    public_id = view.sub["public_id"]
    try:
        stored = st.give(get_db(), view.setup["id"], name, values, files)
    except st.StepClosed:
        return closed(view, name)
    if view.fixing and name in st.MERCHANT_STEPS:
        if stored["state"] == st.DONE:
            flash(f"“{view[name].title}”没有改动，无需重新设置。", "ok")
        else:
            flash(
                f"{saved}平台会把修改提交给微信；都改好后，请在“微信审核”一步点“重新提交审核”。",
                "ok",
            )
        return back_to(public_id, f"step-{st.AUDIT}")
    if name not in st.MERCHANT_STEPS:
        flash(saved, "ok")
        return back_to(public_id, CARDS.get(name, f"step-{name}"))
    later = [s for s in view.merchant_steps if s.state in WANTING and s.name != name]
    if later:
        flash(f"{saved}接下来请填写“{later[0].title}”。", "ok")
        return back_to(public_id, f"step-{later[0].name}")
    flash(f"{saved}4 项都已保存，平台会依次提交给微信，进度在这里显示。", "ok")
    return back_to(public_id, f"step-{st.DEPLOY}")


def closed(view, name: str) -> ResponseReturnValue:
    """The step is with WeChat or done: say so, change nothing."""
    step = view[name]
    flash(
        f"“{step.title}”现在{st.STATE_LABELS.get(st.step(get_db(), view.setup['id'], name)['state'])}，"
        "暂时不能修改；有结果后本页会自动更新。",
        "warn",
    )
    return back_to(view.sub["public_id"], f"step-{name}")


def open_view(public_id: str, name: str):
    """(view, None) when ``name`` takes input now; else (None, the redirect to show)."""
    sub, setup = authorized_setup(public_id)
    if setup is None:
        return None, redirect(url_for(".status", public_id=public_id))
    view = view_of(sub, setup)
    if name not in view.steps:  # a setup opened before the step existed
        flash("这一项暂时无法填写，请联系平台客服。", "warn")
        return None, back_to(public_id)
    if not view[name].open:
        return None, closed(view, name)
    return view, None


@bp.get("/s/<public_id>/setup")
def setup(public_id: str) -> ResponseReturnValue:
    sub, found = authorized_setup(public_id)
    if found is None:
        return redirect(url_for(".status", public_id=public_id))
    return render(view_of(sub, found))


@bp.post("/s/<public_id>/setup/name")
def setup_name(public_id: str) -> ResponseReturnValue:
    view, refused = open_view(public_id, st.NAME)
    if view is None:
        return refused
    form = NameForm()
    checked = rules.check_nickname(form.nickname.data)
    errors, files = {}, []
    if checked.error:
        errors["nickname"] = checked.error
    if (upload := _chosen_file("licence")) is not None:
        try:
            files.append(("licence", "image/jpeg", rules.document_jpeg(_read(upload))))
        except rules.PhotoRefused as refusal:
            errors["licence"] = str(refusal)
    elif "licence" not in view[st.NAME].files:
        errors["licence"] = NO_LICENCE
    name = view[st.NAME]
    kept = [] if form.clear_proofs.data else name.input.get("proofs") or ()
    proofs, photos, refused = read_proofs(request.files, kept, name.files, _read)
    files, errors = files + photos, {**errors, **refused}
    if not errors and (missing := name_proofs.missing(name.result, checked.value, len(proofs))):
        errors["proofs"] = missing
    if errors:
        return render(view, {st.NAME: form}, errors, 422)
    saved = f"名称“{checked.value}”已保存，平台会提交给微信核对。"
    values = name_proofs.values(checked.value, proofs)
    return give(view, st.NAME, values, files, saved)


@bp.post("/s/<public_id>/setup/avatar")
def setup_avatar(public_id: str) -> ResponseReturnValue:
    view, refused = open_view(public_id, st.AVATAR)
    if view is None:
        return refused
    form = AvatarForm()
    upload = _chosen_file("avatar")
    try:
        jpeg = rules.avatar_jpeg(_read(upload) if upload is not None else b"")
    except rules.PhotoRefused as refusal:
        return render(view, {st.AVATAR: form}, {"avatar": str(refusal)}, 422)
    files = [("avatar", "image/jpeg", jpeg)]
    return give(view, st.AVATAR, {}, files, "头像已保存（已按正方形裁剪）。")


@bp.post("/s/<public_id>/setup/intro")
def setup_intro(public_id: str) -> ResponseReturnValue:
    view, refused = open_view(public_id, st.INTRO)
    if view is None:
        return refused
    form = IntroForm()
    checked = rules.check_introduction(form.signature.data)
    if checked.error:
        return render(view, {st.INTRO: form}, {"signature": checked.error}, 422)
    return give(view, st.INTRO, {"signature": checked.value}, (), "简介已保存。")


@bp.post("/s/<public_id>/setup/category")
def setup_category(public_id: str) -> ResponseReturnValue:
    view, refused = open_view(public_id, st.CATEGORY)
    if view is None:
        return refused
    form = CategoryForm()
    choice, error = rules.find_choice(view.choices, form.category.data)
    if choice is None:
        return render(view, {st.CATEGORY: form}, {"category": error}, 422)
    stored = view[st.CATEGORY].files  # one photo per qualification group
    documents, files, errors = read_documents(choice, request.files, request.form, stored, _read)
    if errors:
        return render(view, {st.CATEGORY: form}, errors, 422)
    values = {key: choice[key] for key in ("first", "first_name", "second", "second_name")}
    values["qualifications"] = documents
    saved = f"类目“{choice['first_name']} › {choice['second_name']}”已保存。"
    return give(view, st.CATEGORY, values, files, saved)
