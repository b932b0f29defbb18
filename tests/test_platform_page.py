"""check-config says what to enter on WeChat's platform page, and those URLs are routed."""

from portal import config
from portal.cli import check_config_command
from tests.conftest import CREDENTIALS


def test_check_config_names_both_urls_with_the_public_host(app):
    app.config["PUBLIC_URL"] = "https://register.example.com/ignored/path"
    result = app.test_cli_runner().invoke(check_config_command)
    out = result.output
    assert "授权事件接收URL to https://register.example.com/wechat/events " in out
    assert "消息与事件接收URL to https://register.example.com/wechat/messages/$APPID$," in out
    assert "安全模式" in out and "消息校验Token" in out and "消息加解密Key" in out
    # The token and the key are named, never printed.
    assert CREDENTIALS["WECHAT_TOKEN"] not in out
    assert CREDENTIALS["WECHAT_ENCODING_AES_KEY"] not in out


def test_without_a_public_url_the_host_is_a_placeholder():
    lines = config.platform_page({**config.DEFAULTS, **CREDENTIALS})
    assert "https://<your host>/wechat/events" in lines[0]
    assert "https://<your host>/wechat/messages/$APPID$" in lines[1]
    assert all("\n" not in line for line in lines)


def test_the_urls_printed_are_the_routes_that_answer(app):
    adapter = app.url_map.bind("register.example.com")
    assert adapter.match(config.EVENT_PATH, method="POST")[0] == "callbacks.events"
    filled = config.MESSAGE_PATH.replace("$APPID$", "wxaaaabbbbccccdddd")
    endpoint, args = adapter.match(filled, method="POST")
    assert (endpoint, args) == ("callbacks.message_events", {"appid": "wxaaaabbbbccccdddd"})
