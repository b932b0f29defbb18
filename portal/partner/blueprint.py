"""The partner blueprint, apart from its routes so that they import it without a cycle."""

from flask import Blueprint

bp = Blueprint("partner", __name__, url_prefix="/partner")
