"""The API's notifications, following, muting and preview (API.md; muting: README)."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Notification, Thread, User
from forum.services import following
from tests.api.conftest import error_of


def test_notifications_list_newest_first_with_the_unread_count(
    client, bearer, make_user, make_thread, make_reply
):
    author = make_user()
    thread = make_thread(author=author, title="The coin is a contract")
    first = make_reply(thread)
    second = make_reply(thread)
    body = client.get("/api/v1/notifications", headers=bearer(author)).get_json()
    assert body["unread_count"] == 2 and body["next_cursor"] is None
    assert [n["post_id"] for n in body["notifications"]] == [second.id, first.id]
    item = body["notifications"][0]
    assert item["kind"] == "reply" and item["title"] == "The coin is a contract"
    assert item["thread_id"] == thread.id and item["read"] is False
    assert item["created_at"].endswith("Z")


def test_notifications_page_by_cursor_and_filter_unread(
    app, client, bearer, make_user, make_thread, make_reply
):
    author = make_user()
    thread = make_thread(author=author)
    for _ in range(3):
        make_reply(thread)
    headers = bearer(author)
    page = client.get("/api/v1/notifications?limit=2", headers=headers).get_json()
    assert len(page["notifications"]) == 2 and page["next_cursor"]
    rest = client.get(
        f"/api/v1/notifications?limit=2&cursor={page['next_cursor']}", headers=headers
    ).get_json()
    assert len(rest["notifications"]) == 1 and rest["next_cursor"] is None
    one = page["notifications"][0]["id"]
    assert client.post("/api/v1/notifications/read", json={"ids": [float(one)]},
                       headers=headers).status_code == 204  # fmt: skip  # 3.0 is an integer
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).get_json()
    assert one not in [n["id"] for n in unread["notifications"]] and unread["unread_count"] == 2
    assert client.post("/api/v1/notifications/read", headers=headers).status_code == 204
    assert client.get("/api/v1/notifications", headers=headers).get_json()["unread_count"] == 0


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"ids": "1"}, 400),
        ({"ids": [True]}, 400),
        ({"ids": [1.5]}, 400),
        ({"ids": list(range(1, 102))}, 422),
        ({"ids": [0]}, 422),
    ],  # fmt: skip
)
def test_mark_read_refuses_bad_ids(client, bearer, make_user, payload, status):
    response = client.post("/api/v1/notifications/read", json=payload, headers=bearer(make_user()))
    assert response.status_code == status
    error_of(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/notifications"),
        ("POST", "/api/v1/notifications/read"),
        ("GET", "/api/v1/me/following"),
        ("PUT", "/api/v1/tags/mirrors/follow"),
        ("POST", "/api/v1/preview"),
        ("GET", "/api/v1/me/mutes"),
    ],  # fmt: skip
)
def test_anonymous_callers_are_told_to_authenticate(client, method, path):
    response = client.open(path, method=method, json={"body": "x"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_follow_and_unfollow_threads_films_and_tags_idempotently(
    client, bearer, make_user, make_film, make_thread
):
    fan = make_user()
    make_film(slug="ballerina")
    thread = make_thread()
    headers = bearer(fan)
    for _ in range(2):
        assert client.put(f"/api/v1/threads/{thread.id}/follow", headers=headers).status_code == 204
        assert client.put("/api/v1/films/ballerina/follow", headers=headers).status_code == 204
        assert client.put("/api/v1/tags/Ruska Roma/follow", headers=headers).status_code == 204
    body = client.get("/api/v1/me/following", headers=headers).get_json()
    assert [t["id"] for t in body["threads"]] == [thread.id]
    assert [f["slug"] for f in body["films"]] == ["ballerina"]
    assert body["tags"] == ["ruska-roma"]
    for path in (f"/api/v1/threads/{thread.id}/follow", "/api/v1/films/ballerina/follow",
                 "/api/v1/tags/ruska_roma/follow"):  # fmt: skip
        assert client.delete(path, headers=headers).status_code == 204
    assert client.get("/api/v1/me/following", headers=headers).get_json() == {
        "threads": [], "films": [], "tags": []
    }  # fmt: skip


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/threads/999999/follow", 404),
        ("/api/v1/films/no-such-film/follow", 404),
        ("/api/v1/tags/%C2%A7%C2%A7/follow", 404),
    ],  # fmt: skip
)
def test_following_what_does_not_exist_is_refused(client, bearer, make_user, path, status):
    response = client.put(path, headers=bearer(make_user()))
    assert response.status_code == status
    error_of(response)


def test_mute_and_unmute_through_the_api(app, client, bearer, make_user, make_film):
    fan, pest = make_user(), make_user("pesky")
    make_film(slug="chapter-4")
    headers = bearer(fan)
    assert client.put("/api/v1/users/pesky/mute", headers=headers).status_code == 204
    assert client.put("/api/v1/films/chapter-4/mute", headers=headers).status_code == 204
    assert client.put("/api/v1/tags/Mirrors/mute", headers=headers).status_code == 204
    body = client.get("/api/v1/me/mutes", headers=headers).get_json()
    assert [u["username"] for u in body["users"]] == ["pesky"]
    assert [f["slug"] for f in body["films"]] == ["chapter-4"] and body["tags"] == ["mirrors"]
    assert client.delete("/api/v1/users/pesky/mute", headers=headers).status_code == 204
    assert client.get("/api/v1/me/mutes", headers=headers).get_json()["users"] == []
    me = client.put(f"/api/v1/users/{fan.username}/mute", headers=headers)
    assert me.status_code == 403 and error_of(me)["code"] == "forbidden"
    assert pest.id


def test_preview_renders_as_posting_would_and_saves_nothing(app, client, bearer, make_user):
    make_user("winston")
    headers = bearer(make_user())
    response = client.post("/api/v1/preview", json={"body": "**bold** ||secret|| @winston"},
                           headers=headers)  # fmt: skip
    html = response.get_json()["body_html"]
    assert "<strong>bold</strong>" in html and "secret" in html and 'href="/u/winston"' in html
    with app.app_context():
        assert db.session.query(Notification).count() == 0
        assert db.session.query(Thread).count() == 0


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({}, 422),
        ({"body": ""}, 422),
        ({"body": "   "}, 422),
        ({"body": 5}, 400),
        ({"body": "x" * 40_001}, 422),
        ({"body": "> " * 30 + "deep"}, 422),
    ],  # fmt: skip
)
def test_preview_keeps_the_bounds_of_posting(client, bearer, make_user, payload, status):
    response = client.post("/api/v1/preview", json=payload, headers=bearer(make_user()))
    assert response.status_code == status
    error_of(response)


def test_preview_is_rate_limited(limited_app, bearer, make_user):
    client = limited_app.test_client()
    headers = bearer(make_user())
    answers = [client.post("/api/v1/preview", json={"body": "hi"}, headers=headers).status_code
               for _ in range(25)]  # fmt: skip
    assert 429 in answers
    assert answers[0] == 200


def test_a_removed_threads_notifications_are_not_listed(
    app, client, bearer, make_user, make_thread, make_reply
):
    from forum.models import Role
    from forum.services import moderation

    fan, mod = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread()
    with app.app_context():
        following.follow_thread(db.session.get(User, fan.id), db.session.get(Thread, thread.id))
    make_reply(thread)
    headers = bearer(fan)
    assert client.get("/api/v1/notifications", headers=headers).get_json()["unread_count"] == 1
    with app.app_context():
        moderation.remove_thread(db.session.get(User, mod.id), db.session.get(Thread, thread.id),
                                 "Spam")  # fmt: skip
    body = client.get("/api/v1/notifications", headers=headers).get_json()
    assert body == {"notifications": [], "unread_count": 0, "next_cursor": None}


def test_api_notification_never_carries_a_spoiler_title_or_a_withheld_note(
    app, client, bearer, make_user, make_film, make_thread, make_reply
):
    film, fan = make_film(), make_user()
    thread = make_thread(film=film, spoiler=True, title="Who is the Director",
                         spoiler_title="The Director is her mother")  # fmt: skip
    with app.app_context():
        following.follow_thread(db.session.get(User, fan.id), db.session.get(Thread, thread.id))
    make_reply(thread, body="the mother, obviously")
    text = client.get("/api/v1/notifications", headers=bearer(fan)).get_data(as_text=True)
    assert "Who is the Director" in text and "mother" not in text
