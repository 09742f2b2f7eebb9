"""The API's side of issue 12: /me/seen, Film.seen and spoiler_window_days, spoiler-free
titles with `spoiler_title` and `withheld`, and the moderators' spoiler endpoints."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from forum.extensions import db
from forum.models import Revision, Role
from tests.api.conftest import error_of

TWIST = "John lets Eve walk away from the Ruska Roma"


@pytest.fixture
def fan(make_user, bearer):
    user = make_user("eve_fan")
    return user, bearer(user)


def test_marking_films_seen_is_idempotent_and_listed(client, make_film, fan):
    make_film("ballerina", title="Ballerina", year=2025)
    make_film("heat", title="Heat", year=1995)
    _, headers = fan
    assert client.get("/api/v1/me/seen", headers=headers).get_json() == {"films": []}
    for _ in range(2):
        response = client.put("/api/v1/me/seen/ballerina", headers=headers)
        assert response.status_code == 204 and response.data == b""
    films = client.get("/api/v1/me/seen", headers=headers).get_json()["films"]
    assert [f["slug"] for f in films] == ["ballerina"]
    assert set(films[0]) == {"slug", "title", "year", "timeline_order", "html_url"}
    assert client.get("/api/v1/films/ballerina", headers=headers).get_json()["seen"] is True
    assert client.get("/api/v1/films/heat", headers=headers).get_json()["seen"] is False
    assert client.get("/api/v1/films/ballerina").get_json()["seen"] is False  # anonymous
    for _ in range(2):
        assert client.delete("/api/v1/me/seen/ballerina", headers=headers).status_code == 204
    assert client.get("/api/v1/me/seen", headers=headers).get_json() == {"films": []}


@pytest.mark.parametrize(
    "method, path, status, code",
    [
        ("GET", "/me/seen", 401, "unauthorized"),
        ("PUT", "/me/seen/ballerina", 401, "unauthorized"),
        ("DELETE", "/me/seen/ballerina", 401, "unauthorized"),
    ],
)
def test_seen_marks_need_a_signed_in_caller(client, make_film, method, path, status, code):
    make_film("ballerina")
    response = client.open(f"/api/v1{path}", method=method)
    assert response.status_code == status and error_of(response)["code"] == code


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_an_unknown_film_is_404(client, fan, method):
    response = client.open("/api/v1/me/seen/no-such-film", method=method, headers=fan[1])
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_the_film_list_says_seen_with_one_query_however_many_films(
    client, make_film, fan, count_queries
):
    _, headers = fan
    make_film("first")
    client.get("/api/v1/me", headers=headers)  # the token's first use is noted once
    with count_queries() as few:
        assert client.get("/api/v1/films", headers=headers).status_code == 200
    slugs = [make_film().slug for _ in range(12)]
    for slug in slugs[::2]:
        client.put(f"/api/v1/me/seen/{slug}", headers=headers)
    with count_queries() as many:
        films = client.get("/api/v1/films", headers=headers).get_json()["films"]
    assert len(many) == len(few), (few, many)
    assert {f["slug"] for f in films if f["seen"]} == set(slugs[::2])
    assert all(f["spoiler_window_days"] == 30 for f in films)


@pytest.mark.parametrize(
    "window, status, field",
    [(0, 201, None), (3650, 201, None), (None, 201, None), (-1, 422, "spoiler_window_days"),
     (3651, 422, "spoiler_window_days"), ("30", 400, "spoiler_window_days")],
)  # fmt: skip
def test_admins_give_a_film_its_spoiler_window(client, make_user, bearer, window, status, field):
    body = {"title": "Ballerina", "year": 2025, "release_date": "2025-06-06"}
    if window is not None:
        body["spoiler_window_days"] = window
    response = client.post("/api/v1/films", json=body, headers=bearer(make_user(role=Role.ADMIN)))
    assert response.status_code == status
    if status == 201:
        film = response.get_json()
        assert film["spoiler_window_days"] == (30 if window is None else window)
        assert film["seen"] is False
    else:
        assert field in error_of(response)["fields"]


def _start(client, headers, slug="ballerina", **body):
    return client.post(f"/api/v1/films/{slug}/threads", headers=headers,
                       json={"title": "What the finale says", "body": "She ||chooses||.",
                             "kind": "theory", **body})  # fmt: skip


@pytest.mark.parametrize(
    "days_ago, window, sent, flagged",
    [(3, 30, None, True), (3, 30, False, False), (40, 30, None, False), (40, 30, True, True),
     (40, 60, None, True)],
)  # fmt: skip
def test_a_thread_in_the_window_is_flagged_unless_its_author_says_false(
    client, make_film, fan, days_ago, window, sent, flagged
):
    make_film("ballerina", release_date=date.today() - timedelta(days=days_ago),
              spoiler_window_days=window)  # fmt: skip
    body = {} if sent is None else {"spoiler": sent}
    response = _start(client, fan[1], **body)
    assert response.status_code == 201 and response.get_json()["spoiler"] is flagged


def test_spoiler_title_and_withheld_follow_the_spoiler_rule(
    client, make_film, make_user, fan, bearer
):
    make_film("ballerina")
    author = bearer(make_user("author"))
    created = _start(client, author, spoiler=True, spoiler_title=TWIST).get_json()
    assert created["spoiler_title"] == TWIST and created["withheld"] is False  # the author's
    url = f"/api/v1/threads/{created['id']}"
    anonymous = client.get(url).get_json()
    assert anonymous["withheld"] is True and anonymous["title"] == "What the finale says"
    assert anonymous["spoiler_title"] is None and anonymous["body"] is None
    assert anonymous["body_html"] is None and anonymous["spoiler"] is True
    not_seen = client.get(url, headers=fan[1]).get_json()
    assert not_seen["withheld"] is True and not_seen["spoiler_title"] is None
    revealed = client.get(f"{url}?reveal=spoilers").get_json()
    assert revealed["withheld"] is False and revealed["spoiler_title"] == TWIST
    assert revealed["body"] == "She ||chooses||."
    client.put("/api/v1/me/seen/ballerina", headers=fan[1])
    seen = client.get(url, headers=fan[1]).get_json()
    assert seen["withheld"] is False and seen["spoiler_title"] == TWIST
    board = client.get("/api/v1/films/ballerina/threads").get_json()["threads"]
    assert board[0]["spoiler_title"] is None and board[0]["withheld"] is True
    board = client.get("/api/v1/films/ballerina/threads", headers=fan[1]).get_json()["threads"]
    assert board[0]["spoiler_title"] == TWIST
    response = client.get(f"{url}?reveal=everything")
    assert response.status_code == 422 and "reveal" in error_of(response)["fields"]


def test_a_thread_without_the_flag_is_never_withheld_but_its_inline_spoilers_are(
    client, make_film, fan
):
    make_film("ballerina")
    thread = _start(client, fan[1], spoiler=False).get_json()
    assert thread["body"] == "She ||chooses||."  # the author's own writing, in full
    anonymous = client.get(f"/api/v1/threads/{thread['id']}").get_json()
    assert anonymous["withheld"] is False and anonymous["body"] is None
    assert "Spoiler withheld" in anonymous["body_html"] and "chooses" not in str(anonymous)
    revealed = client.get(f"/api/v1/threads/{thread['id']}?reveal=spoilers").get_json()
    assert revealed["body"] == "She ||chooses||." and "chooses" in revealed["body_html"]


@pytest.mark.parametrize(
    "body, status, field",
    [({"spoiler": False, "spoiler_title": TWIST}, 422, "spoiler_title"),
     ({"spoiler": True, "spoiler_title": "ab"}, 422, "spoiler_title"),
     ({"spoiler": True, "spoiler_title": "x" * 201}, 422, "spoiler_title"),
     ({"spoiler": True, "spoiler_title": 7}, 400, "spoiler_title"),
     ({"spoiler": "yes"}, 400, "spoiler")],
)  # fmt: skip
def test_bad_spoiler_fields_are_refused(client, make_film, fan, body, status, field):
    make_film("ballerina")
    response = _start(client, fan[1], **body)
    assert response.status_code == status and field in error_of(response)["fields"]


def test_the_author_edits_the_spoiler_title_and_the_old_one_is_kept(app, client, make_film, fan):
    make_film("ballerina")
    thread = _start(client, fan[1], spoiler=True, spoiler_title=TWIST).get_json()
    url = f"/api/v1/threads/{thread['id']}"
    edited = client.patch(url, json={"spoiler_title": "Eve is free"}, headers=fan[1])
    assert edited.status_code == 200 and edited.get_json()["spoiler_title"] == "Eve is free"
    assert edited.get_json()["title"] == "What the finale says"
    with app.app_context():
        assert db.session.scalar(db.select(Revision.spoiler_title)) == TWIST
    cleared = client.patch(url, json={"spoiler_title": ""}, headers=fan[1]).get_json()
    assert cleared["spoiler_title"] is None


def test_moderators_flag_and_unflag_a_thread(client, make_thread, make_user, bearer):
    thread = make_thread()
    headers = bearer(make_user(role=Role.MODERATOR))
    url = f"/api/v1/threads/{thread.id}/spoiler"
    flagged = client.post(url, json={"spoiler": True, "reason": "Ballerina's ending"},
                          headers=headers)  # fmt: skip
    assert flagged.status_code == 200 and flagged.get_json()["spoiler"] is True
    assert flagged.get_json()["withheld"] is True  # the moderator hasn't seen the film
    assert flagged.get_json()["title"] == thread.title
    again = client.post(url, json={"spoiler": True}, headers=headers)
    assert again.status_code == 409 and error_of(again)["code"] == "conflict"
    assert client.post(url, json={"spoiler": False}, headers=headers).get_json()["spoiler"] is False
    log = client.get("/api/v1/modlog").get_json()["actions"]
    assert [(a["action"], a["target_type"], a["target_id"], a["reason"]) for a in log] == [
        ("unflag_spoiler", "thread", thread.id, None),
        ("flag_spoiler", "thread", thread.id, "Ballerina's ending"),
    ]
    missing = client.post(url, json={}, headers=headers)
    assert missing.status_code == 422 and "spoiler" in error_of(missing)["fields"]
    assert client.post(url, json={"spoiler": "no"}, headers=headers).status_code == 400


def test_moderators_wrap_a_passage_of_a_thread_or_a_reply(
    client, make_thread, make_reply, make_user, bearer
):
    thread = make_thread(body="Rooney is Winston's granddaughter.")
    post = make_reply(thread, body="So Rooney is Winston's granddaughter!")
    headers = bearer(make_user(role=Role.MODERATOR))
    passage = {"passage": "Winston's granddaughter", "reason": "Ballerina's ending"}
    wrapped = client.post(f"/api/v1/threads/{thread.id}/wrap-spoiler", json=passage,
                          headers=headers).get_json()  # fmt: skip
    assert wrapped["body"] is None  # the moderator has not seen the film: withheld now
    shown = client.get(f"/api/v1/threads/{thread.id}?reveal=spoilers").get_json()
    assert shown["body"] == "Rooney is ||Winston's granddaughter||."
    assert wrapped["edited_at"] is not None
    reply = client.post(f"/api/v1/posts/{post.id}/wrap-spoiler", json=passage, headers=headers)
    assert reply.status_code == 200  # the moderator has not seen the film: withheld now
    assert reply.get_json()["body"] is None and reply.get_json()["withheld"] is True
    assert "granddaughter" not in reply.text
    revisions = client.get(f"/api/v1/posts/{post.id}/revisions?reveal=spoilers").get_json()
    assert [r["body"] for r in revisions["revisions"]] == ["So Rooney is Winston's granddaughter!"]
    revisions = client.get(f"/api/v1/posts/{post.id}/revisions").get_json()["revisions"]
    assert [r["body"] for r in revisions] == [None]  # the text was wrapped: so is its past
    log = client.get("/api/v1/modlog").get_json()
    assert [a["action"] for a in log["actions"]] == ["wrap_spoiler", "wrap_spoiler"]
    assert "granddaughter" not in str(log)


@pytest.mark.parametrize(
    "body, status, field",
    [({"passage": "Eve loses"}, 422, "passage"), ({}, 422, "passage"),
     ({"passage": ""}, 422, "passage"), ({"passage": 3}, 400, "passage"),
     ({"passage": "x" * 2001}, 422, "passage"), ({"passage": "wins", "reason": "r" * 501}, 422,
                                                  "reason")],
)  # fmt: skip
def test_wrapping_refuses_what_it_cannot_do(
    client, make_thread, make_user, bearer, body, status, field
):
    thread = make_thread(body="Eve wins.")
    response = client.post(f"/api/v1/threads/{thread.id}/wrap-spoiler", json=body,
                           headers=bearer(make_user(role=Role.MODERATOR)))  # fmt: skip
    assert response.status_code == status and field in error_of(response)["fields"]
    assert client.get("/api/v1/modlog").get_json()["actions"] == []


def test_moderation_on_missing_items_is_404(client, make_user, bearer):
    headers = bearer(make_user(role=Role.MODERATOR))
    for path, body in (("/threads/999/spoiler", {"spoiler": True}),
                       ("/threads/999/wrap-spoiler", {"passage": "x"}),
                       ("/posts/999/wrap-spoiler", {"passage": "x"})):  # fmt: skip
        response = client.post(f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code == 404 and error_of(response)["code"] == "not_found"
