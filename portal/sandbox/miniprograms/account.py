"""What api_get_authorizer_info shows of a mini program's go-live state: the name, head
image, introduction, approved categories and domains the model holds."""

from __future__ import annotations

from typing import Any

import sqlite_utils
from flask import url_for

from portal.sandbox.miniprograms import catalog, model

#: getAuthorizerInfo's MiniProgramInfo.network keys for the model's domain lists.
NETWORK = {
    "RequestDomain": "requestdomain",
    "WsRequestDomain": "wsrequestdomain",
    "UploadDomain": "uploaddomain",
    "DownloadDomain": "downloaddomain",
    "BizDomain": "webviewdomain",
    "UDPDomain": "udpdomain",
    "TCPDomain": "tcpdomain",
}


def authorizer_view(db: sqlite_utils.Database, appid: str) -> dict[str, Any]:
    """nick_name, head_img, signature and MiniProgramInfo as the model has them."""
    mp = model.load(db, appid) or {"nickname": "", "head_image_media": None, "signature": ""}
    domains = mp.get("domains") or {}
    head = ""
    if mp["head_image_media"]:
        head = url_for("sandbox_mp.media_file", media_id=mp["head_image_media"], _external=True)
    categories = [
        dict(zip(("first", "second"), catalog.names(c["first"], c["second"]), strict=True))
        for c in model.approved_categories(db, appid)
    ]
    return {
        "nick_name": mp["nickname"],
        "head_img": head,
        "signature": mp["signature"],
        "MiniProgramInfo": {
            "network": {key: list(domains.get(kind, [])) for key, kind in NETWORK.items()},
            "categories": categories,
            "visit_status": 0,
        },
    }
