"""The body of a setup call: JSON (photos as base64 strings) or multipart/form-data
(photos as files), read strictly and within a bound, never a 500.

Each field may appear once and must be known (400 ``unknown_parameter``); a body past
the route's bound is 413; JSON is read as ``params.json_object`` reads it (UTF-8, depth,
no repeated keys). A photo that cannot be decoded is a field error (422) for the route
to report with the rules' own. The digest (for ``Idempotency-Key``) covers the path, the
fields and each photo's SHA-256, so a multipart boundary does not change it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from portal.api import idempotency, params
from portal.api.params import Refused
from portal.golive import rules
from portal.inputs import Invalid, load_json

#: The base64 text of the largest photo the rules read (rules.UPLOAD_MAX bytes).
BASE64_MAX = 4 * ((rules.UPLOAD_MAX + 2) // 3)
#: Photos one call may carry (an avatar; a category's documents); a route may allow
#: more (the name: its licence and proofs) within the same bound of the body.
MAX_PHOTOS = 3
#: The bound of a call that carries photos; other setup calls keep the API's 64 KB.
PHOTO_BODY_MAX = MAX_PHOTOS * (BASE64_MAX + 4096) + params.MAX_BODY_BYTES
NOT_BASE64 = "不是有效的 base64 编码：请把图片文件按标准 base64（RFC 4648）编码后发送。"
NOT_A_STRING = "应为 base64 编码的图片（字符串），或用 multipart/form-data 上传文件。"
NOT_A_FILE = "在 multipart/form-data 中，照片应作为文件上传，而不是文本字段。"
WRONG_BODY = "请求体应为 JSON 对象（Content-Type: application/json）或 multipart/form-data。"
WHITESPACE = re.compile(r"[ \t\r\n]+")


@dataclass
class Body:
    """What a call sent: its fields (JSON values; text in multipart), its photos' bytes
    by field (``qualification:<document>`` for a category's), and photo fields that
    could not be read (field → message)."""

    fields: dict[str, Any] = field(default_factory=dict)
    photos: dict[str, bytes] = field(default_factory=dict)
    wrong: dict[str, str] = field(default_factory=dict)
    digest: str = ""


def _too_large(limit: int, most: int = MAX_PHOTOS) -> Refused:
    if limit > params.MAX_BODY_BYTES:
        message = (
            f"请求体超过 {limit // (1024 * 1024)} MB 上限：每张照片不超过 "
            f"{rules.UPLOAD_MAX // (1024 * 1024)} MB，一次最多 {most} 张。"
        )
        if most > MAX_PHOTOS:
            message += "照片多时可以分几次上传：已上传的照片会保留。"
    else:
        message = f"请求体超过 {limit // 1024} KB 上限。"
    return Refused(413, "too_large", message)


def _unknown(names: list[str], known: tuple[str, ...]) -> Refused:
    message = f"未知的字段：{', '.join(names)}。可用字段：{', '.join(known) or '（无）'}。"
    return Refused(400, "unknown_parameter", message, params=names)


def decode_photo(value: Any) -> bytes | str:
    """A base64 photo's bytes, or the reason it cannot be read (a data: URL is fine)."""
    if not isinstance(value, str):
        return NOT_A_STRING
    text = value
    if text.startswith("data:"):
        head, comma, text = text.partition(",")
        if not comma or not head.endswith(";base64"):
            return NOT_BASE64
    text = WHITESPACE.sub("", text)
    if len(text) > BASE64_MAX + 4:
        return rules.TOO_BIG
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):  # not base64, or not ASCII at all
        return NOT_BASE64


def _too_many(most: int) -> Refused:
    return Refused(413, "too_large", f"一次最多上传 {most} 张照片。")


def _photo(body: Body, name: str, value: Any, most: int) -> None:
    if len(body.photos) + len(body.wrong) >= most:
        raise _too_many(most)
    decoded = decode_photo(value)
    if isinstance(decoded, bytes):
        body.photos[name] = decoded
    else:
        body.wrong[name] = decoded


def _from_json(
    texts: tuple[str, ...],
    photos: tuple[str, ...],
    group: str,
    prefix: str,
    limit: int,
    most: int,
) -> Body:
    if (request.content_length or 0) > limit:
        raise _too_large(limit, most)
    data = request.get_data(cache=True)
    if len(data) > limit:
        raise _too_large(limit, most)
    try:
        loaded = load_json(data)
    except Invalid as exc:
        raise Refused(400, "invalid_json", str(exc)) from None
    if not isinstance(loaded, dict):
        raise Refused(400, "invalid_json", "请求体应为 JSON 对象。")
    known = (*texts, *photos, *((group,) if group else ()))
    if unknown := sorted(set(loaded) - set(known)):
        raise _unknown(unknown, known)
    body = Body(digest=idempotency.digest({"path": request.path, "json": loaded}))
    for name, value in loaded.items():
        if value is None:
            continue
        if name in photos:
            _photo(body, name, value, most)
        elif name == group:
            if not isinstance(value, dict):
                body.wrong[group] = "应为对象：资质名称 → base64 编码的照片。"
                continue
            for document, image in value.items():
                _photo(body, f"{prefix}{document}", image, most)
        else:
            body.fields[name] = value
    return body


def _from_form(texts: tuple[str, ...], photos: tuple[str, ...], prefix: str, most: int) -> Body:
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        raise
    except Exception:  # a broken multipart body fails inside the parser, in any way
        raise Refused(400, "invalid_body", "multipart/form-data 请求体无法解析。") from None
    wanted_files = [n for n in files if n in photos or (prefix and n.startswith(prefix))]
    as_text = [n for n in form if n in photos or (prefix and n.startswith(prefix))]
    unknown = sorted({*(n for n in form if n not in texts and n not in as_text),
                      *(set(files) - set(wanted_files))})  # fmt: skip
    if unknown:
        raise _unknown(unknown, (*texts, *photos, *((f"{prefix}<资质名称>",) if prefix else ())))
    for name in (*form, *files):
        if len(form.getlist(name)) + len(files.getlist(name)) > 1:
            raise params.invalid(name, f"字段 {name} 只能出现一次。")
    body = Body(fields={name: form[name] for name in form if name not in as_text})
    body.wrong = {name: NOT_A_FILE for name in as_text}
    hashes: dict[str, str] = {}
    for name in wanted_files:
        upload = files[name]
        content = upload.stream.read(rules.UPLOAD_MAX + 1)
        if not upload.filename and not content:
            continue  # a file input left empty
        if len(body.photos) >= most:
            raise _too_many(most)
        body.photos[name] = content
        hashes[name] = hashlib.sha256(content).hexdigest()
    body.digest = idempotency.digest({"path": request.path, "form": body.fields, "files": hashes})
    return body


def read(
    texts: tuple[str, ...] = (),
    photos: tuple[str, ...] = (),
    group: str = "",
    prefix: str = "",
    most: int = MAX_PHOTOS,
) -> Body:
    """The call's body. ``photos``: fields that carry one photo; ``group``: a JSON field
    holding several by document name, sent in multipart as files ``prefix<document>``;
    ``most``: how many photos one call may carry (all within ``PHOTO_BODY_MAX``).
    No body at all is an empty one (a call that needs nothing, such as the release)."""
    limit = PHOTO_BODY_MAX if photos or group else params.MAX_BODY_BYTES
    request.max_content_length = limit
    if (request.content_length or 0) > limit:
        raise _too_large(limit, most)
    try:
        if request.mimetype == "multipart/form-data":
            return _from_form(texts, photos, prefix, most)
        if request.is_json:
            return _from_json(texts, photos, group, prefix, limit, most)
        if request.get_data(cache=True):
            raise Refused(400, "invalid_json", WRONG_BODY)
    except RequestEntityTooLarge:
        raise _too_large(limit, most) from None
    return Body(digest=idempotency.digest({"path": request.path}))
