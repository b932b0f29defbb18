from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal import normalize
from portal.inputs import no_control_characters
from portal.validation_fields import LANDLINE, MOBILE


class LinkForm(FlaskForm):
    label = StringField(
        "链接名称（如“3 月地推”）",
        validators=[
            DataRequired("请给链接起个名字。"),
            Length(max=50, message="最多 50 个字。"),
            no_control_characters,
        ],
    )
    expires_on = DateField("有效期至（选填）", validators=[Optional()])
    contact_phone = StringField("您的联系电话（选填，显示给商户）", validators=[Optional()])
    submit = SubmitField("生成链接")

    def validate_contact_phone(self, field) -> None:
        phone = normalize.contact_phone(field.data or "")
        if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
            raise ValidationError("请填写手机号或座机号（如 020-12345678）。")
        field.data = phone
