"""The domains phase's rule on its own (golive_deploy_domains): what WeChat holds is
read before a set, and 85017 counts as set only when a get then shows the lists."""

import pytest

from portal.tasks import golive_deploy_domains as domains
from portal.wechat.client import WeChatError

WANTED = {"requestdomain": ["https://api.shop.example.com"], "uploaddomain": []}
SETUP = {"submission_id": 1, "appid": "wx0000000000000001"}


class Ctx:
    def call_authorizer(self, submission_id, appid, fn):
        return fn("token")


class WeChat:
    """A fake WeChat: the lists ``get`` answers in turn, and what ``set`` answers."""

    def __init__(self, *held, refuse: int | None = None):
        self.held, self.refuse, self.sets = list(held), refuse, 0

    def get(self, _token):
        return self.held.pop(0) if len(self.held) > 1 else self.held[0]

    def put(self, _token):
        self.sets += 1
        if self.refuse is not None:
            raise WeChatError("wxa.modify_domain", self.refuse, "no domain to modify")


def test_lists_already_held_are_not_set_again():
    wechat = WeChat({"requestdomain": ["api.shop.example.com/"], "uploaddomain": []})
    domains._set(Ctx(), SETUP, WANTED, wechat.get, wechat.put)
    assert wechat.sets == 0  # compared without protocol or trailing slash


def test_85017_counts_as_set_when_get_then_shows_the_lists():
    wechat = WeChat({}, {"requestdomain": ["https://api.shop.example.com"]}, refuse=85017)
    domains._set(Ctx(), SETUP, WANTED, wechat.get, wechat.put)
    assert wechat.sets == 1


@pytest.mark.parametrize("code", [85017, 85301])
def test_85017_stands_when_get_shows_other_lists(code):
    wechat = WeChat({}, {"requestdomain": ["https://old.shop.example.com"]}, refuse=code)
    with pytest.raises(WeChatError) as raised:
        domains._set(Ctx(), SETUP, WANTED, wechat.get, wechat.put)
    assert raised.value.errcode == code


def test_another_refusal_is_never_taken_for_set():
    wechat = WeChat({}, dict(WANTED), refuse=45104)
    with pytest.raises(WeChatError):
        domains._set(Ctx(), SETUP, WANTED, wechat.get, wechat.put)


def test_the_digest_changes_with_the_way_and_the_lists():
    mark = domains.digest("direct", WANTED)
    assert mark == domains.digest("direct", {"uploaddomain": [], **WANTED})
    assert mark != domains.digest("platform", WANTED)
    assert mark != domains.digest("direct", {**WANTED, "uploaddomain": ["https://u.cn"]})
