"""The admin's console: platform health, accounts and partners, the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from portal.admin import integrations, routes  # noqa: E402, F401
