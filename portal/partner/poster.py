"""The partner's poster as a PNG a phone can long-press to save and send in WeChat.

Drawn with Pillow in a CJK font that Debian ships (fonts-noto-cjk), found at run time;
when none is installed the poster says so plainly instead of drawing boxes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

#: Where Debian's fonts-noto-cjk (and a few other CJK fonts) put their files.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-{weight}.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
WIDTH, HEIGHT = 750, 1334  # a phone screen's proportions, sharp on retina screens
GREEN, INK, GREY = (6, 132, 74), (26, 26, 26), (102, 102, 102)


class FontMissing(RuntimeError):
    """No CJK font is installed: the poster cannot be drawn legibly."""


def find_font(weight: str = "Regular") -> str:
    for pattern in FONT_CANDIDATES:
        path = pattern.format(weight=weight)
        if Path(path).is_file():
            return path
    raise FontMissing(
        "no Chinese font found: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)"
    )


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break ``text`` into lines that fit ``width`` pixels (CJK wraps at any character)."""
    lines, line = [], ""
    for char in text:
        # Closing punctuation never starts a line (Chinese line-breaking rules).
        if (
            draw.textlength(line + char, font=font) > width
            and line
            and char not in "”’，。、：；！？）》"
        ):
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def draw(url: str, platform: str, steps: Sequence[str], support: str = "") -> bytes:
    """The poster: headline, platform, the signup QR code, three steps, support line."""
    bold = ImageFont.truetype(find_font("Bold"), 60)
    regular = ImageFont.truetype(find_font("Regular"), 30)
    small = ImageFont.truetype(find_font("Regular"), 24)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 0, WIDTH, 230], fill=GREEN)
    pen.text((WIDTH / 2, 95), "免费注册微信小程序", font=bold, fill="white", anchor="mm")
    pen.text((WIDTH / 2, 170), f"{platform} 代为办理", font=regular, fill="white", anchor="mm")
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=12, border=2)
    code = Image.open(io.BytesIO(qr.getvalue())).convert("RGB").resize((440, 440), Image.NEAREST)
    image.paste(code, ((WIDTH - 440) // 2, 280))
    pen.text(
        (WIDTH / 2, 760), "微信长按识别或扫一扫，3 分钟填完", font=regular, fill=INK, anchor="mm"
    )
    y = 840
    for number, step in enumerate(steps, start=1):
        for i, line in enumerate(_wrapped(pen, step, regular, WIDTH - 160)):
            if i == 0:
                pen.text((70, y), f"{number}.", font=regular, fill=GREEN)
            pen.text((110, y), line, font=regular, fill=INK)
            y += 46
        y += 14
    footer = [support] if support else []
    footer.append("无需纸质材料、无需对公打款")
    for line in footer:
        pen.text(
            (WIDTH / 2, HEIGHT - 90 + 36 * footer.index(line) - 36 * (len(footer) - 1)),
            line,
            font=small,
            fill=GREY,
            anchor="mm",
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
