"""WeChat's message encryption scheme (WXBizMsgCrypt), as in REFERENCE §4.

- key: base64decode(EncodingAESKey + "=") gives 32 bytes; IV is the key's first 16 bytes.
- plaintext: 16 random bytes | 4-byte big-endian length N | N bytes of XML | appid.
- AES-256-CBC with PKCS#7 padding over a **32-byte** block (pad value 1..32).
- msg_signature: hex sha1 of the sorted, concatenated [token, timestamp, nonce, Encrypt].

Everything that can go wrong raises ``CryptoError`` with a reason fit for a log line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class CryptoError(Exception):
    """A push could not be verified or decrypted."""


def aes_key(encoding_aes_key: str) -> bytes:
    """Turn the 43-character EncodingAESKey into the 32-byte AES key."""
    if len(encoding_aes_key) != 43:
        raise CryptoError("EncodingAESKey must be 43 characters")
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise CryptoError(f"EncodingAESKey is not base64: {exc}") from exc
    if len(key) != 32:
        raise CryptoError("EncodingAESKey does not decode to 32 bytes")
    return key


def sign(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """Return the msg_signature over the four values."""
    parts = sorted([token, str(timestamp), str(nonce), encrypt])
    return hashlib.sha1("".join(parts).encode()).hexdigest()


def verify(token: str, timestamp: str, nonce: str, encrypt: str, signature: str) -> None:
    """Raise ``CryptoError`` unless ``signature`` is the msg_signature of the values."""
    expected = sign(token, timestamp, nonce, encrypt)
    if not hmac.compare_digest(expected, (signature or "").lower()):
        raise CryptoError("msg_signature does not match")


def encrypt(encoding_aes_key: str, appid: str, xml: str, random16: bytes | None = None) -> str:
    """Encrypt ``xml`` for ``appid``; return the base64 ``Encrypt`` value."""
    key = aes_key(encoding_aes_key)
    body = xml.encode()
    random16 = os.urandom(16) if random16 is None else random16
    plain = random16 + struct.pack(">I", len(body)) + body + appid.encode()
    pad = BLOCK - len(plain) % BLOCK
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(encoding_aes_key: str, encrypted: str) -> tuple[str, str]:
    """Decrypt an ``Encrypt`` value; return (xml, the trailing appid)."""
    key = aes_key(encoding_aes_key)
    try:
        # Some encoders wrap base64 at 76 characters; the signature covers it as sent.
        data = base64.b64decode("".join(encrypted.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("Encrypt is not base64") from exc
    if not data or len(data) % 16:
        raise CryptoError("Encrypt is not a whole number of AES blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
        raise CryptoError("bad padding")
    plain = plain[:-pad]
    if len(plain) < 20:
        raise CryptoError("plaintext too short")
    (length,) = struct.unpack(">I", plain[16:20])
    if 20 + length > len(plain):
        raise CryptoError("declared length exceeds the plaintext")
    try:
        xml = plain[20 : 20 + length].decode()
        appid = plain[20 + length :].decode()
    except UnicodeDecodeError as exc:
        raise CryptoError("plaintext is not UTF-8") from exc
    return xml, appid


def open_message(
    *,
    token: str,
    encoding_aes_key: str,
    appid: str,
    msg_signature: str,
    timestamp: str,
    nonce: str,
    encrypted: str,
) -> str:
    """Verify, decrypt and check the appid of a push; return its XML."""
    verify(token, timestamp, nonce, encrypted, msg_signature)
    xml, sender = decrypt(encoding_aes_key, encrypted)
    if sender != appid:
        raise CryptoError(f"appid {sender!r} is not ours")
    return xml


def seal_message(
    *, token: str, encoding_aes_key: str, appid: str, xml: str, timestamp: str, nonce: str
) -> tuple[str, str]:
    """Encrypt and sign ``xml`` as WeChat does; return (Encrypt, msg_signature)."""
    encrypted = encrypt(encoding_aes_key, appid, xml)
    return encrypted, sign(token, timestamp, nonce, encrypted)
