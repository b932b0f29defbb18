"""The images WeChat answers with: a trial QR code (JPEG), a mini program code (PNG) and
a rejected audit's screenshots (PNG).

The codes are real, scannable QR codes (segno), the JPEG re-encoded with Pillow, so a
client that saves them gets a file any viewer opens; the screenshots are drawn with Pillow.
"""

from __future__ import annotations

import io

import segno
from PIL import Image, ImageDraw, ImageFont


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


#: Where Debian's CJK fonts live (fonts-noto-cjk, wqy); without one the text is left out.
FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
SHOT_SIZE = (360, 640)


def _font(size: int):
    for path in FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return None


def _lines(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for char in text.replace("\n", " "):
        if line and draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    return [*lines, line] if line else lines


def audit_screenshot(reason: str, n: int, total: int) -> bytes:
    """One of a rejected audit's screenshots (get_material): a phone page with the
    problem boxed in red and the reviewer's words beneath, as a PNG."""
    width, height = SHOT_SIZE
    image = Image.new("RGB", SHOT_SIZE, (246, 247, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 56), fill=(255, 255, 255))
    draw.rectangle((16, 76, width - 16, 236), fill=(226, 230, 236))  # the page's banner
    for row in range(3):  # its list
        top = 256 + row * 64
        draw.rectangle((16, top, width - 16, top + 52), fill=(255, 255, 255))
    draw.rectangle((10, 70 + n * 64, width - 10, 242 + n * 64), outline=(230, 50, 50), width=4)
    title, body = _font(20), _font(16)
    if title is not None and body is not None:
        draw.text((16, 16), f"审核问题截图 {n + 1}/{total}", font=title, fill=(26, 26, 26))
        y = 460
        for line in _lines(draw, reason, body, width - 32)[:8]:
            draw.text((16, y), line, font=body, fill=(200, 40, 40))
            y += 22
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
