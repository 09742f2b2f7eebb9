"""Edits count against the thread and reply limits; search is limited per user and, signed
out, per address: the site and the API count together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Post, Thread, User, utcnow
from forum.services import tokens


@pytest.fixture
def web(limited_app: Flask) -> FlaskClient:
    return limited_app.test_client()


@pytest.fixture
def sign_in(web: FlaskClient) -> Callable[[User], None]:
    def do(user: User) -> None:
        with web.session_transaction() as session:
            session["_user_id"] = f"{user.id}:{user.session_version}"
            session["_fresh"] = True

    return do


@pytest.fixture
def established(app: Flask, make_user) -> User:
    """A member whose account is older than a day (the ordinary limits)."""
    user = make_user()
    with app.app_context():
        db.session.get(User, user.id).created_at = utcnow() - timedelta(days=3)
        db.session.commit()
    return user


def _bearer(app: Flask, user: User) -> dict:
    with app.app_context():
        secret = tokens.issue_token(db.session.get(User, user.id))
    return {"Authorization": f"Bearer {secret}"}


def test_thread_edits_count_with_threads_started(
    web, sign_in, established, make_film, make_thread, app
):
    film = make_film()
    thread = make_thread(author=established, film=film)
    sign_in(established)
    data = {"title": "An edited theory", "body": "Edited once."}
    assert web.post(f"/threads/{thread.id}/edit", data=data).status_code == 302
    response = web.post(f"/threads/{thread.id}/edit", data={**data, "body": "Edited twice."})
    assert response.status_code == 429 and 1 <= int(response.headers["Retry-After"]) <= 15
    with app.app_context():
        assert db.session.get(Thread, thread.id).body == "Edited once."
    started = web.post(f"/films/{film.slug}/threads/new",
                       data={"title": "Another one", "kind": "theory", "body": "x"})  # fmt: skip
    assert started.status_code == 429  # the same counter as starting threads


def test_reply_edits_count_with_replies_on_the_site_and_the_api(
    web, sign_in, established, make_thread, make_reply, app
):
    post = make_reply(make_thread(), author=established, body="First words.")
    response = web.patch(f"/api/v1/posts/{post.id}", json={"body": "Edited through the API."},
                         headers=_bearer(app, established))  # fmt: skip
    assert response.status_code == 200
    sign_in(established)
    response = web.post(f"/posts/{post.id}/edit", data={"body": "Edited on the site."})
    assert response.status_code == 429
    with app.app_context():
        assert db.session.get(Post, post.id).body == "Edited through the API."


def test_refused_edits_do_not_count(web, sign_in, established, make_thread, make_reply):
    post = make_reply(make_thread(), author=established)
    sign_in(established)
    for _ in range(3):
        assert web.post(f"/posts/{post.id}/edit", data={"body": ""}).status_code == 422
    assert web.post(f"/posts/{post.id}/edit", data={"body": "Now right."}).status_code == 302


def test_signed_out_search_is_limited_per_address(web, limited_app):
    limited_app.config["RATELIMIT_SEARCH"] = "3 per minute"
    here = {"environ_base": {"REMOTE_ADDR": "10.7.0.1"}}
    for _ in range(2):
        assert web.get("/search?q=rooney", **here).status_code == 200
    assert web.get("/api/v1/search?q=rooney", **here).status_code == 200
    response = web.get("/search?q=rooney", **here)
    assert response.status_code == 429 and "Slow down" in response.get_data(as_text=True)
    api = web.get("/api/v1/search?q=rooney", **here)
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "rate_limited"
    assert web.get("/search?q=rooney", environ_base={"REMOTE_ADDR": "10.7.0.2"}).status_code == 200


def test_members_are_limited_as_themselves_whatever_their_address(
    web, sign_in, established, make_user, limited_app, app
):
    limited_app.config["RATELIMIT_SEARCH"] = "2 per minute"
    headers = _bearer(app, established)
    for n in range(2):
        response = web.get("/api/v1/search?q=mirrors", headers=headers,
                           environ_base={"REMOTE_ADDR": f"10.8.0.{n}"})  # fmt: skip
        assert response.status_code == 200
    sign_in(established)
    assert web.get("/search?q=mirrors", environ_base={"REMOTE_ADDR": "10.8.0.9"}).status_code == 429
    other = web.get("/api/v1/search?q=mirrors", headers=_bearer(app, make_user()))
    assert other.status_code == 200
