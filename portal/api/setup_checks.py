"""Each drive call's input, checked by the merchant's own rules (``portal.golive.rules``)
and turned into what ``steps.give`` stores: photos converted as the merchant's page
converts them (a square JPEG head image, documents as JPEG of at most 2 MB), messages
in Chinese. Nothing here writes; the route stores what passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from portal.api.bodies import Body
from portal.golive import name_proofs, rules
from portal.golive import steps as st
from portal.inputs import SQLITE_MAX_INT, Invalid, json_int, parse_bool, parse_int

QUALIFICATION = "qualification:"  # a category document's role, and its multipart field
#: The name's proof photos (setnickname's naming_other_stuff_1 … _5) by field: slot.
PROOFS = {f"proof_{slot}": slot for slot in name_proofs.SLOTS}
CLEAR_PROOFS = "clear_proofs"
LABELS = {
    "nickname": "小程序名称",
    "licence": "营业执照照片",
    "avatar": "头像照片",
    "signature": "简介",
    "first": "一级类目",
    "second": "二级类目",
    "category": "类目",
    "qualifications": "资质照片",
    "wechat_ids": "体验者的微信号",
    "feedback_info": "给审核人员的说明",
    CLEAR_PROOFS: "不再使用已上传的证明材料",
    **{name: f"证明材料照片 {slot}" for name, slot in PROOFS.items()},
}
NO_LICENCE = "请上传营业执照照片（licence）：企业的小程序设置名称需要营业执照（微信的规定）。"
NO_CHOICES = (
    "可选类目还没有获取到（平台正在向微信获取），请稍后再试；"
    "GET /api/v1/submissions/<id>/setup/categories 可查看。"
)
NOT_TEXT = "应为字符串。"
MAX_TESTER_ITEMS = 100  # far past rules.TESTERS_MAX: the rules say how many are allowed


@dataclass
class Checked:
    """What passed (``values`` and ``files`` for ``steps.give``) or what did not."""

    values: dict[str, Any] = field(default_factory=dict)
    files: list[tuple[str, str, bytes]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def refuse(self, name: str, message: str) -> None:
        label = LABELS.get(name)
        if label is None and name.startswith(QUALIFICATION):
            label = f"资质照片（{name[len(QUALIFICATION) :]}）"
        self.errors.append({"field": name, "label": label or name, "message": message})


def roles(db: sqlite_utils.Database, setup_id: int, name: str) -> set[str]:
    """The roles of the files kept for a step (never their bytes)."""
    rows = db.execute(
        "SELECT role FROM setup_files WHERE setup_id = ? AND step = ?", [setup_id, name]
    ).fetchall()
    return {row[0] for row in rows}


def _text(checked: Checked, body: Body, name: str, check: Callable[[Any], rules.Checked]):
    raw = body.fields.get(name)
    if raw is not None and not isinstance(raw, str):
        checked.refuse(name, NOT_TEXT)
        return None
    found = check(raw)
    if found.error:
        checked.refuse(name, found.error)
        return None
    return found.value


def _document(checked: Checked, body: Body, name: str, role: str) -> bool:
    """Convert one document photo into ``checked.files``; False when refused."""
    try:
        checked.files.append((role, "image/jpeg", rules.document_jpeg(body.photos[name])))
    except rules.PhotoRefused as refusal:
        checked.refuse(name, str(refusal))
        return False
    return True


def _flag(checked: Checked, body: Body, name: str) -> bool:
    """A JSON true or false (in multipart, the text "true" or "false"); absent is false."""
    raw = body.fields.get(name, False)
    if raw in ("true", "false"):
        return raw == "true"
    try:
        return parse_bool(raw)
    except Invalid as exc:
        checked.refuse(name, str(exc))
        return False


def _proofs(checked: Checked, body: Body, row: dict, stored: set[str]) -> list[str]:
    """The name's proof roles after this call, as the merchant's page makes them
    (``name_proofs.collect``): kept ones stay unless ``clear_proofs``, each photo given
    replaces its slot (into ``checked.files``)."""
    for field_name in PROOFS:
        if field_name in body.wrong:
            checked.refuse(field_name, body.wrong[field_name])
    kept = () if _flag(checked, body, CLEAR_PROOFS) else row["input"].get("proofs") or ()
    photos = {slot: body.photos[n] for n, slot in PROOFS.items() if n in body.photos}
    proofs, files, refused = name_proofs.collect(photos, kept, stored)
    for field_name, slot in PROOFS.items():
        if slot in refused:
            checked.refuse(field_name, refused[slot])
    checked.files.extend(files)
    return proofs


def name(db: sqlite_utils.Database, setup: dict, body: Body) -> Checked:
    """The name, the licence (a kept one will do) and the proofs; a name WeChat asked
    proof for needs at least one, as on the merchant's page."""
    checked = Checked()
    nickname = _text(checked, body, "nickname", rules.check_nickname)
    stored = roles(db, setup["id"], st.NAME)
    if "licence" in body.wrong:
        checked.refuse("licence", body.wrong["licence"])
    elif "licence" in body.photos:
        _document(checked, body, "licence", "licence")
    elif "licence" not in stored:
        checked.refuse("licence", NO_LICENCE)
    row = st.step(db, setup["id"], st.NAME)
    proofs = _proofs(checked, body, row, stored)
    asked = row["result"]
    if not checked.errors and (missing := name_proofs.missing(asked, nickname, len(proofs))):
        checked.refuse("proof_1", missing)  # where the first one goes
    checked.values = name_proofs.values(nickname, proofs)
    return checked


def avatar(_db: sqlite_utils.Database, _setup: dict, body: Body) -> Checked:
    checked = Checked()
    if "avatar" in body.wrong:
        checked.refuse("avatar", body.wrong["avatar"])
        return checked
    try:
        jpeg = rules.avatar_jpeg(body.photos.get("avatar", b""))
    except rules.PhotoRefused as refusal:
        checked.refuse("avatar", str(refusal))
        return checked
    checked.files.append(("avatar", "image/jpeg", jpeg))
    return checked


def intro(_db: sqlite_utils.Database, _setup: dict, body: Body) -> Checked:
    checked = Checked()
    checked.values = {"signature": _text(checked, body, "signature", rules.check_introduction)}
    return checked


def _category_id(checked: Checked, body: Body, name: str) -> int | None:
    raw = body.fields.get(name)
    try:
        if isinstance(raw, str):
            return parse_int(raw, 1, SQLITE_MAX_INT)
        return json_int(raw, 1, SQLITE_MAX_INT)
    except Invalid:
        message = "请填写类目编号。" if raw in (None, "") else "应为类目编号（正整数）。"
        checked.refuse(name, message)
        return None


def category(db: sqlite_utils.Database, setup: dict, body: Body) -> Checked:
    checked = Checked()
    first, second = _category_id(checked, body, "first"), _category_id(checked, body, "second")
    for field_name, message in body.wrong.items():
        checked.refuse(field_name, message)
    if checked.errors:
        return checked
    found = st.step(db, setup["id"], st.CATEGORY)["result"].get("choices")
    choices = [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []
    choice, error = rules.find_choice(choices, f"{first}:{second}")
    if choice is None:
        checked.refuse("category", NO_CHOICES if not choices else error or "")
        return checked
    needed = rules.needed_documents(choice)
    stored = roles(db, setup["id"], st.CATEGORY)
    have = {role[len(QUALIFICATION) :] for role in stored if role.startswith(QUALIFICATION)}
    for photo in body.photos:
        document = photo[len(QUALIFICATION) :]
        if document not in needed:
            wanted = "、".join(needed) or "（这个类目不需要资质）"
            checked.refuse(photo, f"“{document[:40]}”不是这个类目需要的资质；需要的是：{wanted}。")
        elif _document(checked, body, photo, photo):
            have.add(document)
    if not checked.errors and (missing := rules.missing_documents(choice, have)):
        checked.refuse("qualifications", missing)
    checked.values = {key: choice[key] for key in ("first", "first_name", "second", "second_name")}
    checked.values["qualifications"] = [d for d in needed if d in have]
    return checked


def testers(_db: sqlite_utils.Database, _setup: dict, body: Body) -> Checked:
    checked = Checked()
    raw = body.fields.get("wechat_ids")
    if isinstance(raw, list):
        if len(raw) > MAX_TESTER_ITEMS or not all(isinstance(i, str) for i in raw):
            checked.refuse(
                "wechat_ids", f"应为微信号的列表（字符串），一次最多 {rules.TESTERS_MAX} 个。"
            )
            return checked
        raw = "\n".join(raw)
    elif raw is not None and not isinstance(raw, str):
        checked.refuse("wechat_ids", "应为微信号的列表，或以逗号、空格分隔的字符串。")
        return checked
    ids, error = rules.check_testers(raw)
    if error:
        checked.refuse("wechat_ids", error)
    checked.values = {"wechat_ids": ids}
    return checked


def feedback(body: Body) -> Checked:
    checked = Checked()
    checked.values = {"feedback_info": _text(checked, body, "feedback_info", rules.check_feedback)}
    return checked
