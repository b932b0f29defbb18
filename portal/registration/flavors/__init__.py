"""Registration flavors: what differs between WeChat's fast-register APIs, in one place.

A flavor knows which facts a merchant gives, how a submission is sent to WeChat and
asked about, how a result push is matched back, what a result status means, and what
the legal person does next. Pages, consoles and the worker ask the flavor; nothing
else branches on the API or names a field only one API has.

- ``classic``: the seed's ``/cgi-bin/component/fastregisterweapp`` (retired by WeChat on
  2026-04-30; the sandbox's default).
- ``v2``: ``/wxa/component/fastregisterenterpriseweapp`` with ``new_version``.
"""

from __future__ import annotations

from portal.registration.flavors.base import Accepted, Field, Flavor, Probe
from portal.registration.flavors.classic import ClassicFlavor
from portal.registration.flavors.v2 import EnterpriseFlavor

FLAVORS: dict[str, Flavor] = {f.name: f for f in (ClassicFlavor(), EnterpriseFlavor())}

__all__ = ["FLAVORS", "Accepted", "Field", "Flavor", "Probe", "flavor"]


def flavor(name: str) -> Flavor:
    """Return the flavor a submission was made (or a form is shown) under."""
    return FLAVORS[name]
