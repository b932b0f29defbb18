"""WeChat's callbacks: the authorization event URL and the message and event URL."""

from portal.callbacks import message_url, routes  # noqa: F401 - registers the routes
from portal.callbacks.blueprint import bp  # noqa: F401 - what the app registers
