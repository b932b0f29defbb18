from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请填写用户名。"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请填写密码。"), Length(max=256)])
    submit = SubmitField("登录")


class ButtonForm(FlaskForm):
    """An empty form: every state-changing button carries a CSRF token."""

    submit = SubmitField("确定")
