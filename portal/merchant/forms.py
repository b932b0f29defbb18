"""The merchant's forms. Labels use the fast-register document's terms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField

from portal.validation import CODE_TYPES

CODE_TYPE_CHOICES = [
    SelectChoice("", "请选择"),
    *(SelectChoice(str(k), v) for k, v in CODE_TYPES.items()),
]


class ApplyForm(FlaskForm):
    """The four facts (plus code type and an optional phone); checked by ``validation``."""

    name = StringField("企业名称")
    code_type = SelectField("企业代码类型", choices=CODE_TYPE_CHOICES, default="1")
    code = StringField("企业代码")
    legal_persona_name = StringField("法人姓名")
    legal_persona_wechat = StringField("法人微信号")
    contact_phone = StringField("联系电话（选填）")
    previous = HiddenField()
    ref = HiddenField()
    submit = SubmitField("下一步：核对信息")


class ConfirmForm(ApplyForm):
    """The same values, carried in hidden inputs, confirmed with one button."""

    submit = SubmitField("确认提交")
