"""Mobile numbers: the one form stored and sent (+86…), and the mask shown to people."""

from __future__ import annotations

import re

MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


def e164(phone: str | None) -> str | None:
    """'138 0013 8000', '+8613800138000' → '+8613800138000'; None when not a mainland mobile."""
    found = MOBILE.match(re.sub(r"[\s\u3000-]", "", phone or ""))
    return f"+86{found.group(1)}" if found else None


def mask(phone: str | None) -> str:
    """'+8613800138000' → '138****8000': enough to recognise, not to dial."""
    digits = re.sub(r"\D", "", phone or "")[-11:]
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]
