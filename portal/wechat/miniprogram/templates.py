"""The platform's code-template library (C-token): drafts uploaded from its bound
development mini program in WeChat DevTools become templates, which ``commit`` uses.

The library holds at most 200 templates (85065 when full). Use ``template_type`` 0:
standard templates (1) relied on the retired transaction component.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.wechat.miniprogram.wire import Area, number, rows, text

DRAFT_LIST = "/wxa/gettemplatedraftlist"
ADD_TO_TEMPLATE = "/wxa/addtotemplate"
TEMPLATE_LIST = "/wxa/gettemplatelist"
DELETE_TEMPLATE = "/wxa/deletetemplate"

PATHS = (DRAFT_LIST, ADD_TO_TEMPLATE, TEMPLATE_LIST, DELETE_TEMPLATE)

ORDINARY, STANDARD = 0, 1


@dataclass(frozen=True)
class TemplateDraft:
    draft_id: int | None
    user_version: str
    user_desc: str
    create_time: int | None
    source_miniprogram_appid: str
    source_miniprogram: str
    developer: str


@dataclass(frozen=True)
class Template:
    """A template; ``audit_status`` and ``reason`` only for standard templates."""

    template_id: int | None
    draft_id: int | None
    user_version: str
    user_desc: str
    create_time: int | None
    source_miniprogram_appid: str
    source_miniprogram: str
    developer: str
    template_type: int | None
    audit_status: int | None
    reason: str


def _source(row: dict) -> dict:
    return {
        "draft_id": number(row, "draft_id"),
        "user_version": text(row, "user_version"),
        "user_desc": text(row, "user_desc"),
        "create_time": number(row, "create_time"),
        "source_miniprogram_appid": text(row, "source_miniprogram_appid"),
        "source_miniprogram": text(row, "source_miniprogram"),
        "developer": text(row, "developer"),
    }


class TemplatesApi(Area):
    def get_template_draft_list(self, component_token: str) -> tuple[TemplateDraft, ...]:
        """GET the drafts waiting to become templates."""
        data = self._get(DRAFT_LIST, component_token)
        return tuple(TemplateDraft(**_source(row)) for row in rows(data, "draft_list"))

    def add_to_template(
        self, component_token: str, draft_id: int, template_type: int = ORDINARY
    ) -> None:
        """Turn a draft into a template (85064 no such draft, 85065 library full)."""
        body = {"draft_id": draft_id, "template_type": template_type}
        self._post(ADD_TO_TEMPLATE, component_token, body)

    def get_template_list(
        self, component_token: str, template_type: int | None = None
    ) -> tuple[Template, ...]:
        """GET the templates (never POST: 43001), ``template_type`` as a query parameter."""
        query = {} if template_type is None else {"template_type": template_type}
        data = self._get(TEMPLATE_LIST, component_token, **query)
        return tuple(
            Template(
                template_id=number(row, "template_id"),
                **_source(row),
                template_type=number(row, "template_type"),
                audit_status=number(row, "audit_status"),
                reason=text(row, "reason"),
            )
            for row in rows(data, "template_list")
        )

    def delete_template(self, component_token: str, template_id: int) -> None:
        """Remove a template from the library (85064 when there is none)."""
        self._post(DELETE_TEMPLATE, component_token, {"template_id": template_id})
