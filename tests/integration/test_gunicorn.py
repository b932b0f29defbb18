"""The README's deployment: production settings under gunicorn with several workers."""

import os
import subprocess
import sys
import time

import httpx
import pytest

from portal.stack import free_port, new_credentials
from tests.wechat.independent import push_request

pytestmark = pytest.mark.integration
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def production_env(tmp_path, **changes):
    return {
        **os.environ,
        **new_credentials(),
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": "x" * 48,
        "PORTAL_DATABASE": str(tmp_path / "prod.sqlite"),
        **changes,
    }


def flask(env, *args):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip


def test_production_under_gunicorn_answers_and_verifies_pushes(tmp_path):
    env = production_env(tmp_path)
    assert flask(env, "check-config").returncode == 0
    assert flask(env, "init-db").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(url + "/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        xml = (f"<xml><AppId>{env['PORTAL_WECHAT_COMPONENT_APPID']}</AppId><CreateTime>1</CreateTime>"
               "<InfoType>component_verify_ticket</InfoType>"
               "<ComponentVerifyTicket>t@@@1</ComponentVerifyTicket></xml>")  # fmt: skip
        creds = (env["PORTAL_WECHAT_TOKEN"], env["PORTAL_WECHAT_ENCODING_AES_KEY"],
                 env["PORTAL_WECHAT_COMPONENT_APPID"])  # fmt: skip
        params, body = push_request(*creds, xml)
        assert httpx.post(url + "/wechat/events", params=params, content=body).text == "success"
        params, body = push_request("wrong", *creds[1:], xml)
        assert httpx.post(url + "/wechat/events", params=params, content=body).status_code == 403
        assert httpx.get(url + "/healthz").json()["ticket_stale"] is False
        cookie = httpx.get(url + "/login").headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_production_refuses_to_start_with_the_default_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["PORTAL_SECRET_KEY"]
    result = flask(env, "check-config")
    assert result.returncode != 0
    assert "PORTAL_SECRET_KEY must be a random value" in result.stdout + result.stderr
