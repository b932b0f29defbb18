"""How long the worker takes to carry a mini program through the go-live steps.

Runs portal, sandbox and worker as real processes with the sandbox's delays at zero,
registers N companies, gives each one's four merchant steps, and measures from the
merchant's last step to the audit being submitted, and from the audit's pass to the
release, per step. The worker's own overhead is each step's time less the time spent
waiting for WeChat's answers (the call log's latencies). Prints medians.

Usage: .venv/bin/python scripts/bench_golive.py [N] [WORKER_INTERVAL]
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.db import connect  # noqa: E402
from portal.golive import seed  # noqa: E402
from portal.golive import steps as st  # noqa: E402
from portal.registration import submissions as subs  # noqa: E402
from portal.registration.flavors import FLAVORS  # noqa: E402
from portal.stack import FAST, running_stack  # noqa: E402
from tests.registration.facts import facts  # noqa: E402

ZERO = {
    "PORTAL_SANDBOX_CHECK_DELAY": "0",
    "PORTAL_SANDBOX_AUDIT_DELAY": "0",
    "PORTAL_SANDBOX_NAME_AUDIT_DELAY": "0",
    "PORTAL_SANDBOX_CATEGORY_AUDIT_DELAY": "0",
    "PORTAL_SANDBOX_PRIVACY_SCAN": "0",
    "PORTAL_SANDBOX_RESEND_DELAY": "0.2",
    "PORTAL_SANDBOX_ICP_FILED_AFTER": "0",  # filed at once: the release is not held up
}
#: The go-live phases as the setup timeline names them: (label, step, detail marker).
MARKS = (
    ("domains", st.DEPLOY, "服务器域名已设置"),
    ("commit", st.DEPLOY, "代码已上传"),
    ("privacy", st.DEPLOY, "隐私保护指引已设置"),
    ("submit_audit", st.DEPLOY, "已提交微信审核"),
    ("audit passed", st.AUDIT, "微信审核通过"),
    ("release", st.RELEASE, "小程序已发布上线"),
    ("code image", st.RELEASE, "小程序码已生成"),
)


def jpeg(color: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), color).save(out, "JPEG")
    return out.getvalue()


def wait(what: str, predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}")


def give_all(db, setup_id: int, n: int) -> float:
    st.give(
        db,
        setup_id,
        st.NAME,
        {"nickname": f"基准小店{n}号"},
        [("licence", "image/jpeg", jpeg((9, 9, 9)))],
    )
    st.give(db, setup_id, st.AVATAR, {}, [("avatar", "image/jpeg", jpeg((200, 40, 40)))])
    st.give(db, setup_id, st.INTRO, {"signature": "本店提供到店点单和外卖服务"})
    choices = wait(
        "categories", lambda: st.step(db, setup_id, st.CATEGORY)["result"].get("choices")
    )
    plain = next(c for c in choices if not c["sensitive"])
    values = {k: plain[k] for k in ("first", "second", "first_name", "second_name")}
    st.give(db, setup_id, st.CATEGORY, values)
    return time.time()


def marks(db, setup_id: int) -> dict[str, float]:
    found = {}
    for event in st.timeline(db, setup_id):
        for label, name, marker in MARKS:
            if event["step"] == name and marker in event["detail"] and label not in found:
                found[label] = event["at"]
    return found


def wechat_ms(db, submission_id: int, start: float, end: float) -> float:
    row = db.execute(
        "SELECT coalesce(sum(latency_ms), 0) FROM api_calls WHERE submission_id = ? "
        "AND at BETWEEN ? AND ?",
        [submission_id, start, end + 0.01],
    ).fetchone()
    return row[0]


def main(n: int, interval: str) -> None:
    env = {**FAST, **ZERO, "PORTAL_WORKER_INTERVAL": interval}
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp), env=env):
        db = connect(str(Path(tmp) / "portal.sqlite"))
        seed.ask(db)
        wait("the demo template", lambda: seed.finish(db, "400-000-0000"))
        made = [
            subs.submit(db, FLAVORS["classic"], facts(f"沙箱S0基准{n}{i}科技有限公司"))[0]
            for i in range(n)
        ]
        setups = [wait("a setup", lambda s=s: st.for_submission(db, s["id"]), 90) for s in made]
        given = {s["id"]: give_all(db, s["id"], i) for i, s in enumerate(setups)}
        for setup in setups:
            wait("release", lambda s=setup: st.live(db, s["id"]), 120)
        rows = []
        for setup in setups:
            found = {"given": given[setup["id"]], **marks(db, setup["id"])}
            labels = ["given", *[m[0] for m in MARKS]]
            for before, after in zip(labels, labels[1:], strict=False):
                if before in found and after in found:
                    took = found[after] - found[before]
                    waited = (
                        wechat_ms(db, setup["submission_id"], found[before], found[after]) / 1000
                    )
                    rows.append((after, took, waited))
        print(f"go-live bench: {n} mini programs, worker interval {interval}s, sandbox delays 0")
        print(f"{'step':<14}{'median s':>10}{'WeChat s':>10}{'worker s':>10}")
        for label, *_ in MARKS:
            took = [r[1] for r in rows if r[0] == label]
            waited = [r[2] for r in rows if r[0] == label]
            if took:
                t, w = statistics.median(took), statistics.median(waited)
                print(f"{label:<14}{t:>10.3f}{w:>10.3f}{t - w:>10.3f}")
        first = [marks(db, s["id"]).get("submit_audit", 0) - given[s["id"]] for s in setups]
        last = [
            marks(db, s["id"]).get("release", 0) - marks(db, s["id"]).get("audit passed", 0)
            for s in setups
        ]
        print(f"last merchant step → audit submitted: median {statistics.median(first):.3f} s")
        print(f"audit passed → released:              median {statistics.median(last):.3f} s")
        db.conn.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, sys.argv[2] if len(sys.argv) > 2 else "0.2")
