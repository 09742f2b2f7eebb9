"""Odd input gets a clear answer, never a 500: NUL and broken text anywhere on the site,
ids in any digits, times at the ends of the calendar, votes in removed threads, methods a
route doesn't take."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModAction, Post, Role, Thread, User
from forum.services import moderation
from tests.api.conftest import bearer, error_of  # noqa: F401 - a fixture and a helper

ODD_TEXT = ["a\x00b", "\x00", "x\x07y", "\x1b[31m", "%00", "a%0Bb"]


@pytest.mark.parametrize("value", ODD_TEXT)
@pytest.mark.parametrize(
    "path", ["/films/{slug}?tag={v}", "/all?tag={v}", "/search?q={v}", "/?sort={v}",
             "/films/{slug}{v}", "/u/{v}"],
)  # fmt: skip
def test_broken_text_in_a_query_or_path_is_a_clear_400(client, make_film, path, value):
    film = make_film()
    response = client.get(path.format(slug=film.slug, v=value))
    assert response.status_code == 400
    assert "NUL, control characters or broken Unicode" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "x\x07y", "\x1b[31m", "\x0c"])
def test_broken_text_in_a_form_field_is_a_clear_400(client, login, make_user, make_thread,
                                                    value, app):  # fmt: skip
    thread = make_thread()
    login(make_user())
    for path, data in [
        (f"/threads/{thread.id}/report", {"reason": f"rude {value}"}),
        (f"/threads/{thread.id}/replies", {"body": f"hi {value}"}),
        (f"/threads/{thread.id}/replies", {"body": "hi", f"x{value}": "1"}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 400, path
    with app.app_context():
        assert db.session.scalars(select(Post)).all() == []


@pytest.mark.parametrize("value", ["%ED%A0%80", "%FF", "%C0%AF", "a%F4%90%80%80"])
def test_bytes_that_are_not_utf8_never_reach_a_500(client, make_film, value):
    """The server reads them as U+FFFD (and the guard refuses surrogates, should any
    decoding let one through)."""
    film = make_film()
    for path in (f"/films/{film.slug}?tag={value}", f"/search?q={value}", f"/u/{value}"):
        assert client.get(path).status_code < 500, path


def test_the_guard_refuses_lone_surrogates():
    from forum.services import inputs
    from forum.services.errors import BadRequest

    with pytest.raises(BadRequest):
        inputs.check_texts(["fine", "broken \ud800"])
    inputs.check_texts(["tab\tand\r\nbreaks", "émoji 🎬"])


def test_the_guard_answers_the_pages_scripts_in_json(client, make_thread):
    thread = make_thread()
    response = client.post(f"/threads/{thread.id}/vote", data={"value": "1\x00"},
                           headers={"Accept": "application/json"})  # fmt: skip
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


def test_tabs_and_line_breaks_are_ordinary_text(client, login, make_user, make_thread, app):
    thread = make_thread()
    login(make_user())
    body = "line one\r\n\tline two"
    assert client.post(f"/threads/{thread.id}/replies", data={"body": body}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Post.body)).one() == "line one\r\n\tline two"


@pytest.mark.parametrize("parent_id", ["²", "٣", "1.0", "-1", "0", "99999999999", "1e3", "x"])
def test_a_reply_to_an_odd_parent_id_is_not_found(client, login, make_user, parent_id):
    login(make_user())
    response = client.post(f"/posts/{parent_id}/replies", data={"body": "hi"})
    assert response.status_code == 404


def test_a_stray_parent_id_on_the_top_level_form_is_ignored(
    client, login, make_user, make_thread, make_reply, app
):
    thread = make_thread()
    make_reply(thread)
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "top", "parent_id": "²"})
    assert response.status_code == 302
    with app.app_context():
        reply = db.session.scalars(select(Post).where(Post.body == "top")).one()
        assert reply.parent_id is None


# --- times -------------------------------------------------------------------------------


@pytest.fixture
def mod_auth(make_user, bearer) -> dict:  # noqa: F811
    return bearer(make_user(role=Role.MODERATOR))


@pytest.mark.parametrize(
    "until", ["9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00",
              "3000-01-01T00:00:01Z"],
)  # fmt: skip
def test_a_ban_end_at_the_ends_of_the_calendar_is_a_clear_422(client, make_user, mod_auth, until):
    make_user("fan")
    response = client.post("/api/v1/users/fan/ban", json={"reason": "x", "until": until},
                           headers=mod_auth)  # fmt: skip
    assert response.status_code == 422
    assert "until" in error_of(response)["fields"]


def test_a_ban_end_with_an_offset_is_kept_and_logged_in_utc(client, make_user, mod_auth, app):
    make_user("fan")
    terms = {"reason": "Spoilers", "until": "2030-01-01T00:00:00+05:00"}
    response = client.post("/api/v1/users/fan/ban", headers=mod_auth, json=terms)
    assert response.status_code == 200
    with app.app_context():
        fan = db.session.scalars(select(User).where(User.username == "fan")).one()
        assert fan.banned_until.isoformat() == "2029-12-31T19:00:00+00:00"
        logged = db.session.scalars(select(ModAction.reason)).one()
        assert logged == "Spoilers (until 2029-12-31 19:00 UTC)"


def test_the_ban_form_refuses_a_far_end_beside_the_field(client, login, make_user):
    make_user("fan")
    login(make_user(role=Role.MODERATOR))
    response = client.post("/u/fan/ban", data={"reason": "x", "until": "9999-12-31T23:59"})
    assert response.status_code == 422
    assert "Please pick a ban end" in response.get_data(as_text=True)


# --- votes and methods -------------------------------------------------------------------


def test_moderators_cannot_vote_inside_a_removed_thread(client, login, make_user, make_thread,
                                                        make_reply, app):  # fmt: skip
    thread = make_thread()
    post = make_reply(thread)
    moderator = make_user(role=Role.MODERATOR)
    with app.app_context():
        moderation.remove_thread(db.session.get(User, moderator.id),
                                 db.session.get(Thread, thread.id), "Off topic")  # fmt: skip
    login(moderator)
    response = client.post(f"/posts/{post.id}/vote", data={"value": "1"},
                           headers={"Accept": "application/json"})  # fmt: skip
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Post, post.id).score == 0


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("GET", "/threads/1/vote", {"POST"}), ("DELETE", "/login", {"GET", "POST", "HEAD"}),
    ("PUT", "/search", {"GET", "HEAD"}),
])  # fmt: skip
def test_a_method_a_page_does_not_take_is_405_with_allow(client, method, path, allowed):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) - {"OPTIONS"} == allowed
    assert "Not allowed" in response.get_data(as_text=True)
