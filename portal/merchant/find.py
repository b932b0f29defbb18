"""Finding a lost status link without staff, and without letting a stranger in.

The merchant proves they typed the submission: the company code (public, on the
business licence) plus one fact that is not public: the legal person's WeChat ID or
the contact phone given with the submission, or, once the mini program exists, its
AppID (the legal person, its administrator, reads it at mp.weixin.qq.com). A v2
submission may carry none of those until its mini program exists: then the company's
name, while its page grants no more than ``/apply`` already does to anyone who types
the same name and code (it opens the company's running submission). The answer is the
status link. Attempts are limited per address and per company code, and a miss never
says whether the code is known. docs/operations.md *Lost status links* is the threat model.
"""

from __future__ import annotations

import hmac

import sqlite_utils
from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal import normalize, ratelimit
from portal.db import get_db
from portal.inputs import no_control_characters
from portal.merchant.blueprint import bp
from portal.registration import status as status_view
from portal.registration import submissions as subs
from portal.registration.flavors import flavor as get_flavor

PER_ADDRESS_HOUR = 10  # a merchant with a typo retries a few times, a scraper many
PER_CODE_DAY = 5  # guessing one company's WeChat ID or phone stays hopeless
#: States whose page lets its holder act on a mini program (the go-live setup): only a
#: private fact opens them.
CREATED = (subs.SUCCEEDED, subs.AUTHORIZED)


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


def _same(a: str, b: str) -> bool:
    return bool(a) and hmac.compare_digest(a.encode(), b.encode())


def _without_private_fact(row: dict) -> bool:
    """Nothing but public facts were given (v2 without a phone), and no mini program yet."""
    created = row["state"] in CREATED or (row["state"] == subs.HELD and row["held_from"] in CREATED)
    personal = get_flavor(row["flavor"]).personal_facts(row)
    return not (any(value for _, value in personal) or row["contact_phone"] or created)


def recoverable(db: sqlite_utils.Database, code: str, secret: str) -> list[dict]:
    """Submissions of ``code`` that ``secret`` proves (newest first), with their state.

    By WeChat ID or phone (``submissions.proven_by``); by the new mini program's AppID;
    or by the company's exact name for a submission that holds no private fact.
    """
    found = {row["public_id"] for row in subs.proven_by(db, code, secret)}
    key = normalize.company_code(code).replace("-", "")
    appid = secret.strip().lower()
    name = normalize.company_name(secret)
    rows = db.query(
        "SELECT * FROM submissions "
        "WHERE replace(code, '-', '') = ? AND purged_at IS NULL ORDER BY id DESC LIMIT 20",
        [key],
    )
    shown = []
    for row in rows:
        by_appid = _same((row["appid"] or "").lower(), appid)
        by_name = _without_private_fact(row) and _same(row["name"], name)
        if row["public_id"] in found or by_appid or by_name:
            shown.append({**row, "label": status_view.state_label(row)})
    return shown


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
        found = recoverable(db, form.code.data, form.secret.data)
    elif request.method == "POST":
        status = 400
    return render_template("merchant/find.html", form=form, found=found, wait=0), status
