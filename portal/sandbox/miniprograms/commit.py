"""Code upload (SETUP §6), A-token: commit, get_page (GET) and get_qrcode (GET).

commit's rules, in order: ``ext_json`` must be a string holding a JSON object (85013;
an object sent as an object is the classic mistake); ``template_id`` a template of the
library (85014); the ext_json's ``extAppid`` this mini program (85013, stricter than a
doc states); a standard template's ext_json only ``extAppid``, ``ext`` and ``window``
(9402203); ``pages`` a non-empty subset of the template's (85047 empty, 85045 unknown);
every ``tabBar.list[].pagePath`` one of the pages (85046); ``requiredPrivateInfos``
only known location APIs (85310), getFuzzyLocation never with the precise ones (85311);
``user_version`` 1–64 characters (40097); magic ``E<errcode>`` in ``user_desc`` answers
that errcode. A commit starts the privacy scan (SANDBOX_PRIVACY_SCAN seconds, during
which submit_audit and get_code_privacy_info answer 61039).

get_page lists the committed pages (86001 without a commit); get_qrcode answers the
trial version's QR code as image/jpeg (errors stay JSON).
"""

from __future__ import annotations

import json
import time
from typing import Any

from flask import Response, g, request

from portal.db import insert, transaction
from portal.sandbox.miniprograms import images, library, magic, model
from portal.sandbox.miniprograms.calls import GET, POST, a_call, answer, settings

LOCATION_APIS = (
    "getFuzzyLocation",
    "getLocation",
    "onLocationChange",
    "startLocationUpdate",
    "startLocationUpdateBackground",
    "chooseLocation",
    "choosePoi",
    "chooseAddress",
)
PRECISE = {
    "getLocation",
    "onLocationChange",
    "startLocationUpdate",
    "startLocationUpdateBackground",
}
STANDARD_KEYS = {"extAppid", "ext", "window"}


def ext_errcode(ext: dict[str, Any], appid: str, template: dict) -> int:
    """The errcode a parsed ext_json meets against the template (0: it passes)."""
    if ext.get("extAppid") != appid:
        return 85013
    if template["template_type"] == 1 and not set(ext) <= STANDARD_KEYS:
        return 9402203
    offered = model.listed(template["pages"])
    pages = ext.get("pages", offered)
    if not isinstance(pages, list):
        return 85013
    if not pages:
        return 85047
    if any(page not in offered for page in pages):
        return 85045
    tab_bar = ext.get("tabBar")
    if tab_bar is not None:
        items = tab_bar.get("list", []) if isinstance(tab_bar, dict) else None
        if not isinstance(items, list) or any(
            not isinstance(i, dict) or i.get("pagePath") not in pages for i in items
        ):
            return 85046
    declared = ext.get("requiredPrivateInfos", [])
    if not isinstance(declared, list) or any(api not in LOCATION_APIS for api in declared):
        return 85310
    if "getFuzzyLocation" in declared and PRECISE.intersection(declared):
        return 85311
    return 0


@a_call("/wxa/commit", POST)
def commit(mp: dict, data: dict) -> Response:
    db, appid, now = g.sandbox_db, mp["appid"], time.time()
    raw = data.get("ext_json")
    try:
        ext = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        ext = None
    if not isinstance(ext, dict):
        return answer(85013)
    template = library.template(db, data.get("template_id"))
    if template is None:
        return answer(85014)
    failed = ext_errcode(ext, appid, template)
    if failed:
        return answer(failed)
    user_version, user_desc = data.get("user_version"), data.get("user_desc", "")
    if not isinstance(user_version, str) or not 1 <= len(user_version) <= 64:
        return answer(40097)
    if not isinstance(user_desc, str):
        return answer(40097)
    forced = magic.number(user_desc, "E")
    if forced is not None:
        return answer(forced)
    row = {
        "appid": appid,
        "template_id": template["template_id"],
        "user_version": user_version,
        "user_desc": user_desc,
        "ext_json": raw,
        "pages": json.dumps(ext.get("pages", model.listed(template["pages"]))),
        "privacy_keys": template["privacy_keys"],
        "location_apis": template["location_apis"],
        "declared_apis": json.dumps(ext.get("requiredPrivateInfos", [])),
        "committed_at": now,
        "scan_until": now + float(settings()["SANDBOX_PRIVACY_SCAN"]),
    }
    with transaction(db):
        insert(db, "versions", row)
    return answer(0)


@a_call("/wxa/get_page", GET)
def get_page(mp: dict, _data: dict) -> Response:
    version = model.latest_version(g.sandbox_db, mp["appid"])
    if version is None:
        return answer(86001)
    return answer(0, page_list=model.listed(version["pages"]))


@a_call("/wxa/get_qrcode", GET)
def get_qrcode(mp: dict, _data: dict) -> Response:
    version = model.latest_version(g.sandbox_db, mp["appid"])
    if version is None:
        return answer(86001)
    path = request.args.get("path") or model.listed(version["pages"])[0]
    body = images.trial_qrcode(f"sandbox-trial:{mp['appid']}:{version['id']}:{path}")
    return Response(body, mimetype="image/jpeg")
