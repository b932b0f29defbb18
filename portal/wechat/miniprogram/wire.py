"""What every area of the mini-program client shares: one call over ``WeChatClient`` (its
transport, its call log, its raw-UTF-8 JSON), the call log's endpoint names, and readers
that take WeChat's answers tolerantly (a missing or mistyped field gives a default,
never an exception).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from portal.wechat.client import JSON, WeChatClient, WeChatError, WeChatUnavailable, encode_body

#: Both tokens go in this query parameter: the authorizer's (A-token) always, and the
#: component token (C-token) too, as WeChat's newer pages spell it.
TOKEN_PARAM = "access_token"


def endpoint_of(path: str, action: str = "") -> str:
    """The call log's name for a path: ``/wxa/commit`` is ``wxa.commit``; a query
    ``action`` is appended (``wxa.revertcoderelease.get_history_version``)."""
    name = path.strip("/").replace("/", ".")
    return f"{name}.{action}" if action else name


class Area:
    """One group of WeChat calls over a shared ``WeChatClient``."""

    def __init__(self, client: WeChatClient) -> None:
        self.client = client

    def _call(
        self,
        verb: str,
        path: str,
        token: str,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        image: bool = False,
    ) -> Any:
        """Make one call; raise WeChatError on a non-zero errcode."""
        action = str((query or {}).get("action") or "")
        endpoint = endpoint_of(path, action)
        params = {TOKEN_PARAM: token}
        params.update({key: _query_value(value) for key, value in (query or {}).items()})
        kw: dict[str, Any] = {"params": params}
        if body is not None:
            kw.update(content=encode_body(dict(body)), headers=JSON)
        if files is not None:
            kw["files"] = dict(files)
        answer = self.client.request(verb, path, endpoint, image, **kw)
        if isinstance(answer, bytes):
            return answer
        errcode = int(answer.get("errcode", 0) or 0)
        if errcode != 0:
            raise WeChatError(endpoint, errcode, str(answer.get("errmsg", "")))
        if image:
            raise WeChatUnavailable(endpoint, None, "errcode 0 but no image in the answer")
        return answer

    def _get(self, path: str, token: str, **query: Any) -> dict[str, Any]:
        return self._call("GET", path, token, query=query)

    def _post(self, path: str, token: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self._call("POST", path, token, body=body)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def image_file(content: bytes, filename: str, content_type: str) -> dict[str, Any]:
    """The multipart ``media`` field WeChat's uploads read."""
    return {"media": (filename, content, content_type)}


def ext_json_string(ext_json: Mapping[str, Any] | str) -> str:
    """``ext_json`` as WeChat wants it: a JSON string (85013 for an object), raw UTF-8."""
    if isinstance(ext_json, str):
        return ext_json
    return json.dumps(dict(ext_json), ensure_ascii=False, separators=(",", ":"))


def pick(data: Any, key: str) -> Any:
    """``data[key]``, matched case-insensitively when the exact key is absent
    (get_latest_auditstatus's sample writes ``ScreenShot`` for ``screenshot``)."""
    if not isinstance(data, Mapping):
        return None
    if key in data:
        return data[key]
    lowered = key.lower()
    return next((v for k, v in data.items() if str(k).lower() == lowered), None)


def text(data: Any, key: str) -> str:
    value = pick(data, key)
    return "" if value is None or isinstance(value, dict | list) else str(value)


def number(data: Any, key: str) -> int | None:
    """An integer sent as a number or digits (0 included); None for anything else."""
    value = pick(data, key)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, float):
        return int(value)
    digits = str(value).strip()
    return int(digits) if digits.lstrip("-").isdigit() else None


def count(data: Any, key: str) -> int:
    """A counter or quota: 0 when missing."""
    return number(data, key) or 0


def flag(data: Any, key: str) -> bool:
    value = pick(data, key)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true"}
    return bool(value) if isinstance(value, bool | int) else False


def obj(data: Any, key: str) -> dict[str, Any]:
    value = pick(data, key)
    return value if isinstance(value, dict) else {}


def rows(data: Any, key: str) -> list[dict[str, Any]]:
    value = pick(data, key)
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def strings(data: Any, key: str, sep: str = "") -> tuple[str, ...]:
    """A list of strings; with ``sep``, a string joined by it (``"a|b"``) is split too."""
    value = pick(data, key)
    if isinstance(value, str):
        parts = value.split(sep) if sep else [value]
    elif isinstance(value, list):
        parts = [str(item) for item in value if isinstance(item, str | int)]
    else:
        parts = []
    return tuple(part.strip() for part in parts if part.strip())


def numbers(data: Any, key: str) -> tuple[int, ...]:
    value = pick(data, key)
    found = [number({"n": item}, "n") for item in value] if isinstance(value, list) else []
    return tuple(item for item in found if item is not None)


def lists(values: Sequence[str]) -> list[str]:
    """A caller's domains or ids as the JSON array WeChat reads."""
    return [str(value) for value in values]
