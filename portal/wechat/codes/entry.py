"""A catalogue entry and the vocabulary entries use."""

from __future__ import annotations

from dataclasses import dataclass

# Who must act next. STAFF: the platform's customer service (客服), who act in the console.
MERCHANT, LEGAL_PERSON, OPERATOR, WAIT = "merchant", "legal_person", "operator", "wait"
STAFF = "staff"
ACTOR_LABELS = {
    MERCHANT: "商户（填表人）",
    LEGAL_PERSON: "法定代表人",
    OPERATOR: "平台运营方",
    STAFF: "平台客服",
    WAIT: "无需操作，请等待",
}

# How the worker treats an API errcode.
OK, STATE, FIXABLE, TRANSIENT, OPERATOR_PROBLEM = "ok", "state", "fixable", "transient", "operator"

SUCCEEDED, FAILED, EXPIRED, PROGRESS = "succeeded", "failed", "expired", "progress"

#: The operator's reading of an entry without its own ``operator_note``, by kind.
OPERATOR_DEFAULTS = {
    OK: "正常结果，无需处理。",
    STATE: "任务进行中的状态，无需处理。",
    FIXABLE: "需商户修改资料或等待后重新提交（商户页面已说明怎么做），运营方无需处理。",
    TRANSIENT: "微信临时故障：worker 按重试策略自动重试；持续出现时查看微信开放平台的公告。",
    OPERATOR_PROBLEM: "平台侧的问题：查明原因并处理后，在客服后台点“恢复处理”。",
}

# Form fields a code can point at (the classic flavor's names).
NAME, CODE, CODE_TYPE, WECHAT, LEGAL_NAME = (
    "name",
    "code",
    "code_type",
    "legal_persona_wechat",
    "legal_persona_name",
)

# What a merchant gives for going live (SETUP.md §1-§7), for the go-live entries' fields.
NICKNAME, HEAD_IMAGE, SIGNATURE, CATEGORY, QUALIFICATION = (
    "nickname",
    "head_image",
    "signature",
    "category",
    "qualification",  # licence or proof for a name, qualification images for a category
)
PRIVACY_CONTACT, CONTENT_REVIEW, TESTER = "privacy_contact", "content_review", "tester_wechat"
GOLIVE_FIELDS = (
    NICKNAME,
    HEAD_IMAGE,
    SIGNATURE,
    CATEGORY,
    QUALIFICATION,
    PRIVACY_CONTACT,
    CONTENT_REVIEW,
    TESTER,
)

# How long a spent quota lasts, for entries that report one (``Entry.quota``).
DAY, MONTH, YEAR = "day", "month", "year"


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
    source: str = "seed"  # seed, reference, newer (V2), setup (go-live, SETUP.md)
    known: bool = True
    outcome: str = "failed"  # what a result status means: succeeded, failed, expired, progress
    # For the platform's staff and operator: the technical cause and the fix (jargon allowed;
    # title, explanation and next_step are the merchant's words).
    operator_note: str = ""
    quota: str = ""  # day, month or year when the code says a quota of that period is spent
    calls: tuple[str, ...] = ()  # the go-live calls that answer it (empty: any call)
    #: The consoles' name for it (jargon allowed); empty: the merchant's ``title`` fits.
    operator_title: str = ""
    #: The legal person said no: talk to them before resubmitting (the page leads with it).
    refusal: bool = False

    @property
    def actor_label(self) -> str:
        return ACTOR_LABELS[self.actor]

    @property
    def console_title(self) -> str:
        """What staff and operators read as its name (never the merchant's softened one)."""
        return self.operator_title or self.title

    @property
    def operator_text(self) -> str:
        """What the operator does about it; never the merchant's next step."""
        return self.operator_note or OPERATOR_DEFAULTS.get(self.kind, OPERATOR_DEFAULTS[FIXABLE])


def table(*entries: Entry) -> dict[int, Entry]:
    return {e.code: e for e in entries}


def golive(
    code: int,
    wechat_text: str,
    title: str,
    explanation: str,
    actor: str,
    next_step: str,
    operator_note: str,
    *,
    kind: str = FIXABLE,
    fields: tuple[str, ...] = (),
    quota: str = "",
    calls: tuple[str, ...] = (),
) -> Entry:
    """A go-live entry (SETUP.md): it never asks for the registration to be resubmitted."""
    return Entry(
        code,
        wechat_text,
        title,
        explanation,
        actor,
        next_step,
        fields=fields,
        kind=kind,
        resubmit="no",
        source="setup",
        operator_note=operator_note,
        quota=quota,
        calls=calls,
    )
