"""The support staff's console: dashboard, search, a submission's whole history."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from portal.staff import routes  # noqa: E402, F401
