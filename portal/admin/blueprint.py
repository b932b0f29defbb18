"""The admin blueprint, apart from its routes so that they import it without a cycle."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
