"""Signed-out readers share cached pages that change as soon as what they show changes,
answer conditional requests with 304, and never carry one visitor's cookie or token to
another. Signed-in readers are never served from the cache. Both stores: this process's
memory, and Redis (TEST_REDIS_URL)."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from flask import Flask, before_render_template
from flask.testing import FlaskClient
from sqlalchemy import update

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.models import Role, Thread, User
from forum.services import tokens
from tests.conftest import counting_statements

pytestmark = pytest.mark.xdist_group("redis")  # shares the Redis db that others empty

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PUBLIC = "public, max-age=10, stale-while-revalidate=30"


def _cached_app(app: Flask, redis_url: str | None, **settings) -> Flask:
    class Cached(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        PAGE_CACHE_ENABLED = True
        REDIS_URL = redis_url
        PAGE_CACHE_KEY_PREFIX = f"test-{uuid.uuid4().hex}:"

    for name, value in settings.items():
        setattr(Cached, name, value)
    return create_app(Cached)


@pytest.fixture(params=["memory", "redis"])
def cached(request, app: Flask) -> Iterator[Flask]:
    """The forum with its page cache on, in memory or in Redis, on the tests' database."""
    cached = _cached_app(app, REDIS_URL if request.param == "redis" else None)
    yield cached
    with cached.app_context():
        if request.param == "redis":
            cached.extensions["page_cache"].clear()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def scene(make_film, make_user, make_thread, make_reply) -> SimpleNamespace:
    """A board, a thread on it, a reply by another member and an answer under it (so a
    removed reply keeps its place as a tombstone)."""
    film, author, member = make_film(), make_user(), make_user()
    thread = make_thread(author=author, film=film, title="The ballet shoes")
    older = make_reply(thread, author=member, body="An older reply.")
    make_reply(thread, author=author, body="An answer to it.", parent=older)
    return SimpleNamespace(film=film, author=author, member=member, thread=thread)


@pytest.fixture
def reader(cached: Flask) -> FlaskClient:
    """A signed-out reader."""
    return cached.test_client()


def _signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    with client.session_transaction() as session:
        with app.app_context():
            session["_user_id"] = db.session.get(User, user.id).get_id()
        session["_fresh"] = True
    return client


def _warm(app: Flask, client: FlaskClient, url: str) -> str:
    """Read a page until it comes from the cache (a page is stored on the second render at
    the latest); the cached text."""
    for _ in range(3):
        with counting_statements(app) as statements:
            response = client.get(url)
        assert response.status_code == 200
        if not statements:
            return response.text
    raise AssertionError(f"{url} was never served from the cache")


# --- what signed-out readers get ------------------------------------------------------------


def test_a_cache_hit_runs_no_sql_and_says_public(cached, reader, scene):
    thread = scene.thread
    for url in (
        "/",
        "/all",
        f"/films/{scene.film.slug}",
        f"/threads/{thread.id}",
        f"/u/{scene.author.username}",
        "/modlog",
        f"/threads/{thread.id}/history",
    ):
        text = _warm(cached, reader, url)
        assert "The ballet shoes" in text or url == "/modlog"
        response = reader.get(url)
        assert response.headers["Cache-Control"] == PUBLIC
        assert "Cookie" in response.headers["Vary"]
        assert response.headers["ETag"] and response.headers["Last-Modified"]


def test_a_repeated_conditional_request_gets_304_without_a_body(cached, reader, make_thread):
    thread = make_thread()
    first = reader.get(f"/threads/{thread.id}")
    for headers in ({"If-None-Match": first.headers["ETag"]},
                    {"If-Modified-Since": first.headers["Last-Modified"]}):  # fmt: skip
        for _ in range(3):  # rendered, stored, then from the cache: 304 every time
            again = reader.get(f"/threads/{thread.id}", headers=headers)
            assert again.status_code == 304
            assert again.data == b""
    other = reader.get(f"/threads/{thread.id}", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and thread.title in other.text
    head = reader.head(f"/threads/{thread.id}")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == first.headers["ETag"]


def test_a_changed_page_answers_a_stale_etag_with_the_new_page(cached, reader, make_thread,
                                                               make_user):  # fmt: skip
    thread = make_thread()
    etag = reader.get(f"/threads/{thread.id}").headers["ETag"]
    member = _signed_in(cached, make_user())
    member.post(f"/threads/{thread.id}/replies", data={"body": "Rooney knew all along."})
    response = reader.get(f"/threads/{thread.id}", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Rooney knew all along." in response.text
    assert response.headers["ETag"] != etag


def test_the_query_string_is_part_of_the_key(cached, reader, make_thread, make_reply):
    thread = make_thread()
    make_reply(thread, body="first")
    make_reply(thread, body="second")
    best = _warm(cached, reader, f"/threads/{thread.id}?sort=best")
    new = _warm(cached, reader, f"/threads/{thread.id}?sort=new")
    assert '<strong aria-current="true">best</strong>' in best
    assert '<strong aria-current="true">new</strong>' in new


# --- every kind of write shows on the next read ---------------------------------------------


def _reply(app, scene, mod, member, admin):
    thread = scene.thread
    member.post(f"/threads/{thread.id}/replies", data={"body": "The shoes are the contract."})
    return "The shoes are the contract."


def _vote(app, scene, mod, member, admin):
    thread = scene.thread
    member.post(f"/threads/{thread.id}/vote", data={"value": "1"})
    return 'title="1 up, 0 down"'


def _vote_on_reply(app, scene, mod, member, admin):
    thread = scene.thread
    post_id = re.search(r'id="post-(\d+)"', mod.get(f"/threads/{thread.id}").text).group(1)
    mod.post(f"/posts/{post_id}/vote", data={"value": "-1"})
    return 'title="0 up, 1 down"'


def _edit_thread(app, scene, mod, member, admin):
    author = _signed_in(app, scene.author)
    author.post(f"/threads/{scene.thread.id}/edit",
                data={"title": "Rewritten after Chapter 4", "body": "New body"})  # fmt: skip
    return "Rewritten after Chapter 4"


def _lock(app, scene, mod, member, admin):
    thread = scene.thread
    mod.post(f"/threads/{thread.id}/lock", data={"reason": "settled by the sequel"})
    return "settled by the sequel"


def _confirm_theory(app, scene, mod, member, admin):
    mod.post(f"/threads/{scene.thread.id}/status",
             data={"status": "confirmed", "note": "Chapter 4 shows it"})  # fmt: skip
    return ">1 confirmed</a>"


def _remove_reply(app, scene, mod, member, admin):
    thread = scene.thread
    post_id = re.search(r'id="post-(\d+)"', mod.get(f"/threads/{thread.id}").text).group(1)
    mod.post(f"/posts/{post_id}/remove", data={"reason": "spam"})
    return "[removed by moderator]"


def _ban_author(app, scene, mod, member, admin):
    mod.post(f"/u/{scene.author.username}/ban", data={"reason": "ruined Ballerina"})
    return "Reason: ruined Ballerina"


def _film_edit(app, scene, mod, member, admin):
    slug, year = scene.film.slug, scene.film.year
    admin.post(f"/admin/films/{slug}/edit",
               data={"title": "From the World of John Wick: Ballerina", "slug": slug,
                     "year": year, "universe": ""})  # fmt: skip
    return "From the World of John Wick: Ballerina"


def _new_thread(app, scene, mod, member, admin):
    member.post(f"/films/{scene.film.slug}/threads/new",
                data={"title": "Mirrors mean a second self", "body": "Look at the glass.",
                      "kind": "symbolism"})  # fmt: skip
    return "Mirrors mean a second self"


WRITES = {  # what changes: the pages that must show it
    _reply: ["thread", "author-replies"],
    _vote: ["thread", "board", "home", "all", "profile"],
    _vote_on_reply: ["thread"],
    _edit_thread: ["thread", "board", "home", "all", "profile"],
    _lock: ["thread", "modlog"],
    _confirm_theory: ["profile"],
    _remove_reply: ["thread"],
    _ban_author: ["profile"],
    _film_edit: ["thread", "board", "home"],
    _new_thread: ["board", "home", "all"],
}


def _urls(scene: SimpleNamespace) -> dict[str, str]:
    return {
        "thread": f"/threads/{scene.thread.id}",
        "board": f"/films/{scene.film.slug}",
        "home": "/",
        "all": "/all",
        "profile": f"/u/{scene.author.username}",
        "author-replies": f"/u/{scene.member.username}?tab=replies",
        "modlog": "/modlog",
    }


@pytest.mark.parametrize("write", list(WRITES), ids=[w.__name__[1:] for w in WRITES])
def test_every_kind_of_write_shows_on_the_next_signed_out_read(
    cached, reader, write, scene, make_user
):
    mod, admin = make_user(role=Role.MODERATOR), make_user(role=Role.ADMIN)
    clients = [_signed_in(cached, user) for user in (mod, scene.member, admin)]
    urls = _urls(scene)
    pages = {name: _warm(cached, reader, urls[name]) for name in WRITES[write]}
    shown = write(cached, scene, *clients)
    for name, before in pages.items():
        assert shown not in before, name
        assert shown in reader.get(urls[name]).text, f"{write.__name__} not on {name}"


def test_karma_shown_beside_a_name_changes_with_a_vote_elsewhere(
    cached, reader, make_thread, make_user
):
    """A page shows its authors' karma: a vote on their writing in another thread counts."""
    author = make_user()
    here, elsewhere = make_thread(author=author), make_thread(author=author)
    before = _warm(cached, reader, f"/threads/{here.id}")
    assert "(0<span" in before
    _signed_in(cached, make_user()).post(f"/threads/{elsewhere.id}/vote", data={"value": "1"})
    assert "(1<span" in reader.get(f"/threads/{here.id}").text


def test_a_write_during_a_render_is_not_hidden_by_the_cache(cached, reader, scene):
    """The page is stored with the versions read before it was rendered: a change committed
    (by another process) while the page was being rendered makes the next read render anew."""
    thread = scene.thread
    _warm(cached, reader, f"/threads/{thread.id}")

    def change_meanwhile(sender, template, context, **extra) -> None:
        with cached.app_context(), db.engine.begin() as conn:
            conn.execute(update(Thread).where(Thread.id == thread.id)
                         .values(title="After the change"))  # fmt: skip
        cached.extensions["page_cache"].bump([f"t:{thread.id}"])

    # Another change makes the cached page stale; the re-render races with a third.
    _signed_in(cached, scene.author).post(f"/threads/{thread.id}/edit",
                                           data={"title": "Edited", "body": "b"})  # fmt: skip
    with before_render_template.connected_to(change_meanwhile, cached):
        assert "Edited" in reader.get(f"/threads/{thread.id}").text
    assert "After the change" in reader.get(f"/threads/{thread.id}").text


# --- nothing personal is shared -------------------------------------------------------------


def test_a_signed_in_reader_is_never_served_a_cached_page(cached, reader, scene, make_user):
    thread = scene.thread
    _warm(cached, reader, f"/threads/{thread.id}")
    fan = make_user()
    member = _signed_in(cached, fan)
    for _ in range(3):
        with counting_statements(cached) as statements:
            response = member.get(f"/threads/{thread.id}")
        assert statements, "a signed-in page was served from the cache"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "ETag" not in response.headers
        assert f">{fan.username}</a>" in response.text
        assert 'name="csrf-token"' in response.text
    assert fan.username not in reader.get(f"/threads/{thread.id}").text


def test_signed_out_pages_set_no_cookie_and_carry_no_token(app, scene):
    cached = _cached_app(app, None, WTF_CSRF_ENABLED=True)
    thread = scene.thread
    make_reader = cached.test_client
    for url in ("/", f"/threads/{thread.id}", f"/films/{scene.film.slug}",
                f"/u/{scene.author.username}"):  # fmt: skip
        first, second = make_reader(), make_reader()
        one, two = first.get(url), second.get(url)
        assert "Set-Cookie" not in one.headers and "Set-Cookie" not in two.headers
        assert "csrf" not in one.text.lower()
        assert one.data == two.data
    # A visitor who opened the log-in form has a session and a token of their own: the shared
    # pages they read carry neither, and their cookie stays as it was.
    visitor = make_reader()
    login_page = visitor.get("/login")
    assert "Set-Cookie" in login_page.headers
    assert login_page.headers["Cache-Control"] == "private, no-store"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page.text)[1]
    page = visitor.get(f"/threads/{thread.id}")
    assert token not in page.text and "Set-Cookie" not in page.headers
    assert page.headers["Cache-Control"] == PUBLIC


def test_a_flash_message_is_shown_to_its_visitor_only(app, make_thread):
    cached = _cached_app(app, None)
    thread = make_thread()
    stranger = cached.test_client()
    _warm(cached, stranger, "/")
    visitor = cached.test_client()
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "You are logged out, on every device.")]
    mine = visitor.get("/")
    assert "You are logged out" in mine.text
    assert mine.headers["Cache-Control"] == "private, no-store"
    assert "You are logged out" not in stranger.get("/").text
    assert thread.title in stranger.get("/").text


def test_anonymous_arrows_lead_to_log_in_without_a_token(app, make_thread, make_user):
    """With CSRF on: a signed-out arrow (no token) is sent to log in, a signed-in vote
    without the page's token is refused, with it the vote counts."""
    cached = _cached_app(app, None, WTF_CSRF_ENABLED=True)
    thread = make_thread()
    response = cached.test_client().post(f"/threads/{thread.id}/vote", data={"value": "1"})
    assert response.status_code == 302 and "/login" in response.location
    scripted = cached.test_client().post(f"/threads/{thread.id}/vote", data={"value": "1"},
                                         headers={"Accept": "application/json"})  # fmt: skip
    assert scripted.status_code == 401 and "/login" in scripted.json["login_url"]
    voter = _signed_in(cached, make_user())
    refused = voter.post(f"/threads/{thread.id}/vote", data={"value": "1"})
    assert refused.status_code == 400
    assert "Your form expired" in refused.text
    page = voter.get(f"/threads/{thread.id}").text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)[1]
    counted = voter.post(f"/threads/{thread.id}/vote", data={"value": "1", "csrf_token": token})
    assert counted.status_code == 302
    with cached.app_context():
        assert db.session.get(Thread, thread.id).score == 1


# --- when the store fails -------------------------------------------------------------------


def test_pages_are_served_when_redis_does_not_answer(app, make_thread, make_user):
    cached = _cached_app(app, "redis://127.0.0.1:1/0")
    thread = make_thread(title="Still readable")
    reader = cached.test_client()
    assert "Still readable" in reader.get(f"/threads/{thread.id}").text
    _signed_in(cached, make_user()).post(f"/threads/{thread.id}/replies",
                                         data={"body": "Heard without Redis."})  # fmt: skip
    assert "Heard without Redis." in reader.get(f"/threads/{thread.id}").text


# --- the JSON API, read without a token -----------------------------------------------------


def test_api_reads_without_a_token_are_cached_and_conditional(cached, reader, scene):
    thread, film = scene.thread, scene.film
    urls = (
        "/api/v1/films",
        "/api/v1/universes",
        f"/api/v1/films/{film.slug}",
        f"/api/v1/films/{film.slug}/threads",
        f"/api/v1/threads/{thread.id}",
        f"/api/v1/threads/{thread.id}/posts",
    )
    for url in urls:
        _warm(cached, reader, url)
        response = reader.get(url)
        assert response.mimetype == "application/json" and response.get_json() is not None
        assert response.headers["Cache-Control"] == PUBLIC and response.headers["ETag"]
        again = reader.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and not again.data


def test_a_new_reply_shows_in_the_cached_api_at_once(cached, reader, scene, make_user):
    member = _signed_in(cached, make_user())
    url = f"/api/v1/threads/{scene.thread.id}/posts"
    _warm(cached, reader, url)
    member.post(f"/threads/{scene.thread.id}/replies", data={"body": "Heard through the API."})
    assert "Heard through the API." in reader.get(url).text
    board = f"/api/v1/films/{scene.film.slug}/threads"
    assert _json(_warm(cached, reader, board))["threads"][0]["reply_count"] == 3
    member.post(f"/threads/{scene.thread.id}/replies", data={"body": "And one more."})
    assert reader.get(board).get_json()["threads"][0]["reply_count"] == 4


def _json(text: str):
    return json.loads(text)


def test_token_holders_get_their_own_api_answers(cached, reader, scene, make_user):
    url = f"/api/v1/threads/{scene.thread.id}"
    _warm(cached, reader, url)
    fan = make_user()
    with cached.app_context():
        secret = tokens.issue_token(db.session.get(User, fan.id))
    for _ in range(2):
        with counting_statements(cached) as statements:
            response = reader.get(url, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200 and statements
        assert response.headers["Cache-Control"] == "private, no-store"
