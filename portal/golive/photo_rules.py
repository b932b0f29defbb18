"""The go-live photos (SETUP §1.5 media upload, §1.6 modifyheadimage): the avatar and
the documents (licence, permits, proofs), checked and made into the JPEG WeChat receives.
Pure, like ``portal.golive.rules``, which re-exports these names (kept apart for size).
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

#: The largest photo read from a phone (ours); what WeChat receives is made ≤ 2 MB.
UPLOAD_MAX = 10 * 1024 * 1024
IMAGE_MAX = 2 * 1024 * 1024  # §1.5/§1.6: images at most 2 MB (the stricter of 2/10 MB)
#: Ours, far below Pillow's decompression-bomb limit (MAX_IMAGE_PIXELS, ~89 million).
MAX_PIXELS = 50_000_000
AVATAR_SIDE = 640  # the square JPEG sent (ours; WeChat shows head images small)
AVATAR_MIN = 100  # ours: a smaller photo is a blur as a head image
DOCUMENT_SIDE = 2000  # a licence or permit keeps its long side to this, legible (ours)
#: What Pillow may open: WeChat takes BMP/JPEG/GIF/PNG (§1.6), WEBP is converted too.
#: Naming them keeps Pillow's other readers (EPS through Ghostscript, …) out of reach.
FORMATS = ("JPEG", "PNG", "GIF", "BMP", "WEBP")
SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM")
AVATAR_RULES = (
    "JPG、PNG、GIF、BMP 或 WEBP 格式的照片，不超过 10 MB；平台会按居中的正方形裁剪并压缩到 2 MB 以内。",
    "建议用门店招牌或品牌标志，主体放在照片中间；不要用二维码、纯文字或他人的头像。",
)
NOT_A_PHOTO = "这不是照片文件：请选择 JPG、PNG、GIF、BMP 或 WEBP 格式的照片。"
UNREADABLE = "无法识别这张照片（文件可能已损坏）。请换一张，或用手机截图后上传截图。"
TOO_BIG = "照片超过 10 MB，请换一张，或用手机截图后上传截图。"
TOO_MANY_PIXELS = "照片像素太多（超过 5000 万像素），请换一张，或用手机截图后上传截图。"
TOO_SMALL = "照片太小（至少 100×100 像素），做头像会看不清，请换一张。"


class PhotoRefused(ValueError):
    """A photo that cannot be used; the message says why, in Chinese."""


def photo_problem(
    size: int, head: bytes, width_px: int = 0, height_px: int = 0, avatar: bool = False
) -> str | None:
    """What is wrong with a photo by its size, first bytes and (once known) pixels."""
    if size <= 0:
        return "请选择一张照片。"
    if size > UPLOAD_MAX:
        return TOO_BIG
    riff = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not riff and not any(head.startswith(s) for s in SIGNATURES):
        return NOT_A_PHOTO
    if width_px * height_px > MAX_PIXELS:
        return TOO_MANY_PIXELS
    if avatar and 0 < min(width_px, height_px) < AVATAR_MIN:
        return TOO_SMALL
    return None


def _decoded(data: bytes, avatar: bool, side: int) -> Image.Image:
    problem = photo_problem(len(data), data[:16])
    if problem:
        raise PhotoRefused(problem)
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
        problem = photo_problem(len(data), data[:16], *image.size, avatar=avatar)
        if problem:
            raise PhotoRefused(problem)
        if image.format == "JPEG":
            image.draft("RGB", (side, side))  # decode at 1/2, 1/4 or 1/8 size: cheap
        image.load()  # an animated GIF or WEBP: its first frame
        image = ImageOps.exif_transpose(image)  # phones store photos turned
        return _flattened(image)
    except PhotoRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(TOO_MANY_PIXELS) from None
    except UnidentifiedImageError:
        raise PhotoRefused(UNREADABLE) from None
    except Exception:  # a hostile or broken file fails inside any reader, in any way
        raise PhotoRefused(UNREADABLE) from None


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: transparency (PNG, GIF) shows white, CMYK becomes RGB."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("I", "I;16", "F"):  # 16-bit or float grey: scale into 8 bits
        return image.convert("F").point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _jpeg(image: Image.Image, limit: int = IMAGE_MAX) -> bytes:
    """A JPEG of at most ``limit`` bytes, without the photo's EXIF (its GPS position)."""
    while True:
        for quality in (88, 78, 68, 58):
            out = io.BytesIO()
            image.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= limit:
                return out.getvalue()
        image = image.resize((max(1, image.width // 2), max(1, image.height // 2)))


def avatar_jpeg(data: bytes) -> bytes:
    """The head image: the photo's centred square, at most AVATAR_SIDE, JPEG ≤ 2 MB."""
    image = _decoded(data, avatar=True, side=AVATAR_SIDE)
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.crop((left, top, left + side, top + side))
    if side > AVATAR_SIDE:
        square = square.resize((AVATAR_SIDE, AVATAR_SIDE), Image.Resampling.LANCZOS)
    return _jpeg(square)


def document_jpeg(data: bytes) -> bytes:
    """A licence or permit photo, whole, long side at most DOCUMENT_SIDE, JPEG ≤ 2 MB."""
    image = _decoded(data, avatar=False, side=DOCUMENT_SIDE // 2)
    image.thumbnail((DOCUMENT_SIDE, DOCUMENT_SIDE), Image.Resampling.LANCZOS)
    return _jpeg(image)
