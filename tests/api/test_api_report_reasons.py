"""POST /reports: a reason picked from the list (`category`), the note (`reason`) optional
except for "other"; clients that send only `reason` keep working."""

from __future__ import annotations

from tests.api.conftest import error_of


def _report(client, headers, thread, **body):
    return client.post(
        "/api/v1/reports", headers=headers,
        json={"target_type": "thread", "target_id": thread.id, **body},
    )  # fmt: skip


def test_the_api_takes_a_category_and_still_takes_a_reason_alone(
    client, make_user, make_thread, bearer
):
    fan = bearer(make_user())
    one, two, three = make_thread(), make_thread(), make_thread()
    old = _report(client, fan, one, reason="spoiler")
    assert old.status_code == 201
    assert old.get_json()["report"]["category"] == "other"
    new = _report(client, fan, two, category="off_topic")
    assert new.status_code == 201
    report = new.get_json()["report"]
    assert (report["category"], report["reason"], report["target_id"]) == ("off_topic", "", two.id)
    bad = _report(client, fan, three, category="rude")
    assert bad.status_code == 422 and "category" in error_of(bad)["fields"]
    bare = _report(client, fan, three)
    assert bare.status_code == 422 and "reason" in error_of(bare)["fields"]
