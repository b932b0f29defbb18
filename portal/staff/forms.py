from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.inputs import no_control_characters
from portal.registration.status import STATE_LABELS


class SearchForm(FlaskForm):
    """Read-only search: sent with GET, so no CSRF token."""

    class Meta:
        csrf = False

    name = StringField("企业名称（部分即可）", validators=[Optional(), no_control_characters])
    code = StringField("企业代码", validators=[Optional(), no_control_characters])
    legal_name = StringField("法人姓名", validators=[Optional(), no_control_characters])
    wechat = StringField("法人微信号", validators=[Optional(), no_control_characters])
    state = SelectField(
        "状态",
        choices=[SelectChoice("", "全部"), *(SelectChoice(k, v) for k, v in STATE_LABELS.items())],
        validators=[Optional()],
    )
    partner = SelectField("代理商", choices=[SelectChoice("", "全部")], validators=[Optional()])
    date_from = DateField("提交日期从", validators=[Optional()])
    date_to = DateField("到", validators=[Optional()])


class NoteForm(FlaskForm):
    body = TextAreaField(
        "备注",
        validators=[DataRequired("请填写备注内容。"), Length(max=2000), no_control_characters],
    )
    submit = SubmitField("添加备注")
