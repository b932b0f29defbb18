"""The go-live checklist's forms: each carries a CSRF token; the rules are in
``portal.golive.rules`` (the same in the browser), not in WTForms validators."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField


class NameForm(FlaskForm):
    nickname = StringField("小程序名称")
    licence = FileField("营业执照照片")


class AvatarForm(FlaskForm):
    avatar = FileField("头像照片")


class IntroForm(FlaskForm):
    signature = TextAreaField("简介")


class CategoryForm(FlaskForm):
    """The category is a radio group ("first:second") drawn by the template; each
    qualification photo is a file input ``document-<n>`` (n: the document's place in
    the chosen category's list)."""

    category = StringField("类目")


class TestersForm(FlaskForm):
    wechat_ids = TextAreaField("体验者的微信号")


class ReleaseForm(FlaskForm):
    """Only the CSRF token: the merchant's word to release."""


class SpeedupForm(FlaskForm):
    """Only the CSRF token: the merchant asks for an expedited audit."""


class ResubmitForm(FlaskForm):
    feedback_info = TextAreaField("给审核人员的说明（选填）")
