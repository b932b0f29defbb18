"""The operator's go-live setup (portal.golive.platform): saving and its validation, the
ext_json template and its escaping, the worker's templates_sync kind against the
in-process sandbox, and check-config's lines."""

import json
import time

import pytest

from portal.golive import platform
from portal.golive.platform import PlatformSetup
from portal.golive.platform_rules import bare_hosts
from portal.registration import submissions as subs
from portal.registration.flavors import FLAVORS
from portal.tasks import templates_sync
from portal.tasks.context import Context
from portal.wechat import authorizers
from portal.wechat.shapes import Authorization
from portal.wechat.wiring import connect as connect_wechat
from portal.worker import Scheduler
from tests.registration.facts import facts

READY = {
    "server_domains": {"requestdomain": "api.shop.example.com"},
    "privacy_contact": {"contact_phone": "020-12345678"},
    "audit_items": [{"address": "pages/index/index", "tag": "餐饮 外卖", "title": "首页"}],
}


def calls(db, endpoint: str) -> int:
    return db.execute("SELECT count(*) FROM api_calls WHERE endpoint = ?", [endpoint]).fetchone()[0]


def test_a_fresh_platform_has_defaults_and_says_what_is_missing(db):
    setup = platform.get(db)
    assert setup == PlatformSetup()
    assert (setup.domain_way, setup.release_policy, setup.privacy_notice_method) == (
        "platform", "auto", "弹窗",
    )  # fmt: skip
    assert set(setup.server_domains) == {
        "requestdomain", "wsrequestdomain", "uploaddomain", "downloaddomain",
    }  # fmt: skip
    problems = " ".join(setup.problems())
    for missing in ("未选择代码模板", "未填写服务器域名", "缺少联系方式", "审核表单没有页面"):
        assert missing in problems
    assert "ext_json" not in problems  # the default template is valid


def test_saving_normalizes_and_reads_back(db):
    platform.save(
        db,
        server_domains={
            "requestdomain": "api.shop.example.com\nhttps://API.shop.example.com\nb.example.com:8443",
            "wsrequestdomain": ["ws.shop.example.com"],
        },
        webview_domains="h5.shop.example.com，h5.shop.example.com",
        privacy_contact={"contact_phone": " 020-12345678 ", "contact_email": ""},
        privacy_purposes={"Location": "为了展示附近的门店", "Album": "  ", "PhoneNumber": "联系你"},
        audit_items=[
            {"address": "/pages/index/index", "tag": "餐饮  外卖", "title": "首页"},
            {"address": "", "tag": "", "title": ""},
        ],
        release_policy="confirm",
    )
    setup = platform.get(db)
    assert setup.server_domains == {
        "requestdomain": ("https://api.shop.example.com", "https://b.example.com:8443"),
        "wsrequestdomain": ("wss://ws.shop.example.com",),
        "uploaddomain": (),
        "downloaddomain": (),
    }
    assert setup.webview_domains == ("https://h5.shop.example.com",)
    assert setup.privacy_contact == {"contact_phone": "020-12345678"}
    assert setup.privacy_purposes == {"Location": "展示附近的门店", "PhoneNumber": "联系你"}
    assert setup.audit_items == (
        {"address": "pages/index/index", "tag": "餐饮 外卖", "title": "首页"},
    )
    assert setup.release_policy == "confirm"
    assert bare_hosts(setup.server_domains["requestdomain"]) == (
        "api.shop.example.com", "b.example.com",
    )  # fmt: skip


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ext_json_template": '{"ext": {"name": {company}}}'}, "占位符须写在引号内"),
        ({"ext_json_template": '{"ext": "{shop}"}'}, "未知的占位符 {shop}"),
        ({"ext_json_template": '["{appid}"]'}, "必须是一个 JSON 对象"),
        ({"ext_json_template": '{"ext": "x"}'}, "ext 必须是 JSON 对象"),
        ({"ext_json_template": '{"requiredPrivateInfos": ["getPhone"]}'}, "85310"),
        (
            {"ext_json_template": '{"requiredPrivateInfos": ["getFuzzyLocation", "getLocation"]}'},
            "85311",
        ),
        ({"ext_json_template": ""}, "请填写ext_json 模板"),
        ({"server_domains": {"requestdomain": "10.0.0.1"}}, "不能是 IP 地址"),
        ({"server_domains": {"requestdomain": "localhost"}}, "不是可用的域名"),
        ({"server_domains": {"requestdomain": "api.weixin.qq.com"}}, "不是可用的域名"),
        ({"server_domains": {"requestdomain": "http://a.example.com"}}, "须以 https:// 开头"),
        ({"server_domains": {"requestdomain": "a.example.com/api"}}, "不能带路径"),
        ({"server_domains": {"wsrequestdomain": "https://a.example.com"}}, "须以 wss:// 开头"),
        ({"server_domains": {"udpdomain": "a.example.com"}}, "未知的服务器域名类型"),
        (
            {"server_domains": {"requestdomain": [f"a{i}.example.com" for i in range(201)]}},
            "最多 200 个",
        ),
        ({"webview_domains": [f"h{i}.example.com" for i in range(101)]}, "最多 100 个"),
        ({"domain_way": "both"}, "设置域名的方式只能是 platform 或 direct"),
        ({"privacy_contact": {}}, "请至少填写一种联系方式"),
        ({"privacy_contact": {"contact_qq": "qq123"}}, "QQ 号为 5–12 位数字"),
        ({"privacy_contact": {"contact_email": "nobody"}}, "邮箱格式不对"),
        ({"privacy_contact": {"contact_fax": "1"}}, "未知的联系方式"),
        ({"privacy_notice_method": " "}, "请填写隐私告知方式"),
        ({"privacy_purposes": {"Location; DROP": "x"}}, "privacy_key"),
        ({"privacy_purposes": {"Location": "x" * 201}}, "最长 200 个字符"),
        ({"audit_items": [{"address": "pages/a b"}]}, "85007"),
        ({"audit_items": [{"address": "pages/a", "tag": " ".join("t" * 11)}]}, "85006"),
        ({"audit_items": [{"address": "pages/a", "title": "题" * 33}]}, "85011"),
        ({"audit_items": [{"address": f"pages/p{i}"} for i in range(6)]}, "85023"),
        ({"release_policy": "now"}, "发布方式只能是 auto 或 confirm"),
        ({"template_id": "12a"}, "须为数字"),
        ({"template_id": 7}, "请填写模板的版本号"),
        ({"template_version": "v" * 65}, "最长 64 个字符"),
        ({"nonsense": 1}, "未知的设置项"),
        ({"privacy_notice_method": "弹窗\u202e"}, "控制字符"),
    ],
)
def test_each_bad_value_is_refused_in_chinese_and_nothing_is_saved(db, change, message):
    with pytest.raises(ValueError) as refused:
        platform.save(db, **{"release_policy": "confirm", **change})
    assert message in str(refused.value)
    assert platform.get(db) == PlatformSetup()  # the good field beside it was not saved either
    assert db.execute("SELECT count(*) FROM golive_platform").fetchone()[0] == 0


@pytest.mark.parametrize(
    "company",
    [
        '甲"乙"有限公司',
        "反斜杠\\公司",
        'A\\"B',
        "换行\n公司",
        "{company}",
        "</script>",
        "\u4e00" * 200,
    ],
)
def test_render_ext_json_escapes_every_fact_into_valid_json(company):
    setup = PlatformSetup(
        ext_json_template='{"extAppid": "wxother", "ext": {"c": "{company}", "n": "{nickname}",'
        ' "tag": "{company}-{partner}", "id": {submission_id}}, "window": {"t": "{nickname}"}}'
    )
    facts_ = {"appid": "wxaaaabbbbccccdddd", "company": company, "nickname": 'N"\\',
              "partner": "代理\t商", "submission_id": "42"}  # fmt: skip
    text = setup.render_ext_json(facts_)
    data = json.loads(text)
    assert list(data)[0] == "extAppid" and data["extAppid"] == "wxaaaabbbbccccdddd"
    assert data["ext"] == {"c": company, "n": 'N"\\', "tag": f"{company}-代理\t商", "id": 42}
    assert data["window"] == {"t": 'N"\\'}
    assert "\n" not in text  # one line, as commit sends it


def test_extappid_is_the_appid_even_when_the_template_leaves_it_out():
    text = PlatformSetup(ext_json_template='{"ext": {}}').render_ext_json({"appid": "wxa"})
    assert json.loads(text) == {"extAppid": "wxa", "ext": {}}
    assert PlatformSetup().render_ext_json({}) == json.dumps(
        {"extAppid": "", "ext": {"company": "", "name": "", "partner": "", "submissionId": ""}},
        separators=(",", ":"),
    )


def test_facts_for_a_submission_never_use_its_public_id(db):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("广州市事实科技有限公司"))
    db.execute("UPDATE submissions SET appid = 'wxfacts0000000001' WHERE id = ?", [sub["id"]])
    found = platform.facts_for(db, sub["id"])
    assert found == {"appid": "wxfacts0000000001", "company": "广州市事实科技有限公司",
                     "nickname": "", "partner": "", "submission_id": str(sub["id"])}  # fmt: skip
    assert sub["public_id"] not in json.dumps(found)
    assert platform.facts_for(db, 10**9) is None


# The worker's templates_sync kind against the sandbox.


def test_the_worker_fetches_the_lists_adds_a_draft_and_the_template_is_chosen(db, jobs):
    assert platform.fetched_at(db) is None
    platform.request(db, platform.TEMPLATES, by="admin")
    jobs.run_once()
    assert platform.templates(db) == []  # the sandbox's library starts empty
    drafts = platform.drafts(db)
    assert drafts and platform.fetched_at(db) is not None
    assert platform.state(db)[platform.TEMPLATES]["requested_at"] is None
    demo = max(drafts, key=lambda d: d["draft_id"])
    platform.request(db, platform.ADD_DRAFT, str(demo["draft_id"]))
    jobs.run_once()
    jobs.run_once()  # nothing asked: nothing called again
    assert calls(db, "wxa.addtotemplate") == 1 and calls(db, "wxa.gettemplatelist") == 3
    platform.request(db, platform.ADD_DRAFT, str(demo["draft_id"]))  # asked twice, or a lost end
    jobs.run_once()
    assert calls(db, "wxa.addtotemplate") == 1
    assert platform.state(db)[platform.ADD_DRAFT]["result"]["already"] == demo["draft_id"]
    (template,) = platform.templates(db)
    assert (template["draft_id"], template["user_version"]) == (
        demo["draft_id"],
        demo["user_version"],
    )
    assert template["fetched_at"] and template["template_type"] == 0
    platform.save(db, template_id=template["template_id"])
    assert platform.get(db).template_version == demo["user_version"]
    with pytest.raises(ValueError, match="不在最近获取的模板列表中"):
        platform.save(db, template_id=template["template_id"] + 100, template_version="1")


def test_a_refused_draft_keeps_the_error_and_is_not_retried(db, jobs):
    platform.request(db, platform.ADD_DRAFT, "999999")
    jobs.run_once()
    jobs.run_once()
    done = platform.state(db)[platform.ADD_DRAFT]
    assert (done["errcode"], done["requested_at"]) == (85064, None)
    assert done["endpoint"] == "wxa.addtotemplate" and calls(db, "wxa.addtotemplate") == 1


def test_way_1_domains_are_registered_on_the_platform_when_they_change(db, jobs, sandbox_db):
    platform.save(db, **READY, webview_domains="h5.shop.example.com")
    assert platform.state(db)[platform.DOMAINS]["requested_at"] is not None
    jobs.run_once()
    done = platform.state(db)[platform.DOMAINS]
    assert done["requested_at"] is None and done["error"] is None
    assert done["result"]["server"]["published"] == ["api.shop.example.com"]
    assert done["result"]["jump"]["published"] == ["h5.shop.example.com"]
    assert done["result"]["confirm_file"]["file_name"]
    published = {(r["kind"], r["domain"]) for r in sandbox_db.query(
        "SELECT kind, domain FROM platform_domains WHERE published = 1")}  # fmt: skip
    assert published == {("server", "api.shop.example.com"), ("jump", "h5.shop.example.com")}
    assert not [p for p in platform.check(db) if "域名" in p]
    platform.save(db, **READY)  # the same domains: no new registration (50 changes a month)
    platform.save(db, domain_way="direct")  # Way 2 registers nothing on the platform
    jobs.run_once()
    assert calls(db, "cgi-bin.component.modify_wxa_server_domain") == 1
    assert calls(db, "cgi-bin.component.modify_wxa_jump_domain") == 1


def test_a_refused_domain_registration_is_shown_and_asked_again_only_by_the_admin(
    db, jobs, sandbox_db
):
    now = time.time()
    sandbox_db.conn.executemany(
        "INSERT INTO changes (appid, what, at) VALUES (NULL, 'platform_domain', ?)",
        [(now,)] * 50,
    )
    sandbox_db.conn.commit()
    platform.save(db, **READY)
    jobs.run_once()
    jobs.run_once()
    done = platform.state(db)[platform.DOMAINS]
    assert (done["errcode"], done["requested_at"]) == (45104, None)
    assert calls(db, "cgi-bin.component.modify_wxa_server_domain") == 1
    assert any("域名登记到第三方平台失败" in p and "45104" in p for p in platform.check(db))
    platform.request(db, platform.DOMAINS, by="admin")
    jobs.run_once()
    assert calls(db, "cgi-bin.component.modify_wxa_server_domain") == 2


def test_without_a_component_token_a_request_waits_and_spends_nothing(app, db, sandbox_http):
    client, tokens = connect_wechat(app.config, db, http=sandbox_http)  # no ticket pushed yet
    jobs = Scheduler(Context(db, client, tokens, app.config), (templates_sync,))
    platform.request(db, platform.TEMPLATES)
    jobs.run_once()
    waiting = platform.state(db)[platform.TEMPLATES]
    assert waiting["requested_at"] is not None and waiting["not_before"] > time.time()
    assert "等待平台的调用凭证" in waiting["error"] and jobs.errors == 0
    assert templates_sync.due(jobs.ctx, time.time()) == []  # not before its time


def test_unknown_permission_sets_are_learnt_from_the_authorizer_info(db, jobs, wechat_side):
    sub, _ = subs.submit(db, FLAVORS["classic"], facts("沙箱S0权限科技有限公司"))
    for _ in range(3):
        jobs.run_once()
        wechat_side()
    appid = subs.get(db, sub["id"])["appid"]
    stored = authorizers.get(db, appid)
    assert stored["func_info"] and json.loads(stored["func_info"])  # from api_query_auth
    # A recovery from the authorizer list does not say: what was known stays.
    authorizers.save(db, jobs.ctx.vault, sub["id"], appid, Authorization(appid, "t", 7200, "r", []))
    assert authorizers.get(db, appid)["func_info"] == stored["func_info"]
    db.execute("UPDATE authorizers SET func_info = NULL WHERE appid = ?", [appid])
    db.conn.commit()
    jobs.run_once()
    assert calls(db, "api_get_authorizer_info") == 0  # only when asked (the health page)
    platform.request(db, platform.PERMISSIONS, by="admin")
    jobs.run_once()
    assert json.loads(authorizers.get(db, appid)["func_info"]) == [17, 18, 19, 25, 30, 31]
    assert platform.state(db)[platform.PERMISSIONS]["result"]["learnt"] == {
        appid: [17, 18, 19, 25, 30, 31]
    }
    platform.request(db, platform.PERMISSIONS)
    jobs.run_once()  # known now: nothing to ask
    assert calls(db, "api_get_authorizer_info") == 1


def test_check_config_explains_the_go_live_setup(app, db):
    out = app.test_cli_runner().invoke(args=["check-config"]).output
    assert (
        "· go-live setup (admin console → 上线设置, /admin/golive): no template chosen yet" in out
    )
    assert "! go-live: 未选择代码模板" in out and "! go-live: 隐私保护指引缺少联系方式" in out
    platform.save(db, **READY, domain_way="direct", template_id=3, template_version="1.0.2")
    result = app.test_cli_runner().invoke(args=["check-config"])
    assert result.exit_code == 0 and "looks complete" in result.output
    assert (
        "template 3 (user_version 1.0.2); ext_json template valid JSON once filled" in result.output
    )
    assert "1 server and 0 web-view; Way 2" in result.output
    assert "contact phone" in result.output and "! go-live" not in result.output
