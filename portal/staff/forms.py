from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from portal.golive import steps as st
from portal.golive.actions import TITLES
from portal.inputs import no_control_characters
from portal.registration.status import STATE_LABELS
from portal.staff.filters import phone_digits


class SearchForm(FlaskForm):
    """Read-only search: sent with GET, so no CSRF token."""

    class Meta:
        csrf = False

    name = StringField("企业名称（部分即可）", validators=[Optional(), no_control_characters])
    code = StringField("企业代码", validators=[Optional(), no_control_characters])
    legal_name = StringField("法人姓名", validators=[Optional(), no_control_characters])
    wechat = StringField("法人微信号", validators=[Optional(), no_control_characters])
    phone = StringField("联系电话（全号或后 4 位）", validators=[Optional(), no_control_characters])
    state = SelectField(
        "状态",
        choices=[SelectChoice("", "全部"), *(SelectChoice(k, v) for k, v in STATE_LABELS.items())],
        validators=[Optional()],
    )
    partner = SelectField("代理商", choices=[SelectChoice("", "全部")], validators=[Optional()])
    date_from = DateField("提交日期从", validators=[Optional()])
    date_to = DateField("到", validators=[Optional()])
    outcome = StringField(
        "失败代码",
        validators=[Optional(), Regexp(r"^-?[0-9]{1,9}$", message="失败代码是数字，如 105。")],
    )
    changed_from = DateField("状态变化日期从", validators=[Optional()])

    def validate_phone(self, field) -> None:
        if field.data and not phone_digits(field.data):
            raise ValidationError("请填写完整的电话号码，或它的后 4 位数字。")


class NoteForm(FlaskForm):
    body = TextAreaField(
        "备注",
        validators=[DataRequired("请填写备注内容。"), Length(max=2000), no_control_characters],
    )
    submit = SubmitField("添加备注")


def _stripped(text: str | None) -> str | None:
    return text.strip() if isinstance(text, str) else text


class GiveBackForm(FlaskForm):
    """退回商户修改: one of the four merchant steps goes back to the merchant, with the
    reason the merchant reads on their checklist (portal/staff/golive.py)."""

    step = SelectField(
        "退回哪一步",
        choices=[SelectChoice(name, TITLES[name]) for name in st.MERCHANT_STEPS],
        validate_choice=False,  # AnyOf says it in Chinese
        validators=[
            DataRequired("请选择要退回的步骤。"),
            AnyOf(st.MERCHANT_STEPS, message="只能退回名称、头像、简介或类目。"),
        ],
    )
    reason = TextAreaField(
        "退回原因（商户会在进度页看到）",
        filters=[_stripped],
        validators=[
            DataRequired("请填写退回原因，商户会在进度页看到它。"),
            Length(min=4, max=200, message="退回原因请写 4 到 200 个字。"),
            no_control_characters,
        ],
    )
    submit = SubmitField("退回商户修改")
