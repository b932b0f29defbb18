"""The go-live checklist's forms: each carries a CSRF token; the rules are in
``portal.golive.rules`` (the same in the browser), not in WTForms validators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField

from portal.golive import name_proofs, rules


class NameForm(FlaskForm):
    """The proof photos WeChat may want for a name are file inputs ``proof-1`` … ``proof-5``
    (``name_proofs.field``), read by ``read_proofs``."""

    nickname = StringField("小程序名称")
    licence = FileField("营业执照照片")
    clear_proofs = BooleanField("不再使用已上传的证明材料")


def read_proofs(
    uploads: Mapping[str, Any],
    kept: Iterable[str],
    stored: Iterable[str],
    read: Callable[[Any], bytes],
) -> tuple[list[str], list[tuple[str, str, bytes]], dict[str, str]]:
    """The name's proof photos after this post: the ``kept`` roles that are ``stored``,
    with a new photo in each slot the merchant chose one for. Returns (roles, files to
    store, errors)."""
    chosen = {slot: uploads.get(name_proofs.field(slot)) for slot in name_proofs.SLOTS}
    photos = {slot: read(up) for slot, up in chosen.items() if up is not None and up.filename}
    roles, files, refused = name_proofs.collect(photos, kept, stored)
    return roles, files, {name_proofs.field(slot): message for slot, message in refused.items()}


class AvatarForm(FlaskForm):
    avatar = FileField("头像照片")


class IntroForm(FlaskForm):
    signature = TextAreaField("简介")


class CategoryForm(FlaskForm):
    """The category is a radio group ("first:second") drawn by the template. Each of the
    chosen category's qualification groups (``rules.document_groups``; all needed) has
    one photo, the file input ``document-<n>`` (n: the group's place), and, when the group
    lists alternatives, a select ``document-<n>-kind`` naming the document it shows; read
    by ``read_documents``."""

    category = StringField("类目")


def read_documents(
    choice: Mapping[str, Any],
    uploads: Mapping[str, Any],
    fields: Mapping[str, Any],
    stored: Iterable[str],
    read: Callable[[Any], bytes],
) -> tuple[list[str], list[tuple[str, str, bytes]], dict[str, str]]:
    """The category's documents after this post: one per group, a photo just chosen
    before one ``stored`` (roles ``qualification:<document>``). Returns (the documents to
    send, files to store, errors; ``documents`` when a group has no photo)."""
    have = {r.split(":", 1)[1] for r in stored if r.startswith("qualification:")}
    uploaded, files, errors = [], [], {}
    for n, group in enumerate(rules.document_groups(choice)):
        upload = uploads.get(f"document-{n}")
        if upload is None or not upload.filename:
            continue
        kind = group[0] if len(group) == 1 else fields.get(f"document-{n}-kind")
        if kind not in group:
            errors[f"document-{n}"] = f"请选择这张照片是{'还是'.join(group)}。"
            continue
        try:
            files.append((f"qualification:{kind}", "image/jpeg", rules.document_jpeg(read(upload))))
            have.add(kind)
            uploaded.append(kind)
        except rules.PhotoRefused as refusal:
            errors[f"document-{n}"] = str(refusal)
    if not errors and (missing := rules.missing_documents(choice, have)):
        errors["documents"] = missing
    return rules.chosen_documents(choice, have, uploaded), files, errors


class TestersForm(FlaskForm):
    wechat_ids = TextAreaField("体验者的微信号")


class ReleaseForm(FlaskForm):
    """Only the CSRF token: the merchant's word to release."""


class SpeedupForm(FlaskForm):
    """Only the CSRF token: the merchant asks for an expedited audit."""


class ResubmitForm(FlaskForm):
    feedback_info = TextAreaField("给审核人员的说明（选填）")
