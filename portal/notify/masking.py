"""The last guard before a text leaves: no code, token, secret or personal fact in it.

The templates' values are a few fixed words and small numbers (``moments``), so this
never triggers by design; it exists so that a future template or value that would leak
fails loudly (the message is failed, not sent) instead of reaching a phone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from portal.privacy import mask_wechat

#: A submission's columns that must never appear in a text.
SUBMISSION_SECRETS = (
    "code", "legal_persona_name", "legal_persona_wechat", "public_id", "appid", "taskid",
    "authorize_url", "component_phone",
)  # fmt: skip
#: Settings that must never appear in a text.
CONFIG_SECRETS = (
    "WECHAT_COMPONENT_APPSECRET", "WECHAT_TOKEN", "WECHAT_ENCODING_AES_KEY", "SECRET_KEY",
    "TOKEN_KEY", "SMS_SECRET_ID", "SMS_SECRET_KEY",
)  # fmt: skip
#: Shorter values (a two-character name) would match ordinary words.
SHORTEST = 3


def forbidden(submission: Mapping[str, Any] | None, config: Mapping[str, Any]) -> list[str]:
    values = [str(config.get(key) or "") for key in CONFIG_SECRETS]
    if submission is not None:
        values += [str(submission.get(key) or "") for key in SUBMISSION_SECRETS]
    return [v for v in values if len(v) >= SHORTEST]


def leaks(text: str, values: Iterable[str]) -> list[str]:
    """The forbidden values found in ``text``, masked for the record."""
    return [mask_wechat(v) for v in values if v and v in text]
