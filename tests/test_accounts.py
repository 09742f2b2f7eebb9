"""Sign up, log in, log out, change password, profiles, and the users commands."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Role, User
from forum.services import accounts
from tests.conftest import PASSWORD, log_in_as


def signup(client, username="eve_fan", email="eve@example.com", password=PASSWORD):
    return client.post("/signup", data={"username": username, "email": email, "password": password})


def test_signing_up_logs_the_fan_in_with_a_hashed_password(client, app):
    response = signup(client)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "eve_fan" in page and "Log out" in page
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="eve_fan"))
        assert user.password_hash != PASSWORD and PASSWORD not in user.password_hash
        assert user.role == Role.MEMBER


@pytest.mark.parametrize(
    ("username", "email", "password", "message"),
    [
        ("ab", "a@example.com", PASSWORD, "3–30 characters"),
        ("has space", "a@example.com", PASSWORD, "letters, digits, _ and - only"),
        ("x" * 31, "a@example.com", PASSWORD, "3–30 characters"),
        ("eve_fan", "not-an-email", PASSWORD, "must have an @-sign"),
        ("eve_fan", "a@example.com", "short", "Use at least 10 characters."),
        ("eve_fan", "a@example.com", "password123", "common password"),
        ("eve_fan", "a@example.com", "1234567890", "common password"),
        ("eve_fan", "a@example.com", "eve_fan1234", "Pick a less common password"),
        ("", "", "", "3–30 characters"),
    ],
)
def test_sign_up_explains_bad_input_next_to_the_field(client, username, email, password, message):
    response = signup(client, username, email, password)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'class="error"' in page


def test_usernames_are_unique_whatever_their_case(client, make_user):
    make_user("eve_fan", email="eve@example.com")
    response = signup(client, "EVE_FAN", "other@example.com")
    assert response.status_code == 422
    assert "That username is taken." in response.get_data(as_text=True)


def test_sign_up_names_every_problem_at_once_and_keeps_all_but_the_password(client, make_user):
    make_user("eve_fan", email="eve@example.com")
    response = signup(client, "EVE_FAN", "EVE@example.com", "password123")
    assert response.status_code == 422
    page = response.text
    for message in ("That username is taken.", "Pick a less common password."):
        assert message in page
    assert "already has an account" not in page  # an address in use is never revealed
    assert 'value="EVE_FAN"' in page and 'value="EVE@example.com"' in page
    assert "password123" not in page


def test_sign_up_keeps_where_the_fan_was_going(client, make_film):
    film = make_film(slug="heat")
    target = f"/films/{film.slug}/threads/new"
    login_page = client.get("/login", query_string={"next": target}).text
    assert f'href="/signup?next={target}"' in login_page
    response = client.post("/signup", data={"username": "neil", "email": "neil@example.com",
                                            "password": PASSWORD, "next": target})  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"] == target


def test_sign_up_never_follows_a_next_to_another_site(client):
    data = {"username": "neil", "email": "neil@example.com", "password": PASSWORD,
            "next": "//evil.example"}  # fmt: skip
    response = client.post("/signup", data=data)
    assert response.headers["Location"] == "/"


def test_log_in_with_remember_me_sets_a_remember_cookie(client, make_user):
    make_user("eve_fan")
    response = client.post(
        "/login", data={"username": "EVE_FAN", "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is not None
    assert "Log out" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("username", ["eve_fan", "nobody_here", "bad name!"])
def test_a_failed_log_in_says_the_same_whether_or_not_the_user_exists(client, make_user, username):
    make_user("eve_fan")
    response = client.post("/login", data={"username": username, "password": "wrong-password!"})
    assert response.status_code == 422
    assert "That username and password don&#39;t match an account." in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/films/ballerina", "/films/ballerina"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_log_in_follows_next_only_to_paths_on_this_site(client, make_user, next_url, lands_on):
    make_user("eve_fan")
    response = client.post(
        "/login", data={"username": "eve_fan", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on


def test_log_out_is_a_post_and_ends_the_session(client, make_user, login):
    login(make_user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_changing_password_needs_the_current_one_and_ends_other_sessions(
    app, client, make_user, login
):
    user = make_user("eve_fan")
    other_device = app.test_client()
    log_in_as(other_device, app, user)
    login(user)
    wrong = client.post("/account/password", data={"current": "not-it-at-all", "new": "x" * 12})
    assert wrong.status_code == 422 and "Your current password is not right." in wrong.text
    weak = client.post("/account/password", data={"current": PASSWORD, "new": "password123"})
    assert weak.status_code == 422 and "common password" in weak.text
    done = client.post("/account/password", data={"current": PASSWORD, "new": "ruska-roma-forever"})
    assert done.status_code == 302
    assert "Log out" in client.get("/").text  # this session carries on
    assert "Log in" in other_device.get("/").text  # the other one is logged out
    with app.app_context():
        assert accounts.authenticate("eve_fan", "ruska-roma-forever") is not None
        assert accounts.authenticate("eve_fan", PASSWORD) is None


@pytest.mark.parametrize("url", ["/account/password", "/films/x/threads/new", "/admin/"])
def test_pages_for_members_send_anonymous_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_profile_lists_the_users_threads_and_replies(client, make_user, make_thread, make_reply):
    eve = make_user("eve_fan")
    thread = make_thread(author=eve, title="Mirrors break when Eve learns the truth")
    make_reply(thread, author=eve, body="And the *shoes* too.")
    page = client.get("/u/EVE_FAN")
    assert page.status_code == 200
    assert "Mirrors break when Eve learns the truth" in page.text
    replies = client.get("/u/eve_fan?tab=replies")
    assert "<em>shoes</em>" in replies.text


def test_profile_of_a_missing_user_is_a_404_page_like_the_site(client):
    response = client.get("/u/nobody")
    assert response.status_code == 404
    assert "Not found" in response.text and "Subtext" in response.text


def test_users_create_and_set_role_commands(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "winston", "--email", "w@example.com", "--password-stdin"],
        input="continental-manager\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created winston (member)." in result.output
    result = runner.invoke(args=["users", "set-role", "winston", "admin"])
    assert result.exit_code == 0 and "winston is now admin." in result.output
    with app.app_context():
        assert accounts.find_user("winston").role == Role.ADMIN


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "create", "w", "--email", "w@example.com", "--password-stdin"],
         "continental-manager\n", "3–30 characters"),
        (["users", "create", "winston", "--email", "nope", "--password-stdin"],
         "continental-manager\n", "must have an @-sign"),
        (["users", "set-role", "ghost", "admin"], None, "No user called ghost."),
        (["users", "set-role", "winston", "emperor"], None, "Invalid value"),
    ],
)  # fmt: skip
def test_users_commands_explain_bad_input(app, args, stdin, message):
    result = app.test_cli_runner().invoke(args=args, input=stdin)
    assert result.exit_code != 0
    assert message in result.output
