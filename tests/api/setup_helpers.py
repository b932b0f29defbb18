"""Shared pieces of the setup API's tests: an authorized submission, its opened setup
with the categories fetched, keys, photos and a call helper."""

from __future__ import annotations

import base64
import hashlib
import io

from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.golive import outcomes
from portal.golive import steps as st
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from tests.registration.facts import facts

PLAIN = {
    "first": 304,
    "first_name": "餐饮服务",
    "second": 305,
    "second_name": "餐饮服务场所/餐饮服务管理企业",
    "sensitive": False,
    "qualifications": [],
}
PERMIT = {
    "first": 304,
    "first_name": "餐饮服务",
    "second": 1094,
    "second_name": "食品销售",
    "sensitive": True,
    "qualifications": ["食品经营许可证", "小餐饮登记证"],
}
CHOICES = [PLAIN, PERMIT]
WRITER = ("submissions:read", "setup:write")


def jpeg(color=(200, 80, 40), size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def png(size=(240, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 200, 128)).save(out, "PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def appid_for(name: str) -> str:
    return "wx" + hashlib.sha256(name.encode()).hexdigest()[:16]


def authorize(db, name: str = "广州市设置接口科技有限公司") -> dict:
    """A submission walked to authorized, with an appid of its own."""
    sub, _ = subs.submit(db, FLAVORS["classic"], facts(name))
    walk = (("sending", "queued"), ("checking", "sending"), ("awaiting_legal_person", "checking"),
            ("succeeded", "awaiting_legal_person"), ("authorized", "succeeded"))  # fmt: skip
    for to_state, expect in walk:
        assert subs.transition(db, sub["id"], to_state, "", expect=[expect], appid=appid_for(name))
    return subs.get(db, sub["id"])


def open_with_choices(db, sub: dict, choices=CHOICES) -> dict:
    """The setup opened, the categories fetched (what the worker's golive.open does)."""
    setup = st.open_setup(db, sub["id"], sub["appid"])
    result = {"choices": list(choices)}
    outcomes.progress(db, setup["id"], st.CATEGORY, "choices", result, "")
    return setup


def call(client, method, path, key, **kwargs):
    headers = {"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
    if kwargs.get("content_type") == "multipart/form-data" and isinstance(kwargs.get("data"), dict):
        # Encoded here, in memory: the test client's own encoder leaves a temporary file open.
        fields = {}
        for name, value in kwargs["data"].items():
            if isinstance(value, tuple):
                stream, filename = value
                value = FileStorage(stream, filename, content_type="application/octet-stream")
            fields[name] = value
        boundary, body = encode_multipart(MultiDict(
            [(k, v) for k, many in fields.items() for v in (many if isinstance(many, list) else [many])]
        ))  # fmt: skip
        kwargs["data"], kwargs["content_type"] = body, f"multipart/form-data; boundary={boundary}"
    return getattr(client, method)(path, headers=headers, **kwargs)


def url(sub: dict, tail: str = "") -> str:
    return f"/api/v1/submissions/{sub['id']}/setup{tail}"


def stored(db, setup_id: int, name: str) -> tuple[str, dict, set[str]]:
    """(state, input, file roles) of a step as the database holds it."""
    row = st.step(db, setup_id, name)
    roles = {f["role"] for f in st.files(db, setup_id, name)}
    return row["state"], row["input"], roles


def untouched(db, setup_id: int, name: str) -> None:
    assert stored(db, setup_id, name) == (st.TODO, {}, set())
