"""Drive the merchant form like a browser would: fetch the CSRF token, post, follow."""

import re

FORM = {
    "name": "广州市示例科技有限公司",
    "code_type": "1",
    "code": "9144030071526726XG",
    "legal_persona_name": "张三",
    "legal_persona_wechat": "zhangsan_88",
    "contact_phone": "",
}


def csrf_token(client, url="/apply"):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def post_form(client, **changes):
    """Post the form; a valid one lands on the confirmation page (after its redirect)."""
    data = {**FORM, **changes, "csrf_token": csrf_token(client)}
    return client.post("/apply", data=data, follow_redirects=True)


def confirm(client, **changes):
    data = {**FORM, **changes, "csrf_token": csrf_token(client), "action": "submit"}
    return client.post("/apply/confirm", data=data)


def submit(client, **changes) -> str:
    """Submit through the confirmation step; return the status page's path."""
    response = confirm(client, **changes)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]
