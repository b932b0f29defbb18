"""The support staff's console: dashboard, search, a submission's whole history."""

from portal.staff import routes  # noqa: F401 - registers the routes
from portal.staff.blueprint import bp  # noqa: F401 - what the app registers
