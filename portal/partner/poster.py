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


#: Nothing is drawn closer than this to the poster's left and right edges.
MARGIN = 48
#: Characters that never start a line (Chinese line-breaking rules).
NO_LINE_START = "”’，。、：；！？）》"
#: Characters that never end a line.
NO_LINE_END = "“‘（《"
#: After these a line may break without splitting a word (an ID, a phone number).
BREAK_AFTER = "、，；） "


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break ``text`` into lines that fit ``width`` pixels: between CJK characters or
    after a separator, never inside a run of Latin letters and digits unless that run
    alone is wider than a line."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) <= width or not line:
            line += char
            continue
        if char in NO_LINE_START and len(line) > 1:  # pull the last character down
            lines.append(line[:-1])
            line = line[-1] + char
            continue
        cut = _break_point(line, char)
        if line[cut - 1] in NO_LINE_END and cut > 1:
            cut -= 1
        lines.append(line[:cut].rstrip())
        line = line[cut:].lstrip() + char
    return [*lines, line] if line else lines


def _break_point(line: str, char: str) -> int:
    """Where to break ``line`` before ``char``: after its last separator when ``char``
    continues a word, else at its end."""
    if not (char.isascii() and char.isalnum() and line[-1].isascii() and line[-1].isalnum()):
        return len(line)
    for i in range(len(line) - 1, 0, -1):
        if line[i - 1] in BREAK_AFTER or not line[i - 1].isascii():
            return i
    return len(line)


def _fitted(draw: ImageDraw.ImageDraw, text: str, path: str, size: int, width: int):
    """The font at ``size`` or smaller (down to 3/4 of it) in which ``text`` fits one line."""
    font = ImageFont.truetype(path, size)
    while draw.textlength(text, font=font) > width and size > 0.75 * font.size:
        size -= 2
        font = ImageFont.truetype(path, size)
    return font


def footer_lines(
    draw: ImageDraw.ImageDraw, support: str, partner: Sequence[str], fonts: tuple
) -> list[tuple[str, object, tuple[int, int, int]]]:
    """The lines under the steps, each within the margins: the partner who handed out the
    poster and their phone, the platform's support contacts, the reassurance."""
    strong, small = fonts
    width = WIDTH - 2 * MARGIN
    lines = [(ln, strong, INK) for text in partner for ln in _wrapped(draw, text, strong, width)]
    lines += [(line, small, GREY) for line in _wrapped(draw, support, small, width)]
    return [*lines, ("无需纸质材料、无需对公打款", small, GREY)]


def draw(
    url: str, platform: str, steps: Sequence[str], support: str = "", partner: Sequence[str] = ()
) -> bytes:
    """The poster: headline, platform, the signup QR code, three steps, then the partner's
    lines (``partner``: who handed it out and their phone) and the platform's support."""
    bold = ImageFont.truetype(find_font("Bold"), 60)
    regular = ImageFont.truetype(find_font("Regular"), 30)
    strong = ImageFont.truetype(find_font("Bold"), 28)
    small = ImageFont.truetype(find_font("Regular"), 24)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, 0, WIDTH, 230], fill=GREEN)
    pen.text((WIDTH / 2, 95), "免费注册微信小程序", font=bold, fill="white", anchor="mm")
    byline = f"{platform} 代为办理"
    font = _fitted(pen, byline, find_font("Regular"), 30, WIDTH - 2 * MARGIN)
    byline_lines = _wrapped(pen, byline, font, WIDTH - 2 * MARGIN)[:2]
    for i, line in enumerate(byline_lines):
        y = 170 + (i - (len(byline_lines) - 1) / 2) * (font.size + 8)
        pen.text((WIDTH / 2, y), line, font=font, fill="white", anchor="mm")
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=12, border=2)
    code = Image.open(io.BytesIO(qr.getvalue())).convert("RGB").resize((440, 440), Image.NEAREST)
    image.paste(code, ((WIDTH - 440) // 2, 270))
    pen.text(
        (WIDTH / 2, 745), "微信长按识别或扫一扫，3 分钟填完", font=regular, fill=INK, anchor="mm"
    )
    y = 805
    for number, step in enumerate(steps, start=1):
        for i, line in enumerate(_wrapped(pen, step, regular, WIDTH - 110 - MARGIN)):
            if i == 0:
                pen.text((MARGIN + 18, y), f"{number}.", font=regular, fill=GREEN)
            pen.text((110, y), line, font=regular, fill=INK)
            y += 44
        y += 10
    footer = footer_lines(pen, support, partner, (strong, small))
    line_height = 36
    bottom = HEIGHT - 48
    top = bottom - line_height * len(footer)
    pen.line([(MARGIN, top - 14), (WIDTH - MARGIN, top - 14)], fill=(225, 227, 230), width=2)
    for i, (line, font, colour) in enumerate(footer):
        pen.text((WIDTH / 2, top + line_height * i + line_height / 2), line, font=font,
                 fill=colour, anchor="mm")  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
