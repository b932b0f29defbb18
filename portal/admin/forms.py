from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from portal.accounts import MIN_PASSWORD, ROLE_LABELS
from portal.inputs import no_control_characters

PASSWORD = [
    DataRequired("请设置密码。"),
    Length(min=MIN_PASSWORD, message=f"密码至少 {MIN_PASSWORD} 位。"),
]


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[
        DataRequired("请填写用户名。"),
        Regexp(r"^[A-Za-z0-9_.-]{3,32}$", message="用户名为 3–32 位字母、数字或 _ . -"),
    ])  # fmt: skip
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
