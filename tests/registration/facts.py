"""Valid facts for a submission, with a name that may carry a sandbox magic value."""

VALID = {
    "name": "广州市示例科技有限公司",
    "code": "91440101MA59VWXY1B",
    "code_type": 1,
    "legal_persona_wechat": "zhangsan_88",
    "legal_persona_name": "张三",
}


def facts(name: str = VALID["name"], **changes) -> dict:
    return {**VALID, "name": name, **changes}
