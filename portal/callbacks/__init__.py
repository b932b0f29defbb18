"""WeChat's callbacks: the authorization event URL."""

from portal.callbacks import routes  # noqa: F401 - registers the routes
from portal.callbacks.blueprint import bp  # noqa: F401 - what the app registers
