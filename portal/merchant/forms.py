"""The merchant's form, built from the registration flavor's fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField

from portal.registration.flavors import Flavor

CONTACT_PHONE_LABEL = "联系电话（选填，可凭它找回进度页）"
SMS_OPT_IN_LABEL = "接收短信通知"


def apply_form(flavor: Flavor, **kwargs) -> FlaskForm:
    """A form with the flavor's fields, an optional contact phone and hidden links."""

    class ApplyForm(FlaskForm):
        contact_phone = StringField(CONTACT_PHONE_LABEL)
        sms_opt_in = BooleanField(SMS_OPT_IN_LABEL, default=False)  # portal/notify/consent.py
        previous = HiddenField()
        ref = HiddenField()

    for field in flavor.fields:
        if field.choices:
            choices = [SelectChoice("", "请选择"), *(SelectChoice(v, t) for v, t in field.choices)]
            setattr(ApplyForm, field.name, SelectField(field.label, choices=choices, default="1"))
        else:
            setattr(ApplyForm, field.name, StringField(field.label))
    return ApplyForm(**kwargs)
