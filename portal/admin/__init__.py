"""The admin's console: platform health, accounts and partners, the go-live setup, the
audit log."""

from portal.admin import audit_log, golive, integrations, routes  # noqa: F401 - registers routes
from portal.admin.blueprint import bp  # noqa: F401 - what the app registers
