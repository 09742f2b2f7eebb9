"""The API's endpoints carry the site's named rate limits: 429 `rate_limited` with
Retry-After, counted per caller (the bearer token's user) and together with the site."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import error_of
from tests.conftest import PASSWORD


@pytest.fixture
def limited(limited_app: Flask) -> FlaskClient:
    """A client of the app with rate limits on (in-process counters), same database."""
    return limited_app.test_client()


def _assert_rate_limited(response) -> None:
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1


def test_failed_token_requests_are_limited_and_counted_with_the_log_in_form(limited):
    for n in range(3):
        response = limited.post("/api/v1/tokens", json={"username": "x", "password": f"p{n}"})
        assert response.status_code == 401
    for n in range(3):
        limited.post("/login", data={"username": "x", "password": f"q{n}"})
    _assert_rate_limited(limited.post("/api/v1/tokens", json={"username": "y", "password": "z"}))


def test_successful_token_requests_are_not_counted(limited, make_user):
    user = make_user()
    for _ in range(8):
        response = limited.post("/api/v1/tokens",
                                json={"username": user.username, "password": PASSWORD})  # fmt: skip
        assert response.status_code == 201


def test_replies_are_limited_per_bearer_user(limited, make_thread, make_user, bearer):
    thread = make_thread()
    alice, bob = bearer(make_user()), bearer(make_user())
    path = f"/api/v1/threads/{thread.id}/posts"
    assert limited.post(path, json={"body": "First"}, headers=alice).status_code == 201
    _assert_rate_limited(limited.post(path, json={"body": "Again"}, headers=alice))
    assert limited.post(path, json={"body": "Mine"}, headers=bob).status_code == 201


def test_new_threads_are_limited_per_user(limited, make_film, make_user, bearer):
    film, fan = make_film(), bearer(make_user())
    body = {"title": "Rooney knew", "body": "All along.", "kind": "theory"}
    path = f"/api/v1/films/{film.slug}/threads"
    assert limited.post(path, json=body, headers=fan).status_code == 201
    _assert_rate_limited(limited.post(path, json=body, headers=fan))


def test_sign_ups_are_limited_per_address(limited):
    statuses = [
        limited.post("/api/v1/users", json={"username": f"wave{n}", "password": PASSWORD,
                                            "email": f"wave{n}@example.com"}).status_code
        for n in range(4)
    ]  # fmt: skip
    assert statuses == [201, 201, 201, 429]
