from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from portal.accounts import MIN_PASSWORD, ROLE_LABELS
from portal.apikeys import SCOPES
from portal.inputs import no_control_characters
from portal.registration.outbox import SUBSCRIBABLE

PASSWORD = [
    DataRequired("请设置密码。"),
    Length(min=MIN_PASSWORD, message=f"密码至少 {MIN_PASSWORD} 位。"),
]


class UserForm(FlaskForm):
    username = StringField(
        "用户名",
        validators=[
            DataRequired("请填写用户名。"),
            Regexp(r"^[A-Za-z0-9_.-]{3,32}$", message="用户名为 3–32 位字母、数字或 _ . -"),
        ],
    )
    password = PasswordField("初始密码", validators=PASSWORD)
    role = SelectField("角色", choices=[SelectChoice(k, v) for k, v in ROLE_LABELS.items()])
    partner = SelectField("所属代理商（代理商账号必选）", choices=[SelectChoice("", "—")])
    submit = SubmitField("创建账号")


class PartnerForm(FlaskForm):
    name = StringField(
        "代理商名称",
        validators=[DataRequired("请填写名称。"), Length(max=60), no_control_characters],
    )
    submit = SubmitField("添加代理商")


class PasswordForm(FlaskForm):
    password = PasswordField("新密码", validators=PASSWORD)
    submit = SubmitField("重置密码")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WebhookForm(FlaskForm):
    url = URLField(
        "接收地址（URL）",
        validators=[
            DataRequired("请填写接收地址。"),
            Length(max=500, message="地址最长 500 个字符。"),
            no_control_characters,
        ],
    )
    description = StringField("说明（可不填）", validators=[Length(max=100), no_control_characters])
    event_types = MultiCheckboxField(
        "订阅的事件",
        choices=[SelectChoice(k, f"{k}（{v}）") for k, v in SUBSCRIBABLE.items()],
        default=list(SUBSCRIBABLE),
        validators=[DataRequired("请至少选择一种事件。")],
    )
    personal_data = BooleanField("包含法人姓名、微信号、联系电话和验证链接")
    secret = StringField(
        "签名密钥（留空则自动生成）",
        validators=[
            Optional(),
            Length(min=16, max=200, message="签名密钥为 16–200 个字符。"),
            no_control_characters,
        ],
    )
    submit = SubmitField("添加接收地址")


class ApiKeyForm(FlaskForm):
    name = StringField(
        "名称（如 CRM、部署系统）",
        validators=[
            DataRequired("请填写名称。"),
            Length(max=60),
            no_control_characters,
        ],
    )
    scopes = MultiCheckboxField(
        "权限",
        choices=[SelectChoice(k, f"{k}（{v}）") for k, v in SCOPES.items()],
        default=["submissions:read"],
        validators=[DataRequired("请至少选择一项权限。")],
    )
    submit = SubmitField("创建 API 密钥")
