"""Categories (服务类目): the tree the mini program may choose from, adding and fixing its
own, and the categories in the shape submit_audit's ``item_list`` needs. A-token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.wechat.miniprogram.wire import Area, count, number, numbers, obj, rows, text

ALL_CATEGORIES = "/cgi-bin/wxopen/getallcategories"
CATEGORIES_BY_TYPE = "/cgi-bin/wxopen/getcategoriesbytype"
ADD_CATEGORY = "/cgi-bin/wxopen/addcategory"
GET_CATEGORY = "/cgi-bin/wxopen/getcategory"
DELETE_CATEGORY = "/cgi-bin/wxopen/deletecategory"
MODIFY_CATEGORY = "/cgi-bin/wxopen/modifycategory"
AUDIT_CATEGORY = "/wxa/get_category"

PATHS = (
    ALL_CATEGORIES,
    CATEGORIES_BY_TYPE,
    ADD_CATEGORY,
    GET_CATEGORY,
    DELETE_CATEGORY,
    MODIFY_CATEGORY,
    AUDIT_CATEGORY,
)


@dataclass(frozen=True)
class QualifyItem:
    name: str
    url: str


@dataclass(frozen=True)
class Qualify:
    """What a sensitive category asks for, and a remark. Every ``exter_list`` group is
    needed; the ``inner_list`` items of one group are alternatives: one document of each
    group (the strict reading, the sandbox's: 53311 otherwise)."""

    exter_list: tuple[tuple[QualifyItem, ...], ...]
    remark: str


@dataclass(frozen=True)
class CategoryNode:
    """One node of getallcategories / getcategoriesbytype. Node 0 is the root; levels 1
    and 2 follow. ``sensitive_type`` 1: needs qualification media and goes to audit."""

    id: int | None
    name: str
    level: int | None
    father: int | None
    children: tuple[int, ...]
    sensitive_type: int
    qualify: Qualify


@dataclass(frozen=True)
class Certificate:
    """A qualification for addcategory/modifycategory: the document's name (as
    ``qualify`` lists it) and a temp media id; one per ``exter_list`` group."""

    key: str
    value: str


@dataclass(frozen=True)
class CategoryChoice:
    """A category to add (first and second level ids) with its qualifications."""

    first: int
    second: int
    certicates: Sequence[Certificate] = field(default_factory=tuple)


@dataclass(frozen=True)
class SetCategory:
    """getcategory's row. ``audit_status``: 1 under audit, 2 rejected, 3 passed."""

    first: int | None
    first_name: str
    second: int | None
    second_name: str
    audit_status: int | None
    audit_reason: str


@dataclass(frozen=True)
class SetCategories:
    """getcategory: the categories set, ``limit`` adds per change cycle, ``quota`` left
    this cycle, ``category_limit`` the most the mini program may hold."""

    categories: tuple[SetCategory, ...]
    limit: int
    quota: int
    category_limit: int


@dataclass(frozen=True)
class AuditCategory:
    """/wxa/get_category's row, the shape of submit_audit's ``item_list`` classes."""

    first_class: str
    second_class: str
    third_class: str
    first_id: int | None
    second_id: int | None
    third_id: int | None


def _node(row: dict[str, Any]) -> CategoryNode:
    qualify = obj(row, "qualify")
    groups = tuple(
        tuple(
            QualifyItem(text(item, "name"), text(item, "url")) for item in rows(group, "inner_list")
        )
        for group in rows(qualify, "exter_list")
    )
    return CategoryNode(
        id=number(row, "id"),
        name=text(row, "name"),
        level=number(row, "level"),
        father=number(row, "father"),
        children=numbers(row, "children"),
        sensitive_type=count(row, "sensitive_type"),
        qualify=Qualify(exter_list=groups, remark=text(qualify, "remark")),
    )


def _tree(data: dict[str, Any]) -> tuple[CategoryNode, ...]:
    return tuple(_node(row) for row in rows(obj(data, "categories_list"), "categories"))


def _certicates(certicates: Sequence[Certificate]) -> list[dict[str, str]]:
    return [{"key": item.key, "value": item.value} for item in certicates]


class CategoriesApi(Area):
    def get_all_categories(self, authorizer_token: str) -> tuple[CategoryNode, ...]:
        """GET the category tree. It may list categories this subject type may not set
        (53302 on add): the portal reads ``get_categories_by_type``."""
        return _tree(self._get(ALL_CATEGORIES, authorizer_token))

    def get_categories_by_type(
        self, authorizer_token: str, verify_type: int
    ) -> tuple[CategoryNode, ...]:
        """The tree for a subject type: ``verify_type`` 0 personal, 1 enterprise,
        2 government, 3 media, 4 other organisation (not ``principal_type``)."""
        data = self._post(CATEGORIES_BY_TYPE, authorizer_token, {"verify_type": verify_type})
        return _tree(data)

    def add_category(self, authorizer_token: str, categories: Sequence[CategoryChoice]) -> None:
        """Add categories (always an array; note WeChat's spelling ``certicates``: one
        per ``qualify`` group). Sensitive ones go to audit (``wxa_category_audit`` push).
        53302: the subject type may not set it; 53303: invalid, also a retired category."""
        body = {
            "categories": [
                {"first": c.first, "second": c.second, "certicates": _certicates(c.certicates)}
                for c in categories
            ]
        }
        self._post(ADD_CATEGORY, authorizer_token, body)

    def get_category(self, authorizer_token: str) -> SetCategories:
        """GET the categories set on the mini program, each with its audit state."""
        data = self._get(GET_CATEGORY, authorizer_token)
        return SetCategories(
            categories=tuple(
                SetCategory(
                    first=number(row, "first"),
                    first_name=text(row, "first_name"),
                    second=number(row, "second"),
                    second_name=text(row, "second_name"),
                    audit_status=number(row, "audit_status"),
                    audit_reason=text(row, "audit_reason"),
                )
                for row in rows(data, "categories")
            ),
            limit=count(data, "limit"),
            quota=count(data, "quota"),
            category_limit=count(data, "category_limit"),
        )

    def delete_category(self, authorizer_token: str, first: int, second: int) -> None:
        """Remove a category (53308 while it is under audit)."""
        self._post(DELETE_CATEGORY, authorizer_token, {"first": first, "second": second})

    def modify_category(self, authorizer_token: str, category: CategoryChoice) -> None:
        """Replace a rejected category's qualifications (53306, 53307 otherwise)."""
        body = {
            "first": category.first,
            "second": category.second,
            "certicates": _certicates(category.certicates),
        }
        self._post(MODIFY_CATEGORY, authorizer_token, body)

    def get_audit_category(self, authorizer_token: str) -> tuple[AuditCategory, ...]:
        """GET /wxa/get_category: the categories usable in submit_audit's ``item_list``."""
        data = self._get(AUDIT_CATEGORY, authorizer_token)
        return tuple(
            AuditCategory(
                first_class=text(row, "first_class"),
                second_class=text(row, "second_class"),
                third_class=text(row, "third_class"),
                first_id=number(row, "first_id"),
                second_id=number(row, "second_id"),
                third_id=number(row, "third_id"),
            )
            for row in rows(data, "category_list")
        )
