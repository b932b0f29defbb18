"""Numbered migrations, in the order they are applied (``portal.db.migrate``).

The SQL lives with the part of the product it belongs to, in ``portal/schema/``; this
list is only their order. A new migration goes at the end, in its part's module.
"""

from portal.schema import consoles, golive, notify, registration

MIGRATIONS: list[str] = [
    registration.V1,
    consoles.V2,
    registration.V3,
    registration.V4,
    registration.V5,
    consoles.V6,
    registration.V7,
    registration.V8,
    consoles.V9,
    registration.V10,
    registration.V11,
    golive.V12,
    golive.V13,
    golive.V14,
    registration.V15,
    consoles.V16,
    consoles.V17,
    notify.V18,
    golive.V19,
    golive.V20,
    golive.V21,
    registration.V22,
    registration.V23,
]
