import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.wechat import crypto
from portal.wechat.crypto import CryptoError
from tests.wechat.independent import wechat_encrypt, wechat_signature

# The public vector quoted in REFERENCE §4 (from another SDK's test suite).
VECTOR = {
    "token": "pamtest",
    "key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "appid": "wxb11529c136998cb6",
    "timestamp": "1458300676",
    "nonce": "260774613",
    "msg_signature": "4f3ad57b6989f09f4eb392acce4f9e93942ed890",
    "encrypt": (
        "rTNFcsut4LfGuAFKEUVVpwcaCOTJzOd9twZdIW910jb3k+iicx2uvhttIZ3Qg9Qgty3BEF2xbOrz6boTfb30dMom"
        "cgrkTqdFPwnhqbk+kIQ7rZiwny9D7NUrTgA5kpX3KsZvrXzUZyP2x9YOlxbgm572lmxKvM7HAQQhIQ/p6HBmoY30"
        "bGXFK0BtIu1pW9TjhOYrLQoU18nWYjWqDA1ynkmOytpv7QRI1P1+0NoxL0q2zO1DgeSvnE8CZGo/o5Ap/WHK5W2R"
        "AsinpzN4/LjPnmB6U01I5XCoJoC0GK/yMZycd2Oh8Nq6+wBkC1U85oy0ktOY4nLvsQMLrourmMGdZHuTbqpeJ8Ao"
        "/5PRYJ+WBvRUwPfGKBL2+2IKZF49vAJqkcGWSHGE76ZN2erXeuNazf/o9o3lIE3q739o4c8t9QGPe31GT2Go/rOz"
        "1BsrASwvauNulCh+++yz+CQzBIuikA=="
    ),
}
KEY, APPID, TOKEN = VECTOR["key"], VECTOR["appid"], VECTOR["token"]


def open_vector(**changes):
    values = {**VECTOR, **changes}
    return crypto.open_message(
        token=values["token"],
        encoding_aes_key=values["key"],
        appid=values["appid"],
        msg_signature=values["msg_signature"],
        timestamp=values["timestamp"],
        nonce=values["nonce"],
        encrypted=values["encrypt"],
    )


def test_public_vector_signature_matches():
    v = VECTOR
    assert crypto.sign(v["token"], v["timestamp"], v["nonce"], v["encrypt"]) == v["msg_signature"]


def test_public_vector_decrypts_to_hello_from_the_sdk_appid():
    xml, appid = crypto.decrypt(KEY, VECTOR["encrypt"])
    assert appid == APPID
    assert "<Content><![CDATA[hello]]></Content>" in xml


def test_public_vector_opens_with_verification():
    assert "hello" in open_vector()


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"msg_signature": "0" * 40}, "msg_signature"),
        ({"token": "other"}, "msg_signature"),
        ({"nonce": "1"}, "msg_signature"),
        ({"appid": "wx0000000000000000"}, "not ours"),
    ],
)
def test_public_vector_is_refused_when_anything_differs(change, reason):
    with pytest.raises(CryptoError, match=reason):
        open_vector(**change)


def test_aes_key_must_be_43_base64_characters():
    with pytest.raises(CryptoError):
        crypto.aes_key("short")
    with pytest.raises(CryptoError):
        crypto.aes_key("!" * 43)


def test_round_trip_with_chinese_text():
    xml = "<xml><name><![CDATA[广州市某某科技有限公司]]></name></xml>"
    encrypted = crypto.encrypt(KEY, APPID, xml)
    assert crypto.decrypt(KEY, encrypted) == (xml, APPID)


def test_portal_opens_what_the_independent_implementation_sealed():
    xml = "<xml><InfoType>component_verify_ticket</InfoType></xml>"
    encrypted = wechat_encrypt(KEY, APPID, xml)
    signature = wechat_signature(TOKEN, "1", "2", encrypted)
    assert (
        crypto.open_message(
            token=TOKEN,
            encoding_aes_key=KEY,
            appid=APPID,
            msg_signature=signature,
            timestamp="1",
            nonce="2",
            encrypted=encrypted,
        )  # fmt: skip
        == xml
    )


@given(st.text())
def test_any_utf8_plaintext_round_trips(text):
    encrypted, signature = crypto.seal_message(
        token=TOKEN, encoding_aes_key=KEY, appid=APPID, xml=text, timestamp="7", nonce="8"
    )
    opened = crypto.open_message(
        token=TOKEN, encoding_aes_key=KEY, appid=APPID, msg_signature=signature,
        timestamp="7", nonce="8", encrypted=encrypted,
    )  # fmt: skip
    assert opened == text


@given(st.text(max_size=200), st.data())
def test_a_changed_character_in_encrypt_is_refused(text, data):
    encrypted, signature = crypto.seal_message(
        token=TOKEN, encoding_aes_key=KEY, appid=APPID, xml=text, timestamp="7", nonce="8"
    )
    index = data.draw(st.integers(0, len(encrypted) - 1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != encrypted[index]))
    tampered = encrypted[:index] + replacement + encrypted[index + 1 :]
    with pytest.raises(CryptoError):
        crypto.open_message(
            token=TOKEN, encoding_aes_key=KEY, appid=APPID, msg_signature=signature,
            timestamp="7", nonce="8", encrypted=tampered,
        )  # fmt: skip


@given(st.text(min_size=1, max_size=40, alphabet="0123456789abcdef"))
def test_a_wrong_signature_is_refused(signature):
    encrypted = crypto.encrypt(KEY, APPID, "<xml/>")
    with pytest.raises(CryptoError, match="msg_signature"):
        crypto.verify(TOKEN, "7", "8", encrypted, signature)


@given(st.from_regex(r"wx[0-9a-f]{16}", fullmatch=True).filter(lambda a: a != APPID))
def test_a_wrong_appid_is_refused(other_appid):
    encrypted, signature = crypto.seal_message(
        token=TOKEN, encoding_aes_key=KEY, appid=other_appid, xml="<xml/>", timestamp="1",
        nonce="2",
    )  # fmt: skip
    with pytest.raises(CryptoError, match="not ours"):
        crypto.open_message(
            token=TOKEN, encoding_aes_key=KEY, appid=APPID, msg_signature=signature,
            timestamp="1", nonce="2", encrypted=encrypted,
        )  # fmt: skip


def _raw_encrypt(plain: bytes) -> str:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = crypto.aes_key(KEY)
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


@given(st.integers(min_value=33, max_value=255) | st.just(0))
def test_padding_values_outside_1_to_32_are_refused(pad):
    body = b"\x00" * 16 + (6).to_bytes(4, "big") + b"<xml/>" + APPID.encode()
    plain = body + b"\x00" * (-len(body) % 32)
    plain = plain[:-1] + bytes([pad])
    with pytest.raises(CryptoError, match="padding"):
        crypto.decrypt(KEY, _raw_encrypt(plain))


def test_inconsistent_padding_bytes_are_refused():
    body = b"\x00" * 16 + (6).to_bytes(4, "big") + b"<xml/>" + APPID.encode()
    pad = 32 - len(body) % 32
    plain = body + bytes([pad]) * pad
    plain = plain[:-pad] + bytes([pad ^ 1]) + bytes([pad]) * (pad - 1)
    with pytest.raises(CryptoError, match="padding"):
        crypto.decrypt(KEY, _raw_encrypt(plain))


@pytest.mark.parametrize("garbage", ["", "not base64!", "QUJD", "A" * 24])
def test_garbage_is_refused(garbage):
    with pytest.raises(CryptoError):
        crypto.decrypt(KEY, garbage)


def test_declared_length_beyond_the_plaintext_is_refused():
    body = b"\x00" * 16 + (9999).to_bytes(4, "big") + b"<xml/>"
    pad = 32 - len(body) % 32
    with pytest.raises(CryptoError, match="length"):
        crypto.decrypt(KEY, _raw_encrypt(body + bytes([pad]) * pad))
