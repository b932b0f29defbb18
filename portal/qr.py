"""QR codes as responses: the status page's, the verification link's, a partner's link."""

from __future__ import annotations

import io

import segno
from flask import Response

MIMETYPES = {"svg": "image/svg+xml", "png": "image/png"}


def qr_response(text: str, kind: str = "svg", download: str = "") -> Response:
    """``text`` as a QR code (SVG for screens, a large PNG for print); ``download``: a file name."""
    buffer = io.BytesIO()
    options = {"xmldecl": False} if kind == "svg" else {}
    segno.make(text, error="m").save(
        buffer, kind=kind, scale=4 if kind == "svg" else 12, border=2, **options
    )
    headers = {"Content-Disposition": f"attachment; filename={download}"} if download else {}
    return Response(buffer.getvalue(), mimetype=MIMETYPES[kind], headers=headers)
