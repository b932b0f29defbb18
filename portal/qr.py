"""QR codes as responses: the status page's, the verification link's, a partner's link."""

from __future__ import annotations

import io
import math

import segno
from flask import Response

MIMETYPES = {"svg": "image/svg+xml", "png": "image/png"}
BORDER = 2


def qr_response(text: str, kind: str = "svg", download: str = "", pixels: int = 0) -> Response:
    """``text`` as a QR code: SVG for screens, PNG for print or for WeChat's long-press.

    ``pixels``: a PNG at least this wide, in whole pixels per module so it stays sharp
    (the page shows it smaller; 3x the CSS size suits a phone's screen). ``download``: a
    file name.
    """
    code = segno.make(text, error="m")
    if kind == "svg":
        scale = 4
    elif pixels:
        modules = code.symbol_size(scale=1, border=BORDER)[0]
        scale = max(1, math.ceil(pixels / modules))
    else:
        scale = 12
    buffer = io.BytesIO()
    options = {"xmldecl": False} if kind == "svg" else {}
    code.save(buffer, kind=kind, scale=scale, border=BORDER, **options)
    headers = {"Content-Disposition": f"attachment; filename={download}"} if download else {}
    return Response(buffer.getvalue(), mimetype=MIMETYPES[kind], headers=headers)
