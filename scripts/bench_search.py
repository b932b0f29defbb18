"""Measure staff search over a large table: N submissions, typical queries, medians.

Usage: .venv/bin/python scripts/bench_search.py [N]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.db import connect, migrate  # noqa: E402
from portal.registration.reports import Filters, search  # noqa: E402

CITIES = ["广州市", "深圳市", "杭州市", "成都市", "武汉市", "西安市", "南京市", "苏州市"]
TRADES = ["餐饮管理", "科技", "商贸", "网络", "文化传媒", "物业服务", "教育咨询", "医疗器械"]


def fill(db, n: int) -> None:
    rng = random.Random(7)
    now = time.time()
    rows = []
    for i in range(n):
        name = (
            f"{rng.choice(CITIES)}{rng.choice('甲乙丙丁戊己庚辛')}{i}{rng.choice(TRADES)}有限公司"
        )
        rows.append((f"p{i}", "classic", name, f"91440101MA{i:08d}", 1, f"wx_user{i}", "张三",
                     f"k{i}", rng.choice(["queued", "checking", "failed", "authorized"]),
                     now - rng.random() * 90 * 86400, now))  # fmt: skip
    with db.conn:
        db.conn.executemany(
            "INSERT INTO submissions (public_id, flavor, name, code, code_type, "
            "legal_persona_wechat, legal_persona_name, match_key, state, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def timed(db, filters: Filters, runs: int = 21) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        search(db, filters, page=1)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main(n: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(str(Path(tmp) / "bench.sqlite"))
        migrate(db)
        fill(db, n)
        cases = {
            "partial name '餐饮'": Filters(name="餐饮"),
            "partial name, rare": Filters(name="戊4242"),
            "exact code": Filters(code="91440101MA00004242"),
            "WeChat ID": Filters(wechat="wx_user4242"),
            "state": Filters(state="failed"),
            "no filter (newest page)": Filters(),
        }
        print(f"{n} submissions; median of 21 runs, first page of 20 plus the total count")
        for label, filters in cases.items():
            print(f"  {label:26} {timed(db, filters):8.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
