"""The support staff's console: dashboard, search, a submission's whole history, and
its mini program's go-live (setup timeline, retry, undo and speed up the audit)."""

from portal.staff import bulk, bulk_golive, golive, routes  # noqa: F401 - registers the routes
from portal.staff.blueprint import bp  # noqa: F401 - what the app registers
