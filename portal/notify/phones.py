"""Mobile numbers: the one form stored and sent (+86…), and the mask shown to people."""

from __future__ import annotations

import re

from portal import normalize


def e164(phone: str | None) -> str | None:
    """'138 0013 8000', '+8613800138000', '１３８-００１３-８０００' → '+8613800138000'; None
    when it is not a mainland mobile (``normalize.mobile``, as the form stores it)."""
    digits = normalize.mobile(phone)
    return f"+86{digits}" if digits else None


def mask(phone: str | None) -> str:
    """'+8613800138000' → '138****8000': enough to recognise, not to dial."""
    digits = re.sub("[^0-9]", "", phone or "")[-11:]
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]
