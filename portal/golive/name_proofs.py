"""The proof a name may need (SETUP §1.2 checkwxverifynickname ``hit_condition`` and
``wording``; §1.3 setnickname ``naming_other_stuff_1`` … ``_5``). Pure, like
``portal.golive.rules`` (which would pass 300 lines with these; they sit beside it).

When WeChat's check says a name hits its keyword policy, the worker gives the step back
to the merchant with WeChat's wording and asks for 1 to 5 proof photos (a trademark
registration certificate, a brand licence, …). Each is kept as the name step's file
``proof:<n>`` and listed in the step's input (``proofs``), so what the merchant last gave
is what WeChat gets. A photo is checked like the licence (``rules.document_jpeg``).
The merchant's page and the API build what they store with ``collect`` and ``values``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from portal.golive import rules

#: setnickname takes naming_other_stuff_1 … _5 (§1.3).
MAX = 5
SLOTS = tuple(range(1, MAX + 1))
#: Words after which WeChat may ask for proof (ours, a hint only: WeChat's check decides;
#: the sandbox's protected words are among them).
WORDS = (
    "官方", "旗舰", "商标", "品牌", "专卖", "授权", "中国", "中华", "国家", "全国",
    "国际", "银行", "医院", "学校", "政府",
)  # fmt: skip
EXAMPLES = "商标注册证书、品牌授权书"
HELP = (
    f"名称含品牌、商标或“官方”“旗舰”等词时，微信可能要求证明材料（例如{EXAMPLES}）。"
    f"每张拍一份材料，最多 {MAX} 张；不能用营业执照代替。"
)
NONE_GIVEN = (
    f"微信要求为这个名称提供证明材料：请至少上传 1 张（最多 {MAX} 张），例如{EXAMPLES}；"
    "或者换一个不含品牌、商标或受保护词语的名称。"
)


def role(slot: int) -> str:
    """The name step's file role of proof photo ``slot`` (1 … MAX)."""
    return f"proof:{slot}"


def field(slot: int) -> str:
    """The form's file input of proof photo ``slot``."""
    return f"proof-{slot}"


def spaced(text: Any) -> str:
    return rules.squeeze(text)


def may_need(nickname: Any) -> bool:
    """A hint for the page: the name has a word after which WeChat may ask for proof."""
    name = spaced(nickname)
    return any(word in name for word in WORDS)


def asked(result: Mapping[str, Any], nickname: Any) -> bool:
    """WeChat asked for proof for this very name (a changed name is checked afresh)."""
    wanted = result.get("proof_for")
    return bool(result.get("proof_needed")) and spaced(wanted) == spaced(nickname)


def given(roles: Iterable[Any]) -> list[str]:
    """The proof roles among ``roles``, once each, in slot order."""
    have = set(roles)
    return [role(slot) for slot in SLOTS if role(slot) in have]


def missing(result: Mapping[str, Any], nickname: Any, count: int) -> str | None:
    """Why the name cannot be saved without proof, if it cannot."""
    if count or not asked(result, nickname):
        return None
    return NONE_GIVEN


def photo(data: bytes) -> bytes:
    """A proof photo as WeChat receives it: checked and made like the licence's."""
    return rules.document_jpeg(data)


def collect(
    photos: Mapping[int, bytes], kept: Iterable[Any], stored: Iterable[str]
) -> tuple[list[str], list[tuple[str, str, bytes]], dict[int, str]]:
    """The name's proofs after a save, for the merchant's page and the API alike: the
    ``kept`` roles that are ``stored``, with a new photo in each slot ``photos`` has one
    for. Returns (the roles for the input's ``proofs``, files to store, refusals by slot).
    """
    have = set(stored)
    roles = [r for r in kept if r in have]
    files: list[tuple[str, str, bytes]] = []
    refused: dict[int, str] = {}
    for slot in SLOTS:
        if slot not in photos:
            continue
        try:
            files.append((role(slot), "image/jpeg", photo(photos[slot])))
            roles.append(role(slot))
        except rules.PhotoRefused as refusal:
            refused[slot] = str(refusal)
    return given(roles), files, refused


def values(nickname: str, proofs: Iterable[str]) -> dict[str, Any]:
    """The name step's input: the name, and its proofs' roles when there are any."""
    listed = list(proofs)
    return {"nickname": nickname, **({"proofs": listed} if listed else {})}
