"""What the go-live tests share: a mini program the sandbox created, its A-token, images,
and the steps that take it to a state (name, avatar, introduction, category, template,
commit, privacy, audit)."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from PIL import Image

from portal.sandbox import pusher
from portal.sandbox.miniprograms import icp
from tests.conftest import CREDENTIALS
from tests.registration.facts import facts
from tests.sandbox.test_sandbox_api import create

COMPONENT = CREDENTIALS["WECHAT_COMPONENT_APPID"]
SIGNATURE = "沙箱云店提供门店商品在线选购、预约与到店自提服务。"
PRIVACY = {
    "owner_setting": {"contact_phone": "020-12345678", "notice_method": "弹窗提示"},
    "setting_list": [
        {"privacy_key": "Location", "privacy_text": "为你推荐附近的门店"},
        {"privacy_key": "PhoneNumber", "privacy_text": "联系你确认订单"},
        {"privacy_key": "Album", "privacy_text": "上传售后凭证照片"},
    ],
}


def image(kind: str = "JPEG", size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (7, 163, 90)).save(out, kind)
    return out.getvalue()


@dataclass
class MiniProgram:
    """A mini program a sandbox task created, with the A-token api_query_auth gave."""

    http: httpx.Client
    ctoken: str
    appid: str
    token: str
    seen: dict[str, Any] = field(default_factory=dict)

    def post(self, path: str, body: Any = None, raw: bytes | None = None, **params) -> dict:
        params.setdefault("access_token", self.token)
        content = raw if raw is not None else json.dumps(body or {}, ensure_ascii=False).encode()
        response = self.http.post(path, params=params, content=content)
        return response.json()

    def get(self, path: str, **params) -> dict:
        params.setdefault("access_token", self.token)
        return self.http.get(path, params=params).json()

    def component(self, path: str, body: Any = None, verb: str = "POST", **params) -> dict:
        """A call with the platform's C-token."""
        params.setdefault("component_access_token", self.ctoken)
        if verb == "GET":
            return self.http.get(path, params=params).json()
        content = json.dumps(body or {}, ensure_ascii=False).encode()
        return self.http.post(path, params=params, content=content).json()

    def upload(self, data: bytes | None = None, name: str = "a.jpg", path: str = "") -> dict:
        params = {"access_token": self.token}
        if not path:
            path, params["type"] = "/cgi-bin/media/upload", "image"
        files = {"media": (name, data if data is not None else image(), "image/jpeg")}
        return self.http.post(path, params=params, files=files).json()

    def media(self, name: str = "a.jpg") -> str:
        answer = self.upload(name=name)
        assert answer["errcode"] == 0, answer
        return answer["media_id"]


def new_miniprogram(http, db, app, ctoken: str, company: str = "沙箱S0上线科技有限公司"):
    """A task that succeeds at once (magic S0), its auth_code exchanged for an A-token."""
    assert create(http, ctoken, facts(company))["errcode"] == 0
    pusher.advance_tasks(db, app.config)
    appid, code = db.execute(
        "SELECT appid, auth_code FROM tasks WHERE name = ?", [company]
    ).fetchone()
    answer = http.post(
        "/cgi-bin/component/api_query_auth",
        params={"component_access_token": ctoken},
        json={"component_appid": COMPONENT, "authorization_code": code},
    ).json()
    token = answer["authorization_info"]["authorizer_access_token"]
    return MiniProgram(http, ctoken, appid, token)


def elapse(db) -> None:
    """Let every pending audit and privacy scan reach its end (the next call ends them)."""
    db.execute("UPDATE name_audits SET ends_at = 0 WHERE status = 1")
    db.execute("UPDATE mp_categories SET ends_at = 0 WHERE status = 1")
    db.execute("UPDATE audits SET ends_at = 0 WHERE status IN (2, 4)")
    db.execute("UPDATE versions SET scan_until = 0")
    db.conn.commit()


def set_basics(mp: MiniProgram, name: str = "沙箱云店") -> None:
    assert mp.post("/wxa/setnickname", {"nick_name": name, "license": mp.media()})["errcode"] == 0
    crop = {"x1": 0, "y1": 0, "x2": 1, "y2": 1}
    head = {"head_img_media_id": mp.media(), **crop}
    assert mp.post("/cgi-bin/account/modifyheadimage", head)["errcode"] == 0
    body = {"signature": SIGNATURE}
    assert mp.post("/cgi-bin/account/modifysignature", body)["errcode"] == 0


def add_category(mp: MiniProgram, first: int = 8, second: int = 801, **extra) -> dict:
    return mp.post(
        "/cgi-bin/wxopen/addcategory", {"categories": [{"first": first, "second": second, **extra}]}
    )


def template_id(mp: MiniProgram, draft_id: int = 2) -> int:
    """Add a draft to the library; the new template's id."""
    added = mp.component("/wxa/addtotemplate", {"draft_id": draft_id, "template_type": 0})
    assert added["errcode"] == 0, added
    listed = mp.component("/wxa/gettemplatelist", verb="GET")["template_list"]
    return max(t["template_id"] for t in listed if t["draft_id"] == draft_id)


def ext_json(mp: MiniProgram, **extra) -> str:
    ext = {"extAppid": mp.appid, "ext": {"shop": "沙箱云店"}, **extra}
    return json.dumps(ext, ensure_ascii=False)


def commit(mp: MiniProgram, template: int, user_desc: str = "首个版本", **ext) -> dict:
    ext.setdefault("requiredPrivateInfos", ["getLocation"])
    body = {"template_id": template, "ext_json": ext_json(mp, **ext), "user_version": "1.0.0"}
    return mp.post("/wxa/commit", {**body, "user_desc": user_desc})


def items(mp: MiniProgram) -> list[dict]:
    category = mp.get("/wxa/get_category")["category_list"][0]
    page = mp.get("/wxa/get_page")["page_list"][0]
    return [{"address": page, "tag": "门店 自提", "title": "首页", **category}]


def ready(mp: MiniProgram, db, name: str = "沙箱云店", user_desc: str = "首个版本") -> int:
    """Everything submit_audit and release need (the ICP filing too); the template id."""
    set_basics(mp, name)
    assert add_category(mp)["errcode"] == 0
    template = template_id(mp)
    assert commit(mp, template, user_desc)["errcode"] == 0
    elapse(db)
    assert mp.post("/cgi-bin/component/setprivacysetting", PRIVACY)["errcode"] == 0
    icp.set_state(db, mp.appid, icp.FILED)  # filed by the merchant (release: 85020 otherwise)
    return template


def submit(mp: MiniProgram, **extra) -> dict:
    return mp.post("/wxa/submit_audit", {"item_list": items(mp), **extra})


def audited(mp: MiniProgram, db, outcome_desc: str = "首个版本") -> int:
    """Submit a ready mini program and let its audit end; the auditid."""
    answer = submit(mp, version_desc=outcome_desc)
    assert answer["errcode"] == 0, answer
    elapse(db)
    return answer["auditid"]


def decrypt(body: bytes) -> str:
    """Open a push with cryptography alone (not portal.wechat.crypto)."""
    encrypted = body.split(b"<Encrypt><![CDATA[")[1].split(b"]]>")[0]
    key = base64.b64decode(CREDENTIALS["WECHAT_ENCODING_AES_KEY"] + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    padded = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    unpadder = padding.PKCS7(256).unpadder()
    plain = unpadder.update(padded) + unpadder.finalize()
    length = int.from_bytes(plain[16:20], "big")
    assert plain[20 + length :].decode() == COMPONENT
    return plain[20 : 20 + length].decode()
