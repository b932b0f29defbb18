"""Pre-flight checks of the merchant's input, before any WeChat quota is spent.

DESIGN § Pre-flight validation. Errors block; warnings show and let the merchant go
on. Normalizations are reported so the page can show exactly what will be sent.
``static/js/validation.js`` applies the same rules in the browser with the same
messages; ``e2e/test_validation_parity.py`` checks the two agree.

This module is the entry point: the ``Result`` type and the form-level ``validate()``.
The per-field rules live beside it: ``portal.validation_codes`` (the enterprise code
and its check characters) and ``portal.validation_fields`` (the company name, the
legal person's name and WeChat ID, the phone patterns).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from portal import normalize
from portal.validation_codes import code_error
from portal.validation_fields import (
    LANDLINE,
    MOBILE,
    NOT_A_PERSON,
    WHERE_WECHAT_ID,
    check_person,
    name_error,
    name_warning,
    wechat_error,
)

ALL_FIELDS = ("name", "code_type", "code", "legal_persona_name", "legal_persona_wechat")


@dataclass
class Result:
    """The normalized ``values``, what blocks (``errors``), what only asks
    (``warnings``) and each normalization made (``changes``: field -> (typed, sent))."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(raw: Mapping[str, Any], fields: Iterable[str] = ALL_FIELDS) -> Result:
    """Check and normalize the merchant's input for a form with these ``fields``.

    Without a code-type field the code must be an 18-character unified social credit
    code (the newer API accepts nothing else).
    """
    fields = tuple(fields)
    raw_values = {k: str(raw.get(k) or "") for k in (*ALL_FIELDS, "contact_phone")}
    selectable = "code_type" in fields
    code_type = int(raw_values["code_type"]) if raw_values["code_type"] in ("1", "2", "3") else 0
    values: dict[str, Any] = normalize.facts(raw_values, fields)
    values["code_type"] = code_type if selectable else 1
    values["contact_phone"] = normalize.contact_phone(raw_values["contact_phone"])
    result = Result(values)
    for key in normalize.FIELDS:
        if key in values and raw_values[key].strip() and values[key] != raw_values[key]:
            result.changes[key] = (raw_values[key], values[key])
    errors, warnings = result.errors, result.warnings

    person_errors: dict[str, str] = {}
    person_warnings: dict[str, str] = {}
    if "legal_persona_name" in fields:
        check_person(values["legal_persona_name"], person_errors, person_warnings)
    person = "" if person_errors else values.get("legal_persona_name", "")
    name = values["name"]
    if error := name_error(name, person):
        errors["name"] = error
    elif warning := name_warning(name):
        warnings["name"] = warning
    elif name.startswith("个体户") and values.get("legal_persona_name"):
        expected = "个体户" + values["legal_persona_name"]
        if name != expected:
            warnings["name"] = f"无字号的个体工商户，名称应为“个体户”加法人姓名，即“{expected}”。"

    if not values["code_type"]:
        errors["code_type"] = "请选择企业代码类型。"
    if not values["code"]:
        errors["code"] = "请填写企业代码。"
    elif values["code_type"]:
        error, warning = code_error(values["code"], values["code_type"], selectable)
        if error:
            errors["code"] = error
        elif warning:
            warnings["code"] = warning

    errors.update(person_errors)
    warnings.update(person_warnings)
    if "legal_persona_wechat" in fields:
        wechat = values["legal_persona_wechat"]
        if not wechat:
            errors["legal_persona_wechat"] = f"请填写法定代表人的微信号。{WHERE_WECHAT_ID}"
        elif error := wechat_error(wechat):
            errors["legal_persona_wechat"] = error
        elif what := next((what for id_, what in NOT_A_PERSON if id_.match(wechat)), None):
            warnings["legal_persona_wechat"] = (
                f"“{wechat}”{what}，不是个人微信号。需要的是法定代表人本人的微信号：{WHERE_WECHAT_ID}"
            )

    phone = values["contact_phone"]
    if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
        errors["contact_phone"] = "请填写手机号（11 位）或座机号（如 020-12345678），也可以不填。"
    return result
