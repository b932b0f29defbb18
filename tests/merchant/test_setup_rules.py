"""The go-live input rules on their own (portal/golive/rules.py): names, introductions,
testers, and photos turned into what WeChat takes, whatever a phone or an attacker sends."""

import io
import struct
import zlib

import pytest
from PIL import Image

from portal.golive import rules

NAMES = [
    ("张记面馆", None),
    ("  张记   面馆 ", None),  # squeezed to "张记 面馆"
    ("E53013", None),  # the sandbox's magic values stay typeable
    ("好店N3", None),
    ("Tea & Co. 茶", "名称里不能有“.”：只能用汉字、英文字母、数字、空格和 · & + - ( )。"),
    ("", "请填写小程序名称。"),
    ("　 ", "请填写小程序名称。"),
    ("张记小程序", "名称里不能有“小程序”三个字（微信的规定），例如“某某小店”即可。"),
    ("微信好店", "名称里不能有“微信”，这是微信保留的词。"),
    ("腾讯小店铺", "名称里不能有“腾讯”，这是微信保留的词。"),
    ("店", "名称为 4–30 个字符（一个汉字算 2 个），现在是 2 个。"),
    ("张记面馆" * 4, "名称为 4–30 个字符（一个汉字算 2 个），现在是 32 个。"),
    ("面" * 10_000, "名称为 4–30 个字符（一个汉字算 2 个），现在是 20000 个。"),
    ("张记\x00面馆", "名称里有不可见的控制字符，请删掉后重新输入。"),
    ("张记\u202e面馆", "名称里有不可见的控制字符，请删掉后重新输入。"),
    ("张记😀面馆", "名称里不能有“😀”：只能用汉字、英文字母、数字、空格和 · & + - ( )。"),
    (
        "张记\u2028面馆",
        "名称里不能有不可见的字符：只能用汉字、英文字母、数字、空格和 · & + - ( )。",
    ),
    ("zhang-ji88", None),  # shaped like a WeChat ID: only WeChat knows if it is one
    ("<script>", "名称里不能有“<”：只能用汉字、英文字母、数字、空格和 · & + - ( )。"),
]
INTROS = [
    ("本店提供在线点餐和外卖服务", None),
    ("本店\n提供外卖", None),  # one line: the break becomes a space
    ("", "请填写简介。"),
    ("好吃", "简介为 4–120 个字，现在是 2 个字。"),
    ("饭" * 121, "简介为 4–120 个字，现在是 121 个字。"),
    ("饭" * 100_000, "简介为 4–120 个字，现在是 100000 个字。"),
    ("Best noodles in town", "简介至少要有 4 个汉字，现在只有 0 个。"),
    ("本店面条好吃😀", "简介里不能有表情符号或不可见的控制字符，请删掉后重新输入。"),
    ("本店面条\x07好吃", "简介里不能有表情符号或不可见的控制字符，请删掉后重新输入。"),
    ("全城最好的面馆，欢迎光临", "简介里不能有“最好”：广告法不允许这类绝对化用语，微信会拒绝。"),
    ("100%手工面条，欢迎光临", "简介里不能有“100%”：广告法不允许这类绝对化用语，微信会拒绝。"),
]


#: What the browser's copy of the rules is checked against (e2e/test_setup_pages.py).
BROWSER = {
    "nickname": [raw for raw, _ in NAMES] + ["Shop-2024", "ab", "张 · 记&面+馆（一）", "\u3000张记面馆\u3000"],
    "introduction": [raw for raw, _ in INTROS] + ["面" * 120, "a b c 本店面条好", "本店\u2028面条好吃"],
    "feedback": ["", "已补充详情页", "改" * 201, "说明\x00", "😀" * 200],
    "testers": ["zhangsan_88", "a,b", "lisi-2024；wangwu_99、zhaoliu01", "ｚｈａｎｇｓａｎ_88",
                "13800138000", "user\u200b_one", "x" * 40, " ".join(f"u_{n:04}" for n in range(11))],
    "photo": [(0, b"", 0, 0, False), (100, b"hello", 0, 0, False),
              (100, b"\xff\xd8\xff\xe0", 0, 0, True), (100, b"RIFF\0\0\0\0WEBPVP8 ", 0, 0, False),
              (11 * 1024 * 1024, b"\x89PNG\r\n\x1a\n", 10, 10, False),
              (100, b"GIF89a", 8000, 8000, False), (100, b"BM", 50, 50, True),
              (100, b"BM", 50, 50, False), (100, b"\x89PNG\r\n\x1a\n", 640, 480, True)],
}  # fmt: skip


@pytest.mark.parametrize(("raw", "message"), NAMES)
def test_a_name_is_checked_with_a_message_the_merchant_can_act_on(raw, message):
    assert rules.check_nickname(raw).error == message


def test_a_name_is_stored_squeezed():
    assert rules.check_nickname("  张记 \u3000 面馆 ").value == "张记 面馆"


@pytest.mark.parametrize(("raw", "message"), INTROS)
def test_an_introduction_is_checked_with_a_message(raw, message):
    assert rules.check_introduction(raw).error == message


@pytest.mark.parametrize(
    ("raw", "ids", "message"),
    [
        ("zhangsan_88\nlisi-2024", ["zhangsan_88", "lisi-2024"], None),
        ("ｚｈａｎｇｓａｎ_88，zhangsan_88", ["zhangsan_88"], None),
        ("", [], "请填写体验者的微信号。"),
        ("13800138000", ["13800138000"], "“13800138000”不是微信号：这是手机号，微信号以字母开头，6–20 位，只含字母、数字、下划线和减号（对方在 微信 → 我 里可以看到）。"),
        (" ".join(f"user_{n:03}" for n in range(11)), None, "一次最多添加 10 个体验者，现在是 11 个。"),
    ],
)  # fmt: skip
def test_testers_are_wechat_ids(raw, ids, message):
    found, error = rules.check_testers(raw)
    assert error == message
    if ids is not None:
        assert found == ids


def image(mode="RGB", size=(800, 600), fmt="PNG", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (255, 0, 0) if mode == "RGB" else None).save(out, fmt, **save)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A small PNG that claims width × height pixels: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize(
    "data",
    [image(), image("RGBA", fmt="PNG"), image("CMYK", fmt="JPEG"), image("P", fmt="GIF"),
     image("L", fmt="BMP"), image(fmt="WEBP"), image("I;16", fmt="PNG"), image("LA", fmt="PNG")],
    ids=["png", "rgba", "cmyk-jpeg", "gif", "bmp", "webp", "16-bit", "grey-alpha"],
)  # fmt: skip
def test_every_photo_becomes_a_square_rgb_jpeg_under_2_mb(data):
    avatar = opened(rules.avatar_jpeg(data))
    assert avatar.format == "JPEG" and avatar.mode == "RGB" and avatar.size == (600, 600)


def test_a_big_photo_is_cropped_to_the_centre_and_resized():
    photo = Image.new("RGB", (3000, 1000), "blue")
    photo.paste(Image.new("RGB", (1000, 1000), "red"), (1000, 0))  # the centre square is red
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=95)
    avatar = opened(rules.avatar_jpeg(out.getvalue()))
    assert avatar.size == (rules.AVATAR_SIDE, rules.AVATAR_SIDE)
    red, green, blue = avatar.getpixel((10, 10))
    assert red > 200 and blue < 60


def test_transparency_turns_white_not_black():
    clear = image("RGBA", (300, 300))
    assert opened(rules.avatar_jpeg(clear)).getpixel((5, 5)) == (255, 255, 255)


def test_an_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (300, 300), c) for c in ("red", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    red, _, blue = opened(rules.avatar_jpeg(out.getvalue())).getpixel((10, 10))
    assert red > 200 and blue < 60


def test_a_phone_photo_turned_by_exif_is_turned_upright_and_loses_its_exif():
    photo = Image.new("RGB", (400, 200), "red")
    exif = photo.getexif()
    exif[0x0112] = 6  # rotated 90°: the phone held upright
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif)
    document = opened(rules.document_jpeg(out.getvalue()))
    assert document.size == (200, 400) and not document.getexif()


def test_a_licence_keeps_its_shape_and_stays_under_2_mb():
    noisy = Image.effect_noise((4000, 3000), 120).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=80)
    data = rules.document_jpeg(out.getvalue())
    assert len(data) <= rules.IMAGE_MAX and opened(data).size == (2000, 1500)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "请选择一张照片。"),
        (b"%PDF-1.4 not a photo", rules.NOT_A_PHOTO),
        (b"<html><script>alert(1)</script></html>", rules.NOT_A_PHOTO),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, rules.UNREADABLE),
        (image(fmt="JPEG")[:300], rules.UNREADABLE),  # cut short
        (b"GIF89a" + b"\xff" * 40, rules.UNREADABLE),
        (png_header(1, 1_000_000_000), rules.TOO_MANY_PIXELS),
        (png_header(9000, 9000), rules.TOO_MANY_PIXELS),
        (b"\xff\xd8\xff" + b"\x00" * (20 * 1024 * 1024), rules.TOO_BIG),
        (image(size=(40, 40)), rules.TOO_SMALL),
    ],
    ids=["empty", "pdf", "html", "jpeg-garbage", "truncated", "gif-garbage", "bomb-1x1e9",
         "bomb-81mp", "20mb", "tiny"],
)  # fmt: skip
def test_a_photo_that_cannot_be_used_gets_a_clear_message(data, message):
    with pytest.raises(rules.PhotoRefused) as refused:
        rules.avatar_jpeg(data)
    assert str(refused.value) == message


CHOICES = [
    {"first": 8, "first_name": "生活服务", "second": 801, "second_name": "家政服务",
     "sensitive": False, "qualifications": []},
    {"first": 6, "first_name": "餐饮", "second": 601, "second_name": "餐饮服务场所",
     "sensitive": True, "qualifications": ["食品经营许可证"]},
]  # fmt: skip


def test_a_category_is_one_of_the_choices():
    assert rules.find_choice(CHOICES, "8:801")[0]["second_name"] == "家政服务"
    assert rules.find_choice(CHOICES, "8:999") == (None, "请从列表中选择类目。")
    assert rules.find_choice(CHOICES, "") == (None, "请选择一个类目。")
    assert rules.find_choice([], "8:801") == (None, "可选类目还没有获取到，请稍候刷新本页。")


def test_a_sensitive_category_needs_one_of_its_documents():
    food = CHOICES[1]
    assert (
        rules.missing_documents(food, [])
        == "“餐饮服务场所”需要资质照片：请上传“食品经营许可证”的照片。"
    )
    assert rules.missing_documents(food, ["食品经营许可证"]) is None
    assert rules.missing_documents(CHOICES[0], []) is None
