"""Measure how fast POST /wechat/events answers (WeChat gives up after 5 seconds).

Runs the portal as a real process (gunicorn-free: the same dev server the demo uses),
sends N encrypted result pushes and N duplicates, and prints median and p95 latency.
Usage: .venv/bin/python scripts/bench_events.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.stack import running_stack  # noqa: E402
from portal.wechat.crypto import seal_message  # noqa: E402


def push(stack, n: int) -> tuple[dict, bytes]:
    env = stack.env
    appid = env["PORTAL_WECHAT_COMPONENT_APPID"]
    xml = (
        f"<xml><AppId>{appid}</AppId><CreateTime>{n}</CreateTime>"
        "<InfoType>notify_third_fasteregister</InfoType><status>103</status>"
        f"<info><name>基准测试{n}有限公司</name><code>91440101MA59VWXY1B</code></info></xml>"
    )
    encrypted, signature = seal_message(
        token=env["PORTAL_WECHAT_TOKEN"], encoding_aes_key=env["PORTAL_WECHAT_ENCODING_AES_KEY"],
        appid=appid, xml=xml, timestamp="1", nonce=str(n),
    )  # fmt: skip
    body = f"<xml><AppId>{appid}</AppId><Encrypt>{encrypted}</Encrypt></xml>".encode()
    return {"timestamp": "1", "nonce": str(n), "msg_signature": signature}, body


def timed(client: httpx.Client, url: str, params: dict, body: bytes) -> float:
    start = time.perf_counter()
    response = client.post(url, params=params, content=body)
    assert response.text == "success", response.text
    return (time.perf_counter() - start) * 1000


def main(n: int = 300) -> None:
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp), worker=False) as stack:
        url = f"{stack.portal_url}/wechat/events"
        pushes = [push(stack, i) for i in range(n)]
        with httpx.Client() as client:
            first = [timed(client, url, p, b) for p, b in pushes]
            again = [timed(client, url, p, b) for p, b in pushes]
    for label, values in (("new push", first), ("duplicate", again)):
        values.sort()
        print(
            f"{label:10} n={len(values)} median={statistics.median(values):.2f} ms "
            f"p95={values[int(len(values) * 0.95)]:.2f} ms max={values[-1]:.2f} ms "
            f"(WeChat's limit: 5000 ms → {5000 / statistics.median(values):.0f}× headroom)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
