"""The images WeChat answers with: a trial QR code (JPEG) and a mini program code (PNG).

Both are real, scannable QR codes (segno), the JPEG re-encoded with Pillow, so a client
that saves them gets a file any viewer opens.
"""

from __future__ import annotations

import io

import segno
from PIL import Image


def _qr_png(text: str, scale: int) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def trial_qrcode(text: str) -> bytes:
    """get_qrcode's trial QR code, as a JPEG (image/jpeg)."""
    image = Image.open(io.BytesIO(_qr_png(text, 8))).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def wxacode(text: str, width: int = 430) -> bytes:
    """getwxacodeunlimit's code for the live version, as a PNG (image/png)."""
    scale = max(2, min(width, 1280) // 60)
    return _qr_png(text, scale)
