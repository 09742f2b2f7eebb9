"""Moderation through the API: the same services as the moderators' buttons, one
ModAction per action, nothing destroyed."""

from __future__ import annotations

import pytest

from forum.models import Role
from tests.api.conftest import error_of


@pytest.fixture
def mod(make_user, bearer):
    return bearer(make_user("mod", role=Role.MODERATOR))


def _log(client) -> list[tuple]:
    actions = client.get("/api/v1/modlog").get_json()["actions"]
    return [(a["action"], a["target_type"], a["target_id"], a["reason"]) for a in actions]


def test_lock_pin_and_their_undos_are_logged_newest_first(client, make_thread, mod):
    thread = make_thread()
    path = f"/api/v1/threads/{thread.id}"
    locked = client.post(f"{path}/lock", json={"reason": "Too heated"}, headers=mod).get_json()
    assert locked["locked"] is True and locked["id"] == thread.id
    again = client.post(f"{path}/lock", headers=mod)
    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    assert client.post(f"{path}/pin", headers=mod).get_json()["pinned"] is True
    assert client.post(f"{path}/unpin", json={}, headers=mod).get_json()["pinned"] is False
    assert client.post(f"{path}/unlock", headers=mod).get_json()["locked"] is False
    assert _log(client) == [
        ("unlock", "thread", thread.id, None), ("unpin", "thread", thread.id, None),
        ("pin", "thread", thread.id, None), ("lock", "thread", thread.id, "Too heated"),
    ]  # fmt: skip
    entry = client.get("/api/v1/modlog").get_json()["actions"][0]
    assert entry["moderator"] == "mod" and entry["created_at"].endswith("Z")


def test_remove_and_restore_a_thread_exactly(client, make_thread, make_user, mod, bearer):
    thread = make_thread(title="Rooney is the Director")
    member = bearer(make_user())
    path = f"/api/v1/threads/{thread.id}"
    before = client.get(path).get_json()
    removed = client.post(f"{path}/remove", json={"reason": "Leaked footage"}, headers=mod)
    assert removed.status_code == 200 and removed.get_json()["removed"] is True
    assert client.get(path, headers=member).status_code == 404
    assert client.get(path, headers=mod).get_json()["body"] == before["body"]
    restored = client.post(f"{path}/restore", headers=mod).get_json()
    assert {k: v for k, v in restored.items() if k != "my_vote"} == {
        k: v for k, v in before.items() if k != "my_vote"
    }
    assert client.get(path, headers=member).status_code == 200


@pytest.mark.parametrize(
    "body, status, field",
    [({}, 422, "reason"), ({"reason": "   "}, 422, "reason"), ({"reason": 5}, 400, "reason"),
     ({"reason": "x" * 501}, 422, "reason")],
)  # fmt: skip
def test_a_removal_needs_a_reason(client, make_thread, mod, body, status, field):
    thread = make_thread()
    response = client.post(f"/api/v1/threads/{thread.id}/remove", json=body, headers=mod)
    assert response.status_code == status and field in error_of(response)["fields"]


def test_theory_status(client, make_thread, mod):
    theory, question = make_thread(), make_thread(kind="question")
    response = client.post(f"/api/v1/threads/{theory.id}/status", headers=mod,
                           json={"status": "confirmed", "note": "Chapter 4 shows it"})  # fmt: skip
    assert response.get_json()["status"] == "confirmed"
    assert _log(client)[0] == ("set_status", "thread", theory.id, "confirmed: Chapter 4 shows it")
    for thread, body in ((question, {"status": "confirmed"}), (theory, {"status": "maybe"}),
                         (theory, {})):  # fmt: skip
        response = client.post(f"/api/v1/threads/{thread.id}/status", json=body, headers=mod)
        assert response.status_code == 422 and "status" in error_of(response)["fields"]


def test_remove_and_restore_a_reply_keeps_its_place(client, make_thread, make_reply, mod):
    thread = make_thread()
    parent = make_reply(thread, body="Rude")
    child = make_reply(thread, parent=parent, body="Still makes sense")
    path = f"/api/v1/posts/{parent.id}"
    removed = client.post(f"{path}/remove", json={"reason": "Insults"}, headers=mod).get_json()
    assert removed["removed"] is True and removed["body"] == "Rude"  # moderators still read it
    tree = client.get(f"/api/v1/threads/{thread.id}/posts").get_json()["posts"]
    assert [(p["id"], p["body"]) for p in tree] == [(parent.id, None), (child.id, child.body)]
    assert client.post(f"{path}/restore", headers=mod).get_json()["body"] == "Rude"


def test_ban_and_unban(client, make_user, make_film, mod, bearer):
    fan, film = make_user("fan"), make_film()
    fan_auth = bearer(fan)
    terms = {"reason": "Spoilers in titles", "until": "2999-01-01T00:00:00Z"}
    response = client.post("/api/v1/users/fan/ban", json=terms, headers=mod)
    assert response.status_code == 200 and response.get_json()["username"] == "fan"
    thread = {"title": "Another", "body": "Spoiler!", "kind": "theory"}
    denied = client.post(f"/api/v1/films/{film.slug}/threads", json=thread, headers=fan_auth)
    assert denied.status_code == 403 and "banned" in error_of(denied)["message"]
    assert client.get("/api/v1/films", headers=fan_auth).status_code == 200  # still reads
    assert client.post("/api/v1/users/fan/unban", headers=mod).status_code == 200
    assert client.post(f"/api/v1/films/{film.slug}/threads", json=thread,
                       headers=fan_auth).status_code == 201  # fmt: skip
    assert client.post("/api/v1/users/fan/unban", headers=mod).status_code == 409
    assert [a[0] for a in _log(client)] == ["unban", "ban"]


@pytest.mark.parametrize(
    "until",
    ["2001-01-01T00:00:00Z", "tomorrow", "2999-01-01", "2999-13-01T00:00:00Z",
     "2999-01-01T00:00:00", "2999-01-01T00:00:00Z\n", "２９９９-01-01T00:00:00Z"],
)  # fmt: skip
def test_a_ban_ends_at_a_real_future_time(client, make_user, mod, until):
    make_user("fan")
    response = client.post("/api/v1/users/fan/ban", json={"reason": "x", "until": until},
                           headers=mod)  # fmt: skip
    assert response.status_code == 422 and "until" in error_of(response)["fields"]


def test_nobody_bans_an_admin_and_unknown_users_are_404(client, make_user, mod):
    make_user("boss", role=Role.ADMIN)
    assert (
        client.post("/api/v1/users/boss/ban", json={"reason": "x"}, headers=mod).status_code == 403
    )
    assert client.post("/api/v1/users/nobody/ban", json={"reason": "x"},
                       headers=mod).status_code == 404  # fmt: skip


def _report(client, headers: dict, target_type: str, target_id: int, reason: str):
    body = {"target_type": target_type, "target_id": target_id, "reason": reason}
    return client.post("/api/v1/reports", json=body, headers=headers)


def test_reports_queue_resolve_and_dismiss(client, make_thread, make_reply, make_user, mod,
                                           bearer):  # fmt: skip
    thread = make_thread()
    post = make_reply(thread)
    fan = bearer(make_user("fan"))
    made = _report(client, fan, "post", post.id, "Rude")
    assert made.status_code == 201
    report = made.get_json()["report"]
    assert (report["reporter"], report["status"], report["target_id"]) == ("fan", "open", post.id)
    twice = _report(client, fan, "post", post.id, "Rude")
    assert twice.status_code == 409
    _report(client, fan, "thread", thread.id, "Off topic")
    queue = client.get("/api/v1/reports?limit=1", headers=mod).get_json()
    assert [r["id"] for r in queue["reports"]] == [report["id"]] and queue["next_cursor"]
    assert client.get("/api/v1/reports", headers=fan).status_code == 403
    resolved = client.post(f"/api/v1/reports/{report['id']}/resolve", headers=mod).get_json()
    assert resolved["status"] == "resolved"
    assert client.post(f"/api/v1/reports/{report['id']}/dismiss", headers=mod).status_code == 409
    rest = client.get("/api/v1/reports", headers=mod).get_json()["reports"]
    assert [r["target_type"] for r in rest] == ["thread"]
    assert _log(client)[0][0] == "resolve_report"


@pytest.mark.parametrize(
    "body, status",
    [
        ({"target_type": "post", "target_id": 999999, "reason": "x"}, 404),
        ({"target_type": "thread", "target_id": 10**12, "reason": "x"}, 404),
        ({"target_type": "user", "target_id": 1, "reason": "x"}, 422),
        ({"target_type": "thread", "target_id": "1", "reason": "x"}, 400),
        ({"target_type": "thread", "reason": "x"}, 422),
        ({"target_type": "thread", "target_id": "THREAD", "reason": "  "}, 422),
    ],
)
def test_report_failures(client, make_thread, make_user, bearer, body, status):
    if body.get("target_id") == "THREAD":
        body = {**body, "target_id": make_thread().id}
    response = client.post("/api/v1/reports", json=body, headers=bearer(make_user()))
    assert response.status_code == status
    error_of(response)


def test_modlog_pages_by_cursor(client, make_thread, mod):
    threads = [make_thread() for _ in range(3)]
    for thread in threads:
        client.post(f"/api/v1/threads/{thread.id}/pin", headers=mod)
    first = client.get("/api/v1/modlog?limit=2").get_json()
    second = client.get(f"/api/v1/modlog?limit=2&cursor={first['next_cursor']}").get_json()
    ids = [a["target_id"] for a in first["actions"] + second["actions"]]
    assert ids == [t.id for t in reversed(threads)] and second["next_cursor"] is None
    assert client.get("/api/v1/modlog?cursor=forged").status_code == 400


@pytest.mark.parametrize(
    "path",
    ["/reports/2147483648/resolve", "/reports/99999999999999/dismiss",
     "/threads/2147483648/lock", "/posts/2147483648/remove"],
)  # fmt: skip
def test_ids_past_the_id_column_are_404_for_moderators_too(client, mod, path):
    response = client.post(f"/api/v1{path}", json={"reason": "x"}, headers=mod)
    assert response.status_code == 404
