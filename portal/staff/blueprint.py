"""The staff blueprint, apart from its routes so that they import it without a cycle."""

from flask import Blueprint

from portal.registration.status import state_label

bp = Blueprint("staff", __name__, url_prefix="/staff")
#: ``{{ row | submission_label }}``: a listed submission's state as its badge says it.
bp.add_app_template_filter(state_label, "submission_label")
