"""A catalogue entry and the vocabulary entries use."""

from __future__ import annotations

from dataclasses import dataclass

# Who must act next.
MERCHANT, LEGAL_PERSON, OPERATOR, WAIT = "merchant", "legal_person", "operator", "wait"
ACTOR_LABELS = {
    MERCHANT: "商户（填表人）",
    LEGAL_PERSON: "法定代表人",
    OPERATOR: "平台运营方",
    WAIT: "无需操作，请等待",
}

# How the worker treats an API errcode.
OK, STATE, FIXABLE, TRANSIENT, OPERATOR_PROBLEM = "ok", "state", "fixable", "transient", "operator"

SUCCEEDED, FAILED, EXPIRED, PROGRESS = "succeeded", "failed", "expired", "progress"

# Form fields a code can point at (the classic flavor's names).
NAME, CODE, CODE_TYPE, WECHAT, LEGAL_NAME = (
    "name",
    "code",
    "code_type",
    "legal_persona_wechat",
    "legal_persona_name",
)


@dataclass(frozen=True)
class Entry:
    code: int
    wechat_text: str
    title: str
    explanation: str
    actor: str
    next_step: str
    fields: tuple[str, ...] = ()
    kind: str = FIXABLE
    resubmit: str = "yes"  # "yes", "later", "no"
    resubmit_after: str = ""
    source: str = "seed"  # seed, reference, newer (V2)
    known: bool = True
    outcome: str = "failed"  # what a result status means: succeeded, failed, expired, progress

    @property
    def actor_label(self) -> str:
        return ACTOR_LABELS[self.actor]


def table(*entries: Entry) -> dict[int, Entry]:
    return {e.code: e for e in entries}
