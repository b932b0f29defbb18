"""The fast-register portal: a WeChat third-party platform's merchant self-service site.

``flask --app portal`` finds ``create_app`` here. The package's front file imports
nothing, so ``portal.sandbox`` (WeChat's side) loads only what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the portal (``portal.app.create_app``)."""
    from portal.app import create_app as build  # late: keeps `import portal.sandbox` light

    return build(overrides)
