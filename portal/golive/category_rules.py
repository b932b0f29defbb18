"""The merchant's category and its qualification photos, checked before they are stored
(SETUP §2). Pure, like the rest of ``portal.golive.rules``, which re-exports these.

A category's ``qualify.exter_list`` is a list of groups: every group is needed, and the
``inner_list`` documents of one group are alternatives (one photo per group). That is
the strict reading, and the sandbox's (portal/sandbox/miniprograms/categories.py, 53311
otherwise). A stored choice carries them as ``groups`` (a list of lists of document
names); choices stored before the groups were kept have only a flat ``qualifications``
list, read as one group of alternatives (the reading they were stored under).

``static/js/setup-rules.js`` has the browser's twin of ``find_choice`` and
``missing_documents`` with the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

CATEGORY_RULES = (
    "只能选微信允许本小程序添加的类目；请按实际经营的业务选，类目与小程序内容不符会导致审核不通过。",
    "标有“需资质”的类目要上传相应的许可证照片：每项资质一张（同一项里列出的证件任选一种），微信会审核，通常需要 1–7 个工作日。",
)

#: Categories whose first code audit needs a UGC declaration (submit_audit's
#: ``ugc_declare``: where users post content, how it is checked, whether a team reviews
#: it). WeChat answers 85094 without it (SETUP §6). The portal collects no such
#: declaration, so these are not offered: a merchant who needs one sets it up in
#: WeChat's own console. Matched by (first, second) name: WeChat's ids are not the
#: sandbox's (portal/sandbox/miniprograms/catalog.py marks the same three ``ugc``).
UGC_CATEGORIES = (("社交", "社区/论坛"), ("社交", "笔记"), ("社交", "问答"))
UGC_NOTE = (
    "“社交”下的“社区/论坛”“笔记”“问答”等类目需要向微信提交用户发布内容的安全声明，"
    "本平台不提供这些类目；如确实需要，请在微信公众平台的小程序后台自行设置类目并提交声明。"
)


def needs_ugc_declaration(first_name: Any, second_name: Any) -> bool:
    """Whether a category (by its names) needs the UGC declaration the portal never makes."""
    return (str(first_name).strip(), str(second_name).strip()) in UGC_CATEGORIES


def find_choice(choices: Iterable[Mapping[str, Any]], raw: Any) -> tuple[dict | None, str | None]:
    """The category the merchant picked ("first:second") among those WeChat allows."""
    choices = list(choices or ())
    if not choices:
        return None, "可选类目还没有获取到，请稍候刷新本页。"
    if not isinstance(raw, str) or not raw:
        return None, "请选择一个类目。"
    for choice in choices:
        if raw == f"{choice.get('first')}:{choice.get('second')}":
            return dict(choice), None
    return None, "请从列表中选择类目。"


def _names(raw: Any) -> list[str]:
    if not isinstance(raw, list | tuple):
        return []
    return list(dict.fromkeys(n for n in raw if isinstance(n, str) and n))


def document_groups(choice: Mapping[str, Any] | None) -> list[list[str]]:
    """The qualification groups of a choice: each needs one photo of one of its names."""
    if not choice:
        return []
    raw = choice.get("groups")
    if isinstance(raw, list | tuple):
        return [group for group in map(_names, raw) if group]
    flat = _names(choice.get("qualifications"))  # stored before the groups were kept
    return [flat] if flat else []


def needed_documents(choice: Mapping[str, Any] | None) -> list[str]:
    """Every document name the choice lists (in any group), once each."""
    return list(dict.fromkeys(name for group in document_groups(choice) for name in group))


def _either(group: list[str]) -> str:
    return "或".join(f"“{name}”" for name in group)


def missing_documents(choice: Mapping[str, Any], have: Iterable[str]) -> str | None:
    """What is missing for ``choice`` when the photos ``have`` (document names) are kept:
    one photo for each group, or None."""
    groups, have = document_groups(choice), set(have)
    missing = [(n, group) for n, group in enumerate(groups, 1) if not have.intersection(group)]
    if not missing:
        return None
    name = choice.get("second_name", "")
    if len(groups) == 1:
        return f"“{name}”需要资质照片：请上传{_either(groups[0])}的照片。"
    asks = "；".join(f"请上传{_either(group)}的照片（第 {n} 项资质）" for n, group in missing)
    return f"“{name}”需要 {len(groups)} 项资质，每项一张照片：{asks}。"


def chosen_documents(
    choice: Mapping[str, Any], have: Iterable[str], prefer: Iterable[str] = ()
) -> list[str]:
    """One document name per group, among those ``have``: a ``prefer``red one (a photo
    just uploaded) first, else the first the group lists. Groups without one are left
    out (``missing_documents`` says so)."""
    have, prefer = set(have), list(prefer)
    chosen = []
    for group in document_groups(choice):
        found = [n for n in prefer if n in group and n in have] or [n for n in group if n in have]
        if found and found[0] not in chosen:
            chosen.append(found[0])
    return chosen
