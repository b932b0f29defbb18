"""Finding a lost status link without staff, and without letting a stranger in.

The merchant proves they typed the submission: the company code (public, on the
business licence) plus one fact that is not public: the legal person's WeChat ID or
the contact phone given with the submission, or, once the mini program exists, its
AppID (the legal person, its administrator, reads it at mp.weixin.qq.com). A v2
submission may carry none of those until its mini program exists: then the company's
name, while its page grants no more than ``/apply`` already does to anyone who types
the same name and code (it opens the company's running submission). The answer is the
status link (``registration.recovery`` decides which). Attempts are limited per address and per company code, and a miss never
says whether the code is known. docs/operations.md *Lost status links* is the threat model.
"""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal import normalize, ratelimit
from portal.db import get_db
from portal.inputs import no_control_characters
from portal.merchant.blueprint import bp
from portal.registration import recovery
from portal.registration import status as status_view

PER_ADDRESS_HOUR = 10  # a merchant with a typo retries a few times, a scraper many
PER_CODE_DAY = 5  # guessing one company's WeChat ID or phone stays hopeless


class FindForm(FlaskForm):
    code = StringField(
        "企业代码",
        validators=[DataRequired("请填写企业代码。"), Length(max=40), no_control_characters],
    )
    secret = StringField(
        "核对信息（任选一项）",
        validators=[
            DataRequired("请填写法人微信号、联系电话、AppID 或企业名称中的一项。"),
            Length(max=80),
            no_control_characters,
        ],
    )


@bp.route("/find", methods=["GET", "POST"])
def find() -> ResponseReturnValue:
    """Find my status page: code + a fact only the submitter has → the link."""
    form, found, status = FindForm(), None, 200
    if form.validate_on_submit():
        db, address = get_db(), request.remote_addr or ""
        code_key = normalize.company_code(form.code.data).replace("-", "")
        wait = max(
            ratelimit.minutes_until_allowed(db, "find", address, PER_ADDRESS_HOUR, 3600),
            ratelimit.minutes_until_allowed(db, "find-code", code_key, PER_CODE_DAY, 86400),
        )
        if wait:
            return render_template("merchant/find.html", form=form, found=None, wait=wait), 429
        ratelimit.record(db, "find", address)
        ratelimit.record(db, "find-code", code_key)
        found = [
            {**row, "label": status_view.state_label(row)}
            for row in recovery.recoverable(db, form.code.data, form.secret.data)
        ]
    elif request.method == "POST":
        status = 400
    return render_template("merchant/find.html", form=form, found=found, wait=0), status
