"""Partners' signup links: attribution of merchants, and the funnel behind each link.

Every lookup that a partner makes goes through ``for_partner`` with the partner's own
id, so changing an id in a URL can never reach another partner's link.
"""

from __future__ import annotations

import secrets
import time

import sqlite_utils

from portal.db import first, insert, transaction

SLUG_BYTES = 9


def create(
    db: sqlite_utils.Database,
    partner_id: int,
    label: str,
    *,
    contact_phone: str = "",
    expires_at: float | None = None,
) -> dict:
    row = {
        "partner_id": partner_id,
        "slug": secrets.token_urlsafe(SLUG_BYTES),
        "label": label,
        "contact_phone": contact_phone,
        "expires_at": expires_at,
        "created_at": time.time(),
    }
    with transaction(db):
        row["id"] = insert(db, "signup_links", row)
    return row


def for_partner(db: sqlite_utils.Database, partner_id: int, link_id: int) -> dict | None:
    return first(
        db, "SELECT * FROM signup_links WHERE id = ? AND partner_id = ?", [link_id, partner_id]
    )


def set_disabled(db: sqlite_utils.Database, partner_id: int, link_id: int, disabled: bool) -> bool:
    with transaction(db):
        cursor = db.execute(
            "UPDATE signup_links SET disabled = ? WHERE id = ? AND partner_id = ?",
            [int(disabled), link_id, partner_id],
        )
    return cursor.rowcount == 1


def usable(db: sqlite_utils.Database, slug: str) -> dict | None:
    """The link behind ``slug`` if it is enabled, unexpired and its partner active."""
    return first(
        db,
        "SELECT signup_links.* FROM signup_links JOIN partners ON partners.id = partner_id "
        "WHERE slug = ? AND signup_links.disabled = 0 AND partners.disabled = 0 "
        "AND (expires_at IS NULL OR expires_at > ?)",
        [slug or "", time.time()],
    )


def record_event(db: sqlite_utils.Database, link_id: int, kind: str) -> None:
    with transaction(db):
        insert(db, "link_events", {"link_id": link_id, "kind": kind, "at": time.time()})


def with_funnel(db: sqlite_utils.Database, partner_id: int) -> list[dict]:
    """The partner's links, each with opens → forms started → submitted → succeeded."""
    return list(
        db.query(
            """
            SELECT l.*,
              (SELECT count(*) FROM link_events e WHERE e.link_id = l.id AND kind = 'open') AS opens,
              (SELECT count(*) FROM link_events e WHERE e.link_id = l.id AND kind = 'start') AS starts,
              (SELECT count(*) FROM submissions s WHERE s.link_id = l.id
                 AND s.previous_id IS NULL) AS submitted,
              (SELECT count(*) FROM submissions s WHERE s.link_id = l.id
                 AND s.state IN ('succeeded', 'authorized')) AS succeeded
            FROM signup_links l WHERE l.partner_id = ? ORDER BY l.id DESC
            """,
            [partner_id],
        )
    )
