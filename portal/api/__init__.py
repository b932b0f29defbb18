"""The platform's JSON API (``/api/v1``), for the operator's own systems; API keys only."""

from portal.api import routes, setup_routes  # noqa: F401 - registers the routes
from portal.api.blueprint import bp  # noqa: F401 - what the app registers
