"""What the sandbox answers about a task once it has ended, exactly as WeChat does.

classic: ``action=search`` knows only running tasks, so a task that succeeded (or
ended any other way) answers 89250. v2: ``action=query`` keeps answering by taskid,
with the task's final status (12 created, 2 expired, 3 refused) and never an appid.
"""

import pytest

from portal.sandbox import pusher
from portal.sandbox.state import one
from tests.registration.facts import facts
from tests.sandbox.test_sandbox_api import create

V2 = "/wxa/component/fastregisterenterpriseweapp"
QUERY_KEYS = {"errcode", "errmsg", "taskid", "authorize_url", "status"}


def search_facts(name):
    body = facts(name)
    return {k: body[k] for k in ("name", "legal_persona_wechat", "legal_persona_name")}


def v2(http, token, action, body):
    return http.post(
        V2, params={"action": action, "component_access_token": token},
        json={**body, "new_version": True},
    ).json()  # fmt: skip


def v2_task(http, token, name):
    answer = v2(http, token, "create", {"name": name, "code": facts(name)["code"],
                                        "component_phone": "020-12345678"})  # fmt: skip
    assert answer["errcode"] == 0 and answer["status"] == 1
    return answer


def task(sandbox_db, name):
    return one(sandbox_db, "SELECT state, status, appid FROM tasks WHERE name = ?", [name])


@pytest.mark.parametrize("how", ["magic", "simulator"])
def test_classic_search_for_a_task_that_succeeded_answers_no_task(
    sandbox_http, sandbox_db, sandbox_app, token, how
):
    name = "沙箱S0搜索科技有限公司" if how == "magic" else "沙箱搜索成功科技有限公司"
    assert create(sandbox_http, token, facts(name))["errcode"] == 0
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    if how == "simulator":
        assert create(sandbox_http, token, search_facts(name), "search")["errcode"] == 89251
        task_id = sandbox_db.execute("SELECT id FROM tasks WHERE name = ?", [name]).fetchone()[0]
        sandbox_http.post(f"/sandbox/legal-person/{task_id}", data={"choice": "approve"})
    ended = task(sandbox_db, name)
    assert (ended["state"], ended["status"]) == ("done", 0) and ended["appid"]
    answer = create(sandbox_http, token, search_facts(name), "search")
    assert answer["errcode"] == 89250 and answer["errmsg"] == "task not found"


def test_v2_query_for_a_task_that_succeeded_answers_12_without_an_appid(
    sandbox_http, sandbox_db, sandbox_app, token
):
    name = "沙箱新版成功有限公司"
    created = v2_task(sandbox_http, token, name)
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    sandbox_http.post(f"/sandbox/verify/{created['taskid']}", data={"choice": "approve"})
    assert task(sandbox_db, name)["appid"]
    answer = v2(sandbox_http, token, "query", {"taskid": created["taskid"]})
    assert set(answer) == QUERY_KEYS  # no appid: that comes only in the result push
    assert (answer["errcode"], answer["status"]) == (0, 12)
    assert (answer["taskid"], answer["authorize_url"]) == (
        created["taskid"],
        created["authorize_url"],
    )


def test_v2_query_for_a_magic_success_answers_12_too(sandbox_http, sandbox_db, sandbox_app, token):
    created = v2_task(sandbox_http, token, "沙箱S0新版有限公司")
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    answer = v2(sandbox_http, token, "query", {"taskid": created["taskid"]})
    assert set(answer) == QUERY_KEYS and answer["status"] == 12


@pytest.mark.parametrize("how", ["window", "verify_page"])
def test_v2_query_for_an_expired_task_answers_2(sandbox_http, sandbox_db, sandbox_app, token, how):
    name = f"沙箱新版过期{how}有限公司"
    created = v2_task(sandbox_http, token, name)
    if how == "window":
        sandbox_app.config["SANDBOX_LEGAL_PERSON_WINDOW"] = 0
        pusher.advance_tasks(sandbox_db, sandbox_app.config)  # the company check passes
        pusher.advance_tasks(sandbox_db, sandbox_app.config)  # 24 hours (here: none) pass
    else:
        pusher.advance_tasks(sandbox_db, sandbox_app.config)
        sandbox_http.post(f"/sandbox/verify/{created['taskid']}", data={"choice": "expire"})
    assert task(sandbox_db, name)["status"] == 2
    answer = v2(sandbox_http, token, "query", {"taskid": created["taskid"]})
    assert set(answer) == QUERY_KEYS and (answer["errcode"], answer["status"]) == (0, 2)


def test_v2_query_for_a_refused_task_answers_3(sandbox_http, sandbox_db, sandbox_app, token):
    name = "沙箱新版拒绝有限公司"
    created = v2_task(sandbox_http, token, name)
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    running = v2(sandbox_http, token, "query", {"taskid": created["taskid"]})
    assert running["status"] == 1  # waiting for the legal person
    sandbox_http.post(f"/sandbox/verify/{created['taskid']}", data={"choice": "refuse"})
    assert task(sandbox_db, name) == {"state": "done", "status": 3, "appid": None}
    answer = v2(sandbox_http, token, "query", {"taskid": created["taskid"]})
    assert set(answer) == QUERY_KEYS and (answer["errcode"], answer["status"]) == (0, 3)


def test_an_ended_v2_task_lets_the_company_start_again(
    sandbox_http, sandbox_db, sandbox_app, token
):
    name = "沙箱新版再来有限公司"
    created = v2_task(sandbox_http, token, name)
    pusher.advance_tasks(sandbox_db, sandbox_app.config)
    sandbox_http.post(f"/sandbox/verify/{created['taskid']}", data={"choice": "refuse"})
    again = v2_task(sandbox_http, token, name)
    assert again["taskid"] != created["taskid"]
