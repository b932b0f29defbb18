"""The agency partner's console: signup links with QR codes, and their own merchants only."""

from portal.partner import routes  # noqa: F401 - registers the routes
from portal.partner.blueprint import bp  # noqa: F401 - what the app registers
