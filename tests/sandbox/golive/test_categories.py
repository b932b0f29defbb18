"""Categories (SETUP §2): the tree, adding, sensitive ones going to audit with a push, and
the limits."""

import pytest

from tests.sandbox.golive.helpers import add_category, elapse

GET = "/cgi-bin/wxopen/getcategory"


def nodes(answer):
    return {node["id"]: node for node in answer["categories_list"]["categories"]}


def test_the_tree_has_two_levels_under_root_0(mp):
    tree = nodes(mp.get("/cgi-bin/wxopen/getallcategories"))
    firsts = tree[0]["children"]
    assert len(firsts) >= 15 and all(tree[f]["level"] == 1 for f in firsts)
    seconds = [i for i, n in tree.items() if n["level"] == 2]
    assert len(seconds) >= 60
    assert all(tree[s]["father"] in firsts for s in seconds)
    food = tree[601]
    assert (food["name"], food["sensitive_type"]) == ("餐饮服务场所/餐饮服务管理企业", 1)
    assert food["qualify"]["exter_list"][0]["inner_list"][0]["name"] == "食品经营许可证"
    assert 1006 not in tree  # 工具-企业管理 retired


def test_getcategoriesbytype_depends_on_the_subject(mp):
    enterprise = nodes(mp.post("/cgi-bin/wxopen/getcategoriesbytype", {"verify_type": 1}))
    government = nodes(mp.post("/cgi-bin/wxopen/getcategoriesbytype", {"verify_type": 2}))
    assert 401 not in enterprise and 401 in government  # 政务服务
    assert 1901 not in enterprise  # overseas categories
    assert mp.post("/cgi-bin/wxopen/getcategoriesbytype", {"verify_type": 9})["errcode"] == 40097


def test_an_ordinary_category_is_approved_at_once(mp):
    assert add_category(mp, 8, 801)["errcode"] == 0
    answer = mp.get(GET)
    [row] = answer["categories"]
    assert (row["first_name"], row["second_name"], row["audit_status"]) == (
        "生活服务",
        "家政服务",
        3,
    )
    assert (answer["limit"], answer["quota"], answer["category_limit"]) == (5, 4, 5)
    [listed] = mp.get("/wxa/get_category")["category_list"]
    assert listed == {
        "first_class": "生活服务",
        "second_class": "家政服务",
        "third_class": "",
        "first_id": 8,
        "second_id": 801,
        "third_id": 0,
    }


@pytest.mark.parametrize(
    "body, errcode",
    [
        ({"categories": {"first": 8, "second": 801}}, 53303),  # an object, not an array
        ({"categories": []}, 53303),
        ({"categories": [{"first": 7, "second": 801}]}, 53303),  # second under another first
        ({"categories": [{"first": 10, "second": 1006}]}, 53303),  # retired
        ({"categories": [{"first": 4, "second": 401}]}, 53302),  # government only
        ({"categories": [{"first": 19, "second": 1901}]}, 53302),  # overseas, though listed
        ({"categories": [{"first": 8, "second": 801}, {"first": 8, "second": 801}]}, 53304),
        ({"categories": [{"first": 6, "second": 601}]}, 53311),  # no qualification
    ],
)
def test_addcategory_refusals(mp, body, errcode):
    assert mp.post("/cgi-bin/wxopen/addcategory", body)["errcode"] == errcode


def test_a_category_set_twice_is_a_duplicate(mp):
    assert add_category(mp)["errcode"] == 0
    assert add_category(mp)["errcode"] == 53304


def test_qualifications_must_name_the_document_and_be_own_media(mp, other):
    wrong_key = [{"key": "营业执照", "value": mp.media()}]
    assert add_category(mp, 6, 601, certicates=wrong_key)["errcode"] == 53311
    foreign = [{"key": "食品经营许可证", "value": other.media()}]
    assert add_category(mp, 6, 601, certicates=foreign)["errcode"] == 40007
    # 药店 needs a document of each of its two groups.
    one_group = [{"key": "药品经营许可证", "value": mp.media()}]
    assert add_category(mp, 3, 303, certicates=one_group)["errcode"] == 53311


def test_a_sensitive_category_goes_to_audit_and_passes_with_a_push(mp, sandbox_db, pushes):
    certificates = [{"key": "食品经营许可证", "value": mp.media()}]
    assert add_category(mp, 6, 601, certicates=certificates)["errcode"] == 0
    assert mp.get(GET)["categories"][0]["audit_status"] == 1
    assert mp.get("/wxa/get_category")["category_list"] == []  # not approved yet
    assert pushes() == []
    elapse(sandbox_db)
    assert mp.get(GET)["categories"][0]["audit_status"] == 3
    [(url, _params, _body)] = pushes()
    assert url.endswith(mp.appid)


@pytest.mark.parametrize("where", ["key", "filename"])
def test_magic_c2_rejects_the_category(mp, sandbox_db, where):
    key = "食品经营许可证" + ("C2" if where == "key" else "")
    media = mp.media("licence C2.jpg" if where == "filename" else "licence.jpg")
    assert add_category(mp, 6, 601, certicates=[{"key": key, "value": media}])["errcode"] == 0
    elapse(sandbox_db)
    row = mp.get(GET)["categories"][0]
    assert row["audit_status"] == 2 and row["audit_reason"]
    # Only a rejected category's qualifications can change, and it goes back to audit.
    fixed = {
        "first": 6,
        "second": 601,
        "certicates": [{"key": "食品经营许可证", "value": mp.media()}],
    }
    assert mp.post("/cgi-bin/wxopen/modifycategory", fixed)["errcode"] == 0
    assert mp.get(GET)["categories"][0]["audit_status"] == 1
    assert mp.post("/cgi-bin/wxopen/modifycategory", fixed)["errcode"] == 53307


def test_delete_rules(mp):
    certificates = [{"key": "食品经营许可证", "value": mp.media()}]
    assert add_category(mp, 6, 601, certicates=certificates)["errcode"] == 0
    under_audit = {"first": 6, "second": 601}
    assert mp.post("/cgi-bin/wxopen/deletecategory", under_audit)["errcode"] == 53308
    assert (
        mp.post("/cgi-bin/wxopen/deletecategory", {"first": 8, "second": 801})["errcode"] == 53303
    )
    assert add_category(mp)["errcode"] == 0
    assert mp.post("/cgi-bin/wxopen/deletecategory", {"first": 8, "second": 801})["errcode"] == 0
    assert (
        mp.post("/cgi-bin/wxopen/modifycategory", {"first": 8, "second": 801})["errcode"] == 53303
    )


def test_the_category_limits(mp, sandbox_db):
    for second in (801, 802, 803, 804, 806):
        assert add_category(mp, 8, second)["errcode"] == 0
    assert add_category(mp, 8, 807)["errcode"] == 53300  # 5 adds this month
    sandbox_db.execute("DELETE FROM changes WHERE what = 'category'")
    sandbox_db.conn.commit()
    assert add_category(mp, 8, 807)["errcode"] == 53301  # 5 categories at most
