"""The platform's JSON API (``/api/v1``), for the operator's own systems; API keys only."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from portal.api import routes  # noqa: E402, F401
