"""The platform's template library (SETUP §5), C-token."""

from tests.sandbox.golive.helpers import template_id

DRAFTS = "/wxa/gettemplatedraftlist"


def test_the_draft_list_starts_with_the_demo_template(mp):
    answer = mp.component(DRAFTS, verb="GET")
    drafts = {d["draft_id"]: d for d in answer["draft_list"]}
    assert set(drafts) == {1, 2}
    assert drafts[2]["source_miniprogram"] == "沙箱开发小程序"
    assert set(drafts[2]) == {
        "create_time",
        "user_version",
        "user_desc",
        "draft_id",
        "source_miniprogram_appid",
        "source_miniprogram",
        "developer",
    }


def test_a_draft_becomes_a_template(mp):
    template = template_id(mp)
    [row] = mp.component("/wxa/gettemplatelist", verb="GET")["template_list"]
    assert row["template_id"] == template and row["draft_id"] == 2 and row["template_type"] == 0
    assert mp.component("/wxa/gettemplatelist", verb="GET", template_type=1)["template_list"] == []


def test_unknown_drafts_and_templates_get_85064(mp):
    assert mp.component("/wxa/addtotemplate", {"draft_id": 99})["errcode"] == 85064
    assert mp.component("/wxa/deletetemplate", {"template_id": 99})["errcode"] == 85064
    template = template_id(mp)
    assert mp.component("/wxa/deletetemplate", {"template_id": template})["errcode"] == 0
    assert mp.component("/wxa/gettemplatelist", verb="GET")["template_list"] == []


def test_a_new_upload_replaces_its_mini_programs_draft(mp, sandbox_http):
    sandbox_http.post("/sandbox/miniprograms/drafts", data={"user_version": "1.1.0"})
    drafts = mp.component(DRAFTS, verb="GET")["draft_list"]
    assert [d["draft_id"] for d in drafts] == [1, 3]
    assert drafts[1]["user_version"] == "1.1.0"
    assert mp.component("/wxa/addtotemplate", {"draft_id": 2})["errcode"] == 85064


def test_the_template_type_is_0_or_1(mp):
    assert (
        mp.component("/wxa/addtotemplate", {"draft_id": 2, "template_type": 5})["errcode"] == 40097
    )


def test_the_library_holds_200_templates(mp, sandbox_db):
    for _ in range(199):
        sandbox_db.execute(
            "INSERT INTO code_templates SELECT NULL, draft_id, 0, create_time, user_version, "
            "user_desc, source_miniprogram_appid, source_miniprogram, developer, pages, "
            "privacy_keys, location_apis FROM drafts WHERE draft_id = 1"
        )
    sandbox_db.conn.commit()
    assert mp.component("/wxa/addtotemplate", {"draft_id": 2})["errcode"] == 0
    assert mp.component("/wxa/addtotemplate", {"draft_id": 2})["errcode"] == 85065


def test_gettemplatelist_filters_by_a_known_type(mp):
    assert mp.component("/wxa/gettemplatelist", verb="GET", template_type=7)["errcode"] == 40097
