"""Account safety: changing e-mail or password re-asks the password, and nobody acts on
someone else's content by changing an id in a form or a URL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, Post, Role, Thread, User
from tests.conftest import PASSWORD

# --- e-mail and password changes ---------------------------------------------------------


def _email_of(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).email


def test_a_fan_changes_their_e_mail_with_their_password(app, client, make_user, login):
    user = make_user()
    login(user)
    page = client.get("/account/email").get_data(as_text=True)
    assert user.email in page
    response = client.post("/account/email", data={"email": "eve@ruska-roma.example",
                                                   "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302
    assert _email_of(app, user) == "eve@ruska-roma.example"


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("new@example.com", "not-my-password", "Not right."),
        ("new@example.com", "", "This field is required."),
        ("not-an-address", PASSWORD, "Invalid email address."),
        ("", PASSWORD, "This field is required."),
    ],
)
def test_e_mail_change_failures_are_shown_and_change_nothing(
    app, client, make_user, login, email, password, message
):
    make_user("taken")
    user = make_user()
    login(user)
    response = client.post("/account/email", data={"email": email, "password": password})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _email_of(app, user) == user.email


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("not-my-password", "blood-tied-ballet-shoes", "Not right."),
        (PASSWORD, "password123456", "Pick a less common password"),
        (PASSWORD, "short", "between 10 and 200"),
    ],
)
def test_password_change_failures_are_shown_and_keep_the_old_password(
    client, make_user, login, current, new, message
):
    user = make_user()
    login(user)
    response = client.post("/account/password", data={"current": current, "new": new})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    login(None)
    ok = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert ok.status_code == 302


@pytest.mark.parametrize("path", ["/account/email", "/account/password"])
def test_account_pages_need_a_log_in(client, path):
    assert client.get(path).status_code == 302
    assert client.post(path, data={"email": "x@example.com", "password": "x"}).status_code == 302


# --- ids in forms and URLs ---------------------------------------------------------------


@pytest.fixture
def stranger_content(make_user, make_thread, make_reply):
    """Eve's thread and reply, and Mallory, who is signed in and wants to change them."""
    eve = make_user("eve")
    thread = make_thread(author=eve, title="Eve's theory", body="Eve's text")
    post = make_reply(thread, author=eve, body="Eve's reply")
    return thread, post


def _unchanged(app, thread, post) -> None:
    with app.app_context():
        t, p = db.session.get(Thread, thread.id), db.session.get(Post, post.id)
        assert (t.title, t.body, t.deleted) == ("Eve's theory", "Eve's text", False)
        assert (p.body, p.deleted) == ("Eve's reply", False)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/threads/{thread}/edit", None),
        ("post", "/threads/{thread}/edit", {"title": "Mallory's now", "body": "Mine"}),
        ("post", "/threads/{thread}/delete", {}),
        ("get", "/posts/{post}/edit", None),
        ("post", "/posts/{post}/edit", {"body": "Mallory's now"}),
        ("post", "/posts/{post}/delete", {}),
    ],
)
def test_nobody_edits_or_deletes_another_fans_writing_by_its_id(
    app, client, login, make_user, stranger_content, method, path, data
):
    thread, post = stranger_content
    login(make_user("mallory"))
    url = path.format(thread=thread.id, post=post.id)
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 403
    _unchanged(app, thread, post)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/threads/999999/edit", None),
        ("post", "/threads/999999/delete", {}),
        ("post", "/threads/999999/replies", {"body": "hello"}),
        ("get", "/posts/999999/edit", None),
        ("post", "/posts/999999/delete", {}),
        ("get", "/threads/999999/replies/1", None),
    ],
)
def test_ids_that_do_not_exist_are_404(client, login, make_user, method, path, data):
    login(make_user())
    assert getattr(client, method)(path, data=data).status_code == 404


def _reply_count(app, thread_id: int) -> int:
    with app.app_context():
        return db.session.get(Thread, thread_id).reply_count


@pytest.mark.parametrize("parent", ["removed-thread", "999999", "abc", "-1", "1e3"])
def test_a_reply_cannot_hang_under_a_post_that_is_hidden_or_missing(
    app, client, login, make_user, make_thread, make_reply, parent
):
    hidden = make_thread()
    parents = {"removed-thread": str(make_reply(hidden).id)}
    with app.app_context():
        db.session.get(Thread, hidden.id).removed = True
        db.session.commit()
    login(make_user())
    path = f"/posts/{parents.get(parent, parent)}/replies"
    assert client.post(path, data={"body": "Sneaky"}).status_code == 404
    assert _reply_count(app, hidden.id) == 1


def test_a_stray_parent_id_never_moves_a_top_level_reply(
    app, client, login, make_user, make_thread, make_reply
):
    thread, other = make_thread(), make_thread()
    elsewhere = make_reply(other)
    login(make_user())
    data = {"body": "Top level", "parent_id": str(elsewhere.id)}
    assert client.post(f"/threads/{thread.id}/replies", data=data).status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post).filter_by(body="Top level"))
        assert (post.thread_id, post.parent_id) == (thread.id, None)
    assert _reply_count(app, other.id) == 1


def test_a_removed_thread_cannot_be_replied_to_by_its_id(
    app, client, login, make_user, make_thread
):
    thread = make_thread(removed=True)
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Still here?"})
    assert response.status_code == 404
    assert _reply_count(app, thread.id) == 0


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_only_admins_edit_films_by_their_slug(app, client, login, make_user, make_film, role):
    film = make_film(title="Ballerina")
    login(make_user(role=role))
    assert client.get(f"/admin/films/{film.slug}/edit").status_code == 403
    response = client.post(f"/admin/films/{film.slug}/edit", data={"title": "Hacked", "year": 2025})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Film, film.id).title == "Ballerina"
