"""The agency partner's console: signup links with QR codes, and their own merchants only."""

from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/partner")

from portal.partner import routes  # noqa: E402, F401
