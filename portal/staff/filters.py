"""The staff search's own terms beside ``reports.Filters``: the contact phone a caller
gives first (the whole number or its last 4 digits), and the outcome code the
dashboard's failure rows link to.

Phones are compared as digits only (no dashes, no "+86"), on the expression indexes of
migration "staff search by contact phone", so a search never scans every submission.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from portal import normalize
from portal.registration.reports import Filters

#: The stored phone as digits (validation already removed the spaces).
PHONE_KEY = "replace(replace(submissions.contact_phone, '-', ''), '+', '')"
TAIL = 4


def phone_digits(text: str) -> str:
    """What a person typed as a phone, digits only; "" when it is not a phone or a tail."""
    if found := normalize.mobile(text):  # +86, 0086, full-width: as the form stores it
        return found
    digits = re.sub(r"[\s\-()+]", "", unicodedata.normalize("NFKC", text or ""))
    if not digits.isascii() or not digits.isdigit():  # ASCII: "１３８…" is NFKC'd above
        return ""
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if len(digits) == TAIL or 7 <= len(digits) <= 18 else ""


@dataclass
class StaffFilters(Filters):
    phone: str = ""  # digits: the full phone, or its last 4
    outcome: int | None = None  # a failure's code: WeChat's result status or its errcode
    changed_from: float | None = None  # last changed on or after (the failures of 7 days)

    def where(self) -> tuple[str, list[Any]]:
        sql, params = super().where()
        clauses = [sql]
        if len(self.phone) == TAIL:
            clauses.append(f"substr({PHONE_KEY}, -{TAIL}) = ?")
            params.append(self.phone)
        elif self.phone:
            clauses.append(f"{PHONE_KEY} IN (?, ?)")
            params += [self.phone, "86" + self.phone]
        if self.outcome is not None:
            clauses.append("coalesce(submissions.push_status, submissions.errcode) = ?")
            params.append(self.outcome)
        if self.changed_from is not None:
            clauses.append("submissions.updated_at >= ?")
            params.append(self.changed_from)
        return " AND ".join(clauses), params
