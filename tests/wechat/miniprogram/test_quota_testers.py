"""Quota and testers read back."""

from __future__ import annotations

import pytest

from portal.wechat.miniprogram.quota import Quota
from portal.wechat.miniprogram.testers import Member
from tests.wechat.miniprogram.fake import A_TOKEN, Fake


def test_the_quota_is_read():
    answer = {
        "errcode": 0,
        "errmsg": "ok",
        "rest": 26,
        "limit": 27,
        "speedup_rest": 1,
        "speedup_limit": 1,
    }
    assert Fake(answer).mp.quota.query_quota(A_TOKEN) == Quota(26, 27, 1, 1)


def test_bind_tester_answers_the_userstr():
    answer = {"errcode": 0, "errmsg": "ok", "userstr": "a1b2c3"}
    assert Fake(answer).mp.testers.bind_tester(A_TOKEN, "wx_staff_01") == "a1b2c3"


def test_the_testers_are_read_as_userstrs():
    answer = {"errcode": 0, "errmsg": "ok", "members": [{"userstr": "a1"}, {"userstr": "b2"}]}
    assert Fake(answer).mp.testers.get_testers(A_TOKEN) == (Member("a1"), Member("b2"))


def test_unbind_by_wechat_id():
    fake = Fake()
    fake.mp.testers.unbind_tester(A_TOKEN, wechatid="wx_staff_01")
    assert fake.body() == {"wechatid": "wx_staff_01"}


@pytest.mark.parametrize("given", [{}, {"wechatid": "wx_1", "userstr": "a1"}])
def test_unbind_takes_exactly_one_of_the_two(given):
    fake = Fake()
    with pytest.raises(ValueError):
        fake.mp.testers.unbind_tester(A_TOKEN, **given)
    assert fake.sent == []
