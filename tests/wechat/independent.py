"""A second, independent implementation of WeChat's push encryption, written from the
protocol description (REFERENCE §4) rather than from ``portal.wechat.crypto``.

It uses the ``cryptography`` library's own PKCS#7 padder with a 256-bit block, so a
padding mistake in the portal cannot hide behind the same mistake here.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def wechat_encrypt(aes_key43: str, appid: str, xml: str) -> str:
    key = base64.b64decode(aes_key43 + "=")
    message = xml.encode("utf-8")
    plain = os.urandom(16) + len(message).to_bytes(4, "big") + message + appid.encode()
    padder = padding.PKCS7(256).padder()
    padded = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(padded) + enc.finalize()).decode()


def wechat_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def push_request(
    token: str,
    aes_key43: str,
    appid: str,
    xml: str,
    timestamp="1700000000",
    nonce="42424242",
    envelope_appid: str | None = None,
) -> tuple[dict, bytes]:
    """Return (query parameters, body) of a push as WeChat sends it."""
    encrypt = wechat_encrypt(aes_key43, appid, xml)
    params = {
        "timestamp": timestamp,
        "nonce": nonce,
        "encrypt_type": "aes",
        "msg_signature": wechat_signature(token, timestamp, nonce, encrypt),
    }
    body = (
        f"<xml><AppId><![CDATA[{envelope_appid or appid}]]></AppId>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    )
    return params, body.encode()
