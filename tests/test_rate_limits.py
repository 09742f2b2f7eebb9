"""Rate limits: credential stuffing, sign-up waves, spam and vote floods get 429 with
Retry-After, as the site's error page (or API.md's JSON under /api/)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import limits.storage.memory
import pytest
from flask import Flask, g, jsonify, request
from flask.testing import FlaskClient

from config import TestConfig
from forum import create_app
from forum import limits as forum_limits
from forum.extensions import db, limiter
from forum.models import Thread, User, utcnow
from tests.conftest import PASSWORD, log_in_as


def _routes_for_reuse(app: Flask) -> None:
    """How the JSON API applies the same named limits as the site."""

    @app.before_request
    def bearer_token():  # like forum/api's authenticate(): the caller goes in g.api_user
        if request.path.startswith("/api/") and "X-Test-User" in request.headers:
            g.api_user = db.session.get(User, int(request.headers["X-Test-User"]))

    @app.post("/api/v1/test-replies")
    @forum_limits.reply
    def api_reply():
        return jsonify({"id": 1}), 201

    @app.post("/api/v1/test-tokens")
    @forum_limits.login
    def api_tokens():
        return jsonify({"error": {"code": "unauthorized", "message": "Bad credentials."}}), 401


@pytest.fixture
def web(limited_app: Flask) -> FlaskClient:
    _routes_for_reuse(limited_app)
    return limited_app.test_client()


@pytest.fixture
def sign_in(web: FlaskClient, limited_app: Flask) -> Callable[[User], None]:
    return lambda user: log_in_as(web, limited_app, user)


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def _log_in(client: FlaskClient, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       **_from(address))  # fmt: skip


def _assert_slow_down_page(response, longest: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= longest
    page = response.get_data(as_text=True)
    assert "Slow down" in page and 'class="site-header"' in page  # the site's own error page


def _assert_form_again(response, longest: int, kept: str | None = None) -> None:
    """A refused form post: the same form again, what was typed kept, the wait beside the
    button, and 429 with Retry-After."""
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= longest
    page = response.get_data(as_text=True)
    assert f"You can post again in {seconds} s." in page and '<form method="post"' in page
    assert "Slow down" not in page
    if kept is not None:
        assert kept in page


@pytest.fixture
def age(app: Flask) -> Callable[[User, float], None]:
    """Make an account `days` old."""

    def do(user: User, days: float) -> None:
        with app.app_context():
            db.session.get(User, user.id).created_at = utcnow() - timedelta(days=days)
            db.session.commit()

    return do


# --- log-in ------------------------------------------------------------------------------


def test_credential_stuffing_from_one_address_is_stopped_after_six_tries(web, make_user):
    for n in range(6):
        assert _log_in(web, f"victim{n}", "wrong-password-123").status_code == 422
    _assert_form_again(_log_in(web, "victim9", "wrong-password-123"), longest=60)


def test_guessing_one_account_from_many_addresses_is_stopped(web, make_user):
    user = make_user()
    for n in range(30):  # RATELIMIT_LOGIN_PER_ACCOUNT: 30 a minute from anywhere
        assert _log_in(web, user.username, "guess-123456", f"10.1.0.{n}").status_code == 422
    response = _log_in(web, user.username.upper(), PASSWORD, "10.1.0.99")
    _assert_form_again(response, longest=60)


def test_successful_log_ins_are_not_counted(web, make_user):
    user = make_user()
    for _ in range(10):
        assert _log_in(web, user.username, PASSWORD).status_code == 302


def test_other_addresses_and_accounts_are_not_affected(web, make_user):
    user = make_user()
    for n in range(6):
        _log_in(web, f"someone{n}", "wrong-password-123", "10.2.0.1")
    assert _log_in(web, "someone0", "wrong-password-123", "10.2.0.1").status_code == 429
    assert _log_in(web, user.username, PASSWORD, "10.2.0.2").status_code == 302


def test_the_api_gets_the_same_limit_in_the_api_error_shape(web):
    for n in range(6):
        response = web.post("/api/v1/test-tokens", json={"username": "x", "password": f"p{n}"})
        assert response.status_code == 401
    response = web.post("/api/v1/test-tokens", json={"username": "y", "password": "p"})
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and "too fast" in error["message"]


def test_failures_on_the_api_and_the_form_count_together(web):
    for n in range(3):
        web.post("/api/v1/test-tokens", json={"username": "shared", "password": f"p{n}"},
                 **_from("10.3.0.1"))  # fmt: skip
        _log_in(web, "shared", f"wrong-password-{n}", "10.3.0.1")
    assert _log_in(web, "shared", "whatever-123", "10.3.0.1").status_code == 429


def test_api_callers_are_limited_as_themselves_whatever_their_address(web, make_user):
    eve, mallory = make_user(), make_user()
    as_eve = {"headers": {"X-Test-User": str(eve.id)}}
    assert web.post("/api/v1/test-replies", **as_eve, **_from("10.9.0.1")).status_code == 201
    response = web.post("/api/v1/test-replies", **as_eve, **_from("10.9.0.2"))
    assert response.status_code == 429 and response.get_json()["error"]["code"] == "rate_limited"
    as_mallory = {"headers": {"X-Test-User": str(mallory.id)}, **_from("10.9.0.1")}
    assert web.post("/api/v1/test-replies", **as_mallory).status_code == 201


# --- sign-up -----------------------------------------------------------------------------


def _sign_up(client: FlaskClient, n: int, address: str = "10.4.0.1"):
    data = {"username": f"wave{n}", "email": f"wave{n}@example.com",
            "password": "a-long-test-passphrase"}  # fmt: skip
    return client.post("/signup", data=data, **_from(address))


def test_a_sign_up_wave_from_one_address_is_stopped_after_three_accounts(web):
    for n in range(3):
        assert _sign_up(web, n).status_code == 302
    _assert_form_again(_sign_up(web, 3), longest=24 * 3600)
    assert _sign_up(web, 4, address="10.4.0.2").status_code == 302


def test_sign_up_attempts_are_limited_too(web):
    bad = {"username": "x", "email": "not-an-address", "password": "short"}
    for _ in range(10):
        assert web.post("/signup", data=bad, **_from("10.5.0.1")).status_code == 422
    _assert_form_again(web.post("/signup", data=bad, **_from("10.5.0.1")), longest=3600)


# --- threads and replies -----------------------------------------------------------------


def _start(web: FlaskClient, slug: str, n: int):
    data = {"title": f"Theory number {n}", "kind": "theory", "body": "The coin is a contract."}
    return web.post(f"/films/{slug}/threads/new", data=data)


@pytest.mark.parametrize(("age_days", "longest", "shortest"), [(2, 15, 1), (0, 120, 100)])
def test_starting_threads_is_limited_tighter_on_the_first_day(
    web, sign_in, age, make_user, make_film, age_days, longest, shortest
):
    user, film = make_user(), make_film()
    age(user, age_days)
    sign_in(user)
    assert _start(web, film.slug, 1).status_code == 302
    response = _start(web, film.slug, 2)
    _assert_form_again(response, longest=longest, kept="Theory number 2")
    assert int(response.headers["Retry-After"]) >= shortest


@pytest.mark.parametrize(("age_days", "longest", "shortest"), [(2, 5, 1), (0, 30, 20)])
def test_replying_is_limited_tighter_on_the_first_day(
    web, sign_in, age, make_user, make_thread, age_days, longest, shortest
):
    user, thread = make_user(), make_thread()
    age(user, age_days)
    sign_in(user)
    assert web.post(f"/threads/{thread.id}/replies", data={"body": "First!"}).status_code == 302
    response = web.post(f"/threads/{thread.id}/replies", data={"body": "Second!"})
    _assert_form_again(response, longest=longest, kept="Second!")
    assert int(response.headers["Retry-After"]) >= shortest
    with web.application.app_context():
        assert db.session.get(Thread, thread.id).reply_count == 1


def test_a_rejected_reply_does_not_use_up_the_limit(web, sign_in, make_user, make_thread):
    user, thread = make_user(), make_thread()
    sign_in(user)
    assert web.post(f"/threads/{thread.id}/replies", data={"body": ""}).status_code == 422
    assert web.post(f"/threads/{thread.id}/replies", data={"body": "Now!"}).status_code == 302


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    """Moves the in-process counters' clock forward (the limits are measured in it)."""
    now = SimpleNamespace(offset=0.0)
    fake = SimpleNamespace(time=lambda: time.time() + now.offset)
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    return now


def test_a_new_account_starts_three_threads_on_its_first_day(
    web, sign_in, age, make_user, make_film, clock
):
    user, film = make_user(), make_film()
    sign_in(user)
    for n in range(3):
        assert _start(web, film.slug, n).status_code == 302
        clock.offset += 121
    assert _start(web, film.slug, 3).status_code == 429
    age(user, 2)  # a day later, the same account is no longer new
    assert _start(web, film.slug, 4).status_code == 302


def test_a_new_account_writes_ten_replies_on_its_first_day(
    web, sign_in, make_user, make_thread, clock
):
    user, thread = make_user(), make_thread()
    sign_in(user)
    for n in range(10):
        reply = web.post(f"/threads/{thread.id}/replies", data={"body": f"Reply {n}"})
        assert reply.status_code == 302
        clock.offset += 31
    assert web.post(f"/threads/{thread.id}/replies", data={"body": "11"}).status_code == 429


# --- votes ------------------------------------------------------------------------------


@pytest.mark.parametrize(("age_days", "allowed"), [(2, 30), (0, 10)])
def test_votes_on_threads_and_replies_count_together_per_user(
    web, sign_in, age, make_user, make_thread, make_reply, age_days, allowed
):
    thread = make_thread()
    post = make_reply(thread)
    user = make_user()
    age(user, age_days)
    sign_in(user)
    json = {"headers": {"Accept": "application/json"}}
    for n in range(allowed):
        url = f"/threads/{thread.id}/vote" if n % 2 else f"/posts/{post.id}/vote"
        assert web.post(url, data={"value": (-1) ** n}, **json).status_code == 200
    response = web.post(f"/threads/{thread.id}/vote", data={"value": 1}, **json)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) <= 60
    assert response.get_json()["error"]["code"] == "rate_limited"  # the page's script shows it
    _assert_slow_down_page(web.post(f"/posts/{post.id}/vote", data={"value": 1}), longest=60)
    sign_in(make_user())
    assert web.post(f"/threads/{thread.id}/vote", data={"value": 1}).status_code == 302


def test_reports_on_the_site_and_the_api_count_together_tighter_on_the_first_day(
    web, sign_in, age, make_user, make_thread
):
    threads = [make_thread() for _ in range(4)]
    user = make_user()
    age(user, 0)  # a first-day account files 3 reports an hour
    sign_in(user)
    for thread in threads[:2]:
        response = web.post(f"/threads/{thread.id}/report", data={"reason": "spoiler in title"})
        assert response.status_code == 302
    api = web.post(
        "/api/v1/reports",
        json={"target_type": "thread", "target_id": threads[2].id, "reason": "spam"},
    )
    assert api.status_code == 201
    response = web.post(f"/threads/{threads[3].id}/report", data={"reason": "spam note"})
    _assert_form_again(response, longest=3600, kept="spam note")
    api = web.post(
        "/api/v1/reports",
        json={"target_type": "thread", "target_id": threads[3].id, "reason": "spam"},
    )
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "rate_limited"


# --- password reset ----------------------------------------------------------------------


def test_reset_requests_are_limited_per_e_mail_address(web, make_user):
    user = make_user()
    for n in range(3):
        response = web.post("/password/forgot", data={"email": user.email}, **_from(f"10.6.0.{n}"))
        assert response.status_code == 302
    response = web.post("/password/forgot", data={"email": user.email.upper()},
                        **_from("10.6.0.9"))  # fmt: skip
    _assert_form_again(response, longest=3600)


def test_reset_requests_are_limited_per_address_whether_or_not_accounts_exist(web):
    for n in range(5):
        response = web.post("/password/forgot", data={"email": f"nobody{n}@example.com"})
        assert response.status_code == 302
    _assert_form_again(
        web.post("/password/forgot", data={"email": "nobody9@example.com"}), longest=3600
    )


def test_pages_that_only_read_are_never_limited(web, make_thread):
    thread = make_thread()
    for _ in range(40):
        assert web.get(f"/threads/{thread.id}").status_code == 200
        assert web.get("/login").status_code == 200


def test_when_redis_stops_answering_each_process_keeps_counting(app):
    """No Redis on that port: the limiter falls back to in-process counters, not to none."""

    class DeadRedis(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        REDIS_URL = "redis://127.0.0.1:1/0"

    dead = create_app(DeadRedis)
    assert dead.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"
    try:
        client = dead.test_client()
        for n in range(6):
            assert _log_in(client, f"victim{n}", "wrong-password-123").status_code == 422
        assert _log_in(client, "victim9", "wrong-password-123").status_code == 429
    finally:
        limiter._storage_dead = False  # the shared extension: back to a healthy state
        limiter.enabled = False
        with dead.app_context():
            db.engine.dispose()
