"""Registration, tokens, bearer and cookie authentication, CSRF for cookie calls."""

from __future__ import annotations

import hashlib

import pytest

from forum.extensions import db
from forum.models import ApiToken
from tests.api.conftest import error_of
from tests.conftest import PASSWORD


def test_register_then_log_in_for_a_token_then_use_and_revoke_it(client, app):
    response = client.post("/api/v1/users", json={"username": "Rooney", "password": PASSWORD,
                                                  "email": "rooney@example.com"})  # fmt: skip
    assert response.status_code == 201
    user = response.get_json()["user"]
    assert user["username"] == "Rooney" and user["role"] == "member" and user["karma"] == 0
    assert user["html_url"].endswith("/u/Rooney")

    response = client.post("/api/v1/tokens", json={"username": "rooney", "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert response.get_json()["user"]["id"] == user["id"]
    with app.app_context():
        stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]  # only a hash is kept

    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=auth).get_json()["username"] == "Rooney"
    assert client.delete("/api/v1/tokens/current", headers=auth).status_code == 204
    response = client.get("/api/v1/me", headers=auth)
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"


@pytest.mark.parametrize(
    "username, password",
    [("rooney", "wrong password!"), ("nobody-here", PASSWORD), ("rooney", ""), ("x", "y")],
)
def test_bad_credentials_get_one_answer_whether_or_not_the_user_exists(
    client, make_user, username, password
):
    make_user("rooney")
    response = client.post("/api/v1/tokens", json={"username": username, "password": password})
    assert response.status_code == 401
    assert error_of(response) == {
        "code": "unauthorized",
        "message": "That username and password don't match an account.",
    }


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer ", "Basic cm9vbmV5OnB3", "token abc", "Bearer " + "x" * 500],
)
def test_a_bad_authorization_header_is_401_even_where_none_is_needed(client, header):
    response = client.get("/api/v1/films", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/tokens/current"])
def test_anonymous_calls_that_need_a_user_are_401(client, path):
    response = client.delete(path) if path.endswith("current") else client.get(path)
    assert response.status_code == 401


def test_revoking_needs_a_token_not_a_cookie(client, make_user, login):
    login(make_user())
    response = client.delete("/api/v1/tokens/current")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "field, value, status",
    [
        ("username", "rooney", 409),
        ("username", "ROONEY", 409),
        ("username", "ro", 422),
        ("username", "has space", 422),
        ("password", "short", 422),
        ("password", "password123", 422),
        ("email", "not-an-address", 422),
    ],
)
def test_registration_failures(client, make_user, field, value, status):
    make_user("rooney", email="rooney@example.com")
    body = {"username": "someone", "email": "someone@example.com", "password": PASSWORD}
    response = client.post("/api/v1/users", json={**body, field: value})
    assert response.status_code == status
    error = error_of(response)
    assert error["code"] == ("conflict" if status == 409 else "invalid")
    assert field in error["fields"]


def test_a_browser_session_authenticates_and_writes_need_the_csrf_token(
    client, app, make_user, make_film, login, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user, film = make_user(), make_film()
    login(user)
    assert client.get("/api/v1/me").get_json()["id"] == user.id  # reads need no token
    body = {"title": "Rooney knew", "body": "All along.", "kind": "theory"}
    path = f"/api/v1/films/{film.slug}/threads"

    for headers in ({}, {"X-CSRFToken": "forged"}):
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 400 and error_of(response)["code"] == "csrf"

    page = client.get("/").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    response = client.post(path, json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_bearer_calls_need_no_csrf_token(client, app, make_user, make_film, bearer, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    film = make_film()
    response = client.post(
        f"/api/v1/films/{film.slug}/threads", headers=bearer(make_user()),
        json={"title": "Rooney knew", "body": "All along.", "kind": "theory"},
    )  # fmt: skip
    assert response.status_code == 201


def test_users_are_public_by_name_in_any_case(client, make_user):
    user = make_user("Rooney")
    response = client.get("/api/v1/users/rOONEY")
    assert response.get_json()["id"] == user.id
    assert set(response.get_json()) == {"id", "username", "role", "karma", "created_at",
                                        "html_url"}  # fmt: skip
    assert client.get("/api/v1/users/nobody").status_code == 404


def test_a_long_passphrase_registers(client):
    """zxcvbn refuses input over 72 characters: the check must not turn that into a 500."""
    password = "correct horse battery staple, rooney and the ruska roma " * 3
    response = client.post("/api/v1/users", json={"username": "longpass", "password": password,
                                                  "email": "long@example.com"})  # fmt: skip
    assert response.status_code == 201
    login = client.post("/api/v1/tokens", json={"username": "longpass", "password": password})
    assert login.status_code == 201


def test_a_bearer_token_wins_over_a_session_cookie_and_never_sets_one(
    client, make_user, login, bearer
):
    cookie_user, token_user = make_user(), make_user()
    login(cookie_user)
    response = client.get("/api/v1/me", headers=bearer(token_user))
    assert response.get_json()["id"] == token_user.id
    assert "Set-Cookie" not in response.headers
    assert client.get("/api/v1/me").get_json()["id"] == cookie_user.id
