"""nginx sends the message and event URL to the event lane, as it does /wechat/events."""

import re

from portal import config
from portal.paths import ROOT

NGINX = (ROOT / "deploy" / "nginx-portal.conf").read_text()


def block(pattern: str) -> str:
    found = re.search(pattern + r" \{(.*?)\n    \}", NGINX, re.S)
    assert found, pattern
    return found.group(1)


def test_message_pushes_keep_the_event_lane():
    messages = block(r"location \^~ /wechat/messages/")
    events = block(r"location = /wechat/events")
    assert config.MESSAGE_PATH.startswith("/wechat/messages/")
    assert "proxy_pass http://portal_events;" in messages
    # The same rules as the authorization event URL: quick timeouts, the other lane on error.
    for line in events.strip().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert line in messages, line


def test_no_page_is_stamped_for_shedding_on_the_push_lane():
    assert "X-Request-Start" not in block(r"location \^~ /wechat/messages/")
