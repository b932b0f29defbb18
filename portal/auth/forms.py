from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请填写用户名。")])
    password = PasswordField("密码", validators=[DataRequired("请填写密码。")])
    submit = SubmitField("登录")


class ButtonForm(FlaskForm):
    """An empty form: every state-changing button carries a CSRF token."""

    submit = SubmitField("确定")
