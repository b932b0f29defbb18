"""Media, head image and introduction (SETUP §1.5–§1.7, §6 uploadmedia), A-token.

- ``/cgi-bin/media/upload?type=image`` (multipart field ``media``): temporary media for
  the head image, the name's proof and category qualifications. BMP, JPEG, GIF or PNG
  (told by the bytes, not the name: 40005), at most 2 MB (40006: the stricter of the two
  sizes the doc gives), ``type`` other than image 40004, no file 41005. It lives 3 days.
- ``/wxa/uploadmedia`` (multipart ``media``): audit material for ``preview_info``. PNG,
  JPEG or GIF ≤ 2 MB, or MP4 ≤ 10 MB; answers ``mediaid``. Never usable as a head image.
- ``modifyheadimage``: the media must be this mini program's own temporary media,
  unexpired (40007 otherwise: another MP's, the audit upload's, expired); the crop box
  x1, y1, x2, y2 in [0, 1] with x1 < x2 and y1 < y2 (-1 otherwise, as 0,0,0,0 gives);
  5 a month (53202).
- ``modifysignature``: 4–120 characters with at least 4 Chinese ones, no control
  characters or emoji (53204: WeChat documents the length and the Chinese; "invalid
  (length or encoding)" is read as also refusing emoji, see EMOJI_BLOCKS); no
  superlatives the advertising law bans (53201), looked for in the NFKC form too (so
  "100％" is "100%"); 5 a month (53200); not a string 40097.
"""

from __future__ import annotations

import secrets
import time
import unicodedata
from typing import Any

from flask import Response, g, request

from portal.db import insert, transaction
from portal.sandbox.miniprograms import limits, model
from portal.sandbox.miniprograms.calls import POST, a_call, answer

#: The first bytes of each format WeChat takes.
SIGNATURES = {
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"BM": "bmp",
}
AUDIT_IMAGE_FORMATS = ("jpeg", "png", "gif")
BANNED_WORDS = ("最好", "最佳", "第一", "顶级", "国家级", "全网最低", "100%", "微信官方")
#: Emoji, the stricter reading of 53204 (the portal's rules.py refuses the same before
#: sending): beyond the BMP (😀), a symbol (So) in Miscellaneous Symbols, Dingbats or
#: Miscellaneous Symbols and Arrows (☕ ❤ ✔ ★ ⭐), and the emoji presentation selector,
#: the keycap and the joiner; Chinese punctuation (，。！？、：；“”（）《》·—…) is no symbol.
EMOJI_BLOCKS = ((0x2600, 0x27BF), (0x2B00, 0x2BFF))
EMOJI_PARTS = "\ufe0f\u20e3\u200d"


def sniff(data: bytes) -> str:
    """The file's format from its first bytes ("" if it is none WeChat takes)."""
    for start, name in SIGNATURES.items():
        if data.startswith(start):
            return name
    return "mp4" if data[4:8] == b"ftyp" else ""


def _store(appid: str, source: str, kind: str, fmt: str, upload: Any, data: bytes) -> dict:
    row = {
        "media_id": secrets.token_urlsafe(48),
        "appid": appid,
        "source": source,
        "type": kind,
        "format": fmt,
        "size": len(data),
        "filename": upload.filename or "",
        "data": data,
        "created_at": time.time(),
    }
    with transaction(g.sandbox_db):
        insert(g.sandbox_db, "media", row)
    return row


@a_call("/cgi-bin/media/upload", POST, body=False)
def upload(mp: dict, _data: dict) -> Response:
    if request.args.get("type") != "image":
        return answer(40004)
    media = request.files.get("media")
    if media is None:
        return answer(41005)
    data = media.read()
    fmt = sniff(data)
    if fmt not in ("jpeg", "png", "gif", "bmp"):
        return answer(40005)
    if len(data) > limits.IMAGE_MAX:
        return answer(40006)
    row = _store(mp["appid"], "temp", "image", fmt, media, data)
    return answer(0, type="image", media_id=row["media_id"], created_at=int(row["created_at"]))


@a_call("/wxa/uploadmedia", POST, body=False)
def uploadmedia(mp: dict, _data: dict) -> Response:
    media = request.files.get("media")
    if media is None:
        return answer(41005)
    data = media.read()
    fmt = sniff(data)
    if fmt not in (*AUDIT_IMAGE_FORMATS, "mp4"):
        return answer(40005)
    kind = "video" if fmt == "mp4" else "image"
    if len(data) > (limits.VIDEO_MAX if kind == "video" else limits.IMAGE_MAX):
        return answer(40006)
    row = _store(mp["appid"], "audit", kind, fmt, media, data)
    return answer(0, type=kind, mediaid=row["media_id"])


def crop_box(data: dict) -> tuple[float, ...] | None:
    """x1, y1, x2, y2 as numbers (strings of numbers too), or None if they make no box."""
    try:
        box = tuple(float(data[key]) for key in ("x1", "y1", "x2", "y2"))
    except (KeyError, TypeError, ValueError):
        return None
    x1, y1, x2, y2 = box
    if not all(0 <= v <= 1 for v in box) or x1 >= x2 or y1 >= y2:
        return None
    return box


@a_call("/cgi-bin/account/modifyheadimage", POST)
def modifyheadimage(mp: dict, data: dict) -> Response:
    db, appid = g.sandbox_db, mp["appid"]
    media = model.media(db, data.get("head_img_media_id"), appid, "temp")
    if media is None or media["type"] != "image":
        return answer(40007)
    if crop_box(data) is None:
        return answer(-1)
    month = model.month_start(time.time())
    if model.count_changes(db, appid, "head_image", month) >= limits.HEAD_IMAGE_QUOTA:
        return answer(53202)
    model.add_change(db, appid, "head_image")
    model.update(db, appid, head_image_media=media["media_id"])
    return answer(0)


def chinese(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def emoji(c: str) -> bool:
    if ord(c) > 0xFFFF or c in EMOJI_PARTS:
        return True
    return unicodedata.category(c) == "So" and any(a <= ord(c) <= b for a, b in EMOJI_BLOCKS)


def signature_errcode(text: Any) -> int:
    if not isinstance(text, str):
        return 40097
    low, high = limits.SIGNATURE_LENGTH
    if not low <= len(text) <= high or chinese(text) < 4:
        return 53204
    if any(unicodedata.category(c).startswith("C") or emoji(c) for c in text):
        return 53204  # control characters, line breaks, emoji
    folded = unicodedata.normalize("NFKC", text)
    return 53201 if any(word in text or word in folded for word in BANNED_WORDS) else 0


@a_call("/cgi-bin/account/modifysignature", POST)
def modifysignature(mp: dict, data: dict) -> Response:
    db, appid = g.sandbox_db, mp["appid"]
    month = model.month_start(time.time())
    if model.count_changes(db, appid, "signature", month) >= limits.SIGNATURE_QUOTA:
        return answer(53200)
    failed = signature_errcode(data.get("signature"))
    if failed:
        return answer(failed)
    model.add_change(db, appid, "signature")
    model.update(db, appid, signature=data["signature"])
    return answer(0)
