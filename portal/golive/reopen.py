"""A deploy refusal that only one of the merchant's steps can fix (85077 on submit_audit:
the category was retired): that step, although done, goes back to the merchant, and the
deploy waits for it, as after a rejected audit (docs/golive.md, "After a rejection").

An outcome beside ``outcomes`` (kept apart for its size), decided with ``outcomes.decide``
on fresh rows inside one transaction: the step becomes ``needs_merchant`` with the reason
the merchant reads; the deploy becomes ``todo`` with its phase kept, and
``outcomes._unlock`` makes it due again once the four merchant steps are done.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlite_utils

from portal.db import transaction
from portal.golive import outcomes
from portal.golive import steps as st
from portal.golive.fixes import TITLES


def waiting_line(name: str) -> str:
    """The deploy's timeline line while it waits for the merchant's ``name`` step."""
    return f"等商户修改{TITLES[name]}并设置好后，继续提交审核"


def for_deploy(
    db: sqlite_utils.Database,
    setup_id: int,
    name: str,
    errcode: int | None,
    reason: str,
    detail: str,
    result: Mapping | None = None,
    answered: bool = True,
) -> bool:
    """Give the merchant step ``name`` back to the merchant (``reason``: what to change)
    and let the deploy wait for it; ``result`` is merged into the step's result (the
    category's fresh choices). False, and nothing changes, when ``name`` is no merchant
    step or the deploy is already done."""
    if name not in st.MERCHANT_STEPS:
        return False
    with transaction(db):
        if st.step(db, setup_id, st.DEPLOY)["state"] == st.DONE:
            return False

        def reopened(row: dict) -> outcomes.Decision:
            changes = {"errcode": errcode, "reason": reason[:500], "due_at": None}
            merged = {**row["result"], **(result or {})}
            return st.NEEDS_MERCHANT, detail, {**changes, "phase": None, "result": merged}

        def waits(row: dict) -> outcomes.Decision:
            # WeChat answered (85077): no submit is left unresolved, ``submit_started`` is
            # dropped. Staff's give-back (``answered`` False) keeps it: a submit that was
            # never answered is looked for again before another is sent.
            merged = {**row["result"], **({"submit_started": None} if answered else {})}
            changes = {"due_at": None, "reason": None, "errcode": None, "retry_counts": "{}"}
            return st.TODO, waiting_line(name), {**changes, "result": merged}

        outcomes.decide(db, setup_id, name, reopened)
        outcomes.decide(db, setup_id, st.DEPLOY, waits)
    return True
