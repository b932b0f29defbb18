"""Valid facts for a submission, with a name that may carry a sandbox magic value.

Each company name gets its own valid unified social credit code (WeChat runs one task
per company, and a company is its code), unless a test passes ``code`` itself.
"""

import hashlib

from portal.normalize import company_name
from portal.validation_codes import USCI_CHARS, usci_check_char

VALID = {
    "name": "广州市示例科技有限公司",
    "code": "91440101MA59VWXY1B",
    "code_type": 1,
    "legal_persona_wechat": "zhangsan_88",
    "legal_persona_name": "张三",
}


def code_for(name: str) -> str:
    """A well-formed 18-character code of its own for ``name`` (stable across runs)."""
    name = company_name(name)
    if name == VALID["name"]:
        return VALID["code"]
    digest = hashlib.sha256(name.encode()).digest()
    # positions 3-8 are a GB/T 2260 division (digits only: GB 32100-2015 §4.3)
    body = "91440101" + "".join(USCI_CHARS[b % len(USCI_CHARS)] for b in digest[:9])
    return body + usci_check_char(body)


def facts(name: str = VALID["name"], **changes) -> dict:
    return {**VALID, "name": name, "code": code_for(name), **changes}
