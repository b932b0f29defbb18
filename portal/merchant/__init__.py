"""The merchant's self-serve pages: landing, form, confirmation, status, legal-person guide,
and the go-live checklist."""

from portal.merchant import apply, find, guide, routes, setup, setup_live, sms, status  # noqa: F401 - registers the routes
from portal.merchant.blueprint import bp  # noqa: F401 - what the app registers
