"""The sandbox's category rules the portal's picker relies on (SETUP §2, §9): every
change (add, modify, delete) counts against the monthly limit (53300); what
getcategoriesbytype lists for an enterprise can be added, what it leaves out answers
53302 though getallcategories lists it; every qualification group needs a document."""

from portal.sandbox.miniprograms import catalog
from tests.sandbox.golive.helpers import add_category, elapse

GET = "/cgi-bin/wxopen/getcategory"
DELETE, MODIFY = "/cgi-bin/wxopen/deletecategory", "/cgi-bin/wxopen/modifycategory"


def nodes(answer) -> dict[int, dict]:
    return {n["id"]: n for n in answer["categories_list"]["categories"] if n["level"] == 2}


def test_deletes_count_against_the_monthly_change_limit(mp):
    for second in (801, 802, 803):
        assert add_category(mp, 8, second)["errcode"] == 0
    assert mp.post(DELETE, {"first": 8, "second": 801})["errcode"] == 0
    assert mp.post(DELETE, {"first": 8, "second": 802})["errcode"] == 0
    assert mp.get(GET)["quota"] == 0  # 3 adds and 2 deletes: 5 changes this month
    assert mp.post(DELETE, {"first": 8, "second": 803})["errcode"] == 53300
    assert add_category(mp, 8, 804)["errcode"] == 53300
    assert [c["second"] for c in mp.get(GET)["categories"]] == [803]  # nothing changed


def test_modifies_count_against_the_monthly_change_limit(mp, sandbox_db):
    for second in (801, 802, 803, 804):
        assert add_category(mp, 8, second)["errcode"] == 0
    key = [{"key": "食品经营许可证C2", "value": mp.media()}]  # C2: the audit rejects it
    assert add_category(mp, 6, 601, certicates=key)["errcode"] == 0  # the 5th change
    elapse(sandbox_db)
    assert mp.get(GET)["categories"][-1]["audit_status"] == 2
    fixed = {
        "first": 6,
        "second": 601,
        "certicates": [{"key": "食品经营许可证", "value": mp.media()}],
    }
    assert mp.post(MODIFY, fixed)["errcode"] == 53300
    sandbox_db.execute(
        "DELETE FROM changes WHERE id = (SELECT max(id) FROM changes WHERE what = 'category')"
    )  # a month's change given back
    sandbox_db.conn.commit()
    assert mp.post(MODIFY, fixed)["errcode"] == 0  # one change left: the modify takes it
    assert mp.get(GET)["quota"] == 0


def test_what_an_enterprise_may_add_is_what_getcategoriesbytype_lists(mp, sandbox_db):
    everything = nodes(mp.get("/cgi-bin/wxopen/getallcategories"))
    enterprise = nodes(mp.post("/cgi-bin/wxopen/getcategoriesbytype", {"verify_type": 1}))
    assert set(enterprise) < set(everything)
    for second in set(everything) - set(enterprise):  # government, organisations, overseas
        assert add_category(mp, everything[second]["father"], second)["errcode"] == 53302
    for second, node in enterprise.items():
        certicates = [
            {"key": group["inner_list"][-1]["name"], "value": mp.media()}
            for group in node["qualify"]["exter_list"]
        ]
        answer = add_category(mp, node["father"], second, certicates=certicates)
        assert answer["errcode"] == 0, (second, answer)
        sandbox_db.execute("DELETE FROM mp_categories")
        sandbox_db.execute("DELETE FROM changes")
        sandbox_db.conn.commit()


def test_a_retired_category_is_53303_for_every_subject(mp):
    retired = [row for row in catalog.SECOND if row[4] == "retired"]
    assert retired
    for second, first, *_ in retired:
        assert add_category(mp, first, second)["errcode"] == 53303
