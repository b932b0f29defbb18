"""The callbacks blueprint, apart from its routes so that they import it without a cycle."""

from flask import Blueprint

bp = Blueprint("callbacks", __name__)
