"""The api blueprint, apart from its routes so that they import it without a cycle."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
