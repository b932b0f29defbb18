"""WeChat's callbacks: the authorization event URL."""

from flask import Blueprint

bp = Blueprint("callbacks", __name__)

from portal.callbacks import routes  # noqa: E402, F401
