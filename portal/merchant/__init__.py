"""The merchant's self-serve pages: landing, form, confirmation, status, legal-person guide."""

from flask import Blueprint

bp = Blueprint("merchant", __name__)

from portal.merchant import find, guide, routes  # noqa: E402, F401
