"""Limits that can't be stepped around: the log-in counter reads the username the way the
view does, whatever the body's type; a stranger's guesses don't lock the owner out of
their usual address; current passwords can't be guessed on the account forms; every
limit is a setting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from config import TestConfig
from forum import create_app
from forum.extensions import db, limiter
from tests import test_rate_limits_redis
from tests.conftest import PASSWORD

REDIS_URL = test_rate_limits_redis.REDIS_URL
redis_db = test_rate_limits_redis.redis_db  # our own Redis database, empty before and after
# It empties the Redis db the two-process tests count in: under -n, on their worker only.
pytestmark = pytest.mark.xdist_group("redis")

NEW_PASSWORD = "blood-tied-ballet-shoes"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def limited(limited_app: Flask, monkeypatch) -> Flask:
    """Small ceilings, so each test shows which counter stopped it: per address 50 (out of
    the way), per account and address 3, per account from anywhere 6."""
    for name, value in {
        "RATELIMIT_LOGIN_PER_ADDRESS": "50 per minute",
        "RATELIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS": "3 per minute",
        "RATELIMIT_LOGIN_PER_ACCOUNT": "6 per minute",
    }.items():
        monkeypatch.setitem(limited_app.config, name, value)
    return limited_app


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def _form_log_in(client: FlaskClient, username: str, password: str, address: str):
    return client.post("/login", data={"username": username, "password": password},
                       **_from(address))  # fmt: skip


def _api_log_in(client: FlaskClient, username: str, password: str, address: str, **kw):
    body = json.dumps({"username": username, "password": password})
    return client.post("/api/v1/tokens", data=body, **_from(address), **kw)


# --- one reading of the username -----------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["text/plain", None, "application/x-www-form-urlencoded", "application/json"]
)
def test_api_failures_count_against_the_account_whatever_the_body_type(
    limited, make_user, content_type
):
    """The API reads any body as JSON: so does the counter (the issue's text/plain trick)."""
    owner, client = make_user(), limited.test_client()
    kw = {"content_type": content_type} if content_type else {}
    for n in range(6):  # six strangers' addresses, one guess each
        response = _api_log_in(client, owner.username, "wrong-guess-123", f"10.20.0.{n}", **kw)
        assert response.status_code == 401
    right = _api_log_in(client, owner.username, PASSWORD, "10.20.0.99",
                        content_type="application/json")  # fmt: skip
    assert right.status_code == 429 and right.get_json()["error"]["code"] == "rate_limited"


def test_a_json_body_on_the_site_counts_under_its_username(limited, make_user):
    owner, client = make_user(), limited.test_client()
    for n in range(6):
        response = client.post("/login", json={"username": owner.username,
                                               "password": "wrong-guess-123"},
                               **_from(f"10.21.0.{n}"))  # fmt: skip
        assert response.status_code == 422
    assert _form_log_in(client, owner.username, PASSWORD, "10.21.0.99").status_code == 429


def test_a_form_field_can_not_hide_the_json_username_from_the_api_counter(limited, make_user):
    """A form-encoded body that is also JSON: the API acts on the JSON, the counter too."""
    owner, client = make_user(), limited.test_client()
    body = json.dumps({"username": owner.username, "password": "wrong-guess-123",
                       "x": "&username=decoy&"})  # fmt: skip
    for _ in range(3):
        response = client.post("/api/v1/tokens", data=body, **_from("10.22.0.1"),
                               content_type="application/x-www-form-urlencoded")  # fmt: skip
        assert response.status_code == 401
    assert _api_log_in(client, owner.username, PASSWORD, "10.22.0.1").status_code == 429


# --- per account and address, and the owner's usual address ---------------------------------


def test_a_strangers_guesses_stop_the_stranger_not_the_owner(limited, make_user):
    owner, client = make_user(), limited.test_client()
    for _ in range(3):
        assert _form_log_in(client, owner.username, "guess-123456", "10.30.0.1").status_code == 422
    assert _form_log_in(client, owner.username, "guess-123456", "10.30.0.1").status_code == 429
    assert _form_log_in(client, owner.username, PASSWORD, "10.30.0.1").status_code == 429
    assert _form_log_in(client, owner.username, PASSWORD, "10.30.0.2").status_code == 302


def test_many_strangers_can_not_lock_the_owner_out_of_their_usual_address(limited, make_user):
    owner, client = make_user(), limited.test_client()
    assert _form_log_in(client, owner.username, PASSWORD, "10.31.0.7").status_code == 302
    api = _api_log_in(limited.test_client(), owner.username, PASSWORD, "10.31.0.8",
                      content_type="application/json")  # fmt: skip
    assert api.status_code == 201
    for n in range(6):  # the account's own ceiling: 6 from anywhere
        assert _form_log_in(client, owner.username, "guess-123", f"10.31.1.{n}").status_code == 422
    assert _form_log_in(client, owner.username, PASSWORD, "10.31.1.99").status_code == 429
    # From the addresses the owner logged in from (site or API), the owner still gets in.
    assert (
        _form_log_in(limited.test_client(), owner.username, PASSWORD, "10.31.0.7").status_code
        == 302
    )
    again = _api_log_in(limited.test_client(), owner.username.upper(), PASSWORD, "10.31.0.8",
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 201


def test_a_known_address_is_known_for_that_account_only(limited, make_user):
    owner, other, client = make_user(), make_user(), limited.test_client()
    assert _form_log_in(client, owner.username, PASSWORD, "10.32.0.1").status_code == 302
    for n in range(6):
        _form_log_in(client, other.username, "guess-123", f"10.32.1.{n}")
    assert _form_log_in(client, other.username, PASSWORD, "10.32.0.1").status_code == 429


# --- the current password on the account forms ---------------------------------------------


@pytest.mark.parametrize(
    "path, wrong, right",
    [
        ("/account/password", {"current": "not-my-password", "new": NEW_PASSWORD},
         {"current": PASSWORD, "new": NEW_PASSWORD}),
        ("/account/email", {"password": "not-my-password", "email": "new@example.com"},
         {"password": PASSWORD, "email": "new@example.com"}),
    ],
)  # fmt: skip
def test_guessing_the_current_password_on_an_account_form_is_stopped(
    limited, make_user, path, wrong, right
):
    user, client = make_user(), limited.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    for _ in range(5):  # RATELIMIT_CURRENT_PASSWORD: 5 a minute
        assert client.post(path, data=wrong).status_code == 422
    response = client.post(path, data=right)
    assert response.status_code == 429 and "Slow down" in response.text


def test_both_account_forms_share_one_current_password_counter(limited, make_user):
    user, client = make_user(), limited.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    for n in range(5):
        path, data = (("/account/password", {"current": f"wrong-{n}", "new": NEW_PASSWORD})
                      if n % 2 else ("/account/email", {"password": f"wrong-{n}",
                                                        "email": "x@example.com"}))  # fmt: skip
        assert client.post(path, data=data).status_code == 422
    right = {"password": PASSWORD, "email": "x@example.com"}
    assert client.post("/account/email", data=right).status_code == 429


def test_other_mistakes_on_the_account_forms_are_not_counted(limited, make_user):
    user, client = make_user(), limited.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    for _ in range(8):
        weak = client.post("/account/password", data={"current": PASSWORD, "new": "password123"})
        assert weak.status_code == 422
    done = client.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD})
    assert done.status_code == 302


# --- every limit is a setting ----------------------------------------------------------------


def test_a_limit_set_in_the_configuration_is_the_one_applied(limited, monkeypatch):
    monkeypatch.setitem(limited.config, "RATELIMIT_LOGIN_PER_ADDRESS", "2 per minute")
    client = limited.test_client()
    for n in range(2):
        assert _form_log_in(client, f"someone{n}", "wrong-123456", "10.40.0.1").status_code == 422
    assert _form_log_in(client, "someone9", "wrong-123456", "10.40.0.1").status_code == 429


LIMIT_SETTINGS = [
    "RATELIMIT_LOGIN_PER_ADDRESS", "RATELIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS",
    "RATELIMIT_LOGIN_PER_ACCOUNT", "RATELIMIT_CURRENT_PASSWORD",
    "RATELIMIT_SIGNUP_ATTEMPTS_PER_ADDRESS", "RATELIMIT_SIGNUPS_PER_ADDRESS",
    "RATELIMIT_RESET_PER_ADDRESS", "RATELIMIT_RESET_PER_EMAIL", "RATELIMIT_THREADS",
    "RATELIMIT_THREADS_NEW", "RATELIMIT_REPLIES", "RATELIMIT_REPLIES_NEW", "RATELIMIT_VOTES",
    "RATELIMIT_VOTES_NEW", "RATELIMIT_REPORTS", "RATELIMIT_REPORTS_NEW",
]  # fmt: skip


def test_every_limit_is_read_from_the_environment_and_named_in_the_readme():
    names = [*LIMIT_SETTINGS, "RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS", "RATELIMIT_NEW_ACCOUNT_HOURS"]
    given = {name: f"{n + 1} per hour" for n, name in enumerate(LIMIT_SETTINGS)}
    given |= {"RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS": "7", "RATELIMIT_NEW_ACCOUNT_HOURS": "48"}
    script = (
        "import config, json; "
        f"print(json.dumps({{n: getattr(config.Config, n) for n in {names!r}}}))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script], env={**os.environ, **given}, cwd=ROOT,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    read = json.loads(out.stdout)
    assert read == {**given, "RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS": 7,
                    "RATELIMIT_NEW_ACCOUNT_HOURS": 48}  # fmt: skip
    readme = (ROOT / "README.md").read_text()
    assert [name for name in names if name not in readme] == []


@pytest.fixture
def redis_limited(app: Flask, redis_db) -> Iterator[Flask]:
    """Rate limits counted in Redis (the suite's own Redis database), as in production."""

    class OnRedis(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = REDIS_URL
        RATELIMIT_LOGIN_PER_ACCOUNT = "6 per minute"

    limited = create_app(OnRedis)
    yield limited
    limiter.enabled = False  # the shared extension: the session's `app` runs unlimited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_owners_usual_address_is_kept_in_redis_for_every_process(redis_limited, make_user):
    owner, client = make_user(), redis_limited.test_client()
    assert _form_log_in(client, owner.username, PASSWORD, "10.50.0.1").status_code == 302
    store = redis.Redis.from_url(REDIS_URL)
    keys = store.keys("*known-address*")
    assert [k.decode() for k in keys] == [
        f"LIMITS:subtext/known-address/{owner.username.lower()}/address:10.50.0.1"
    ]
    assert 89 * 86_400 < store.ttl(keys[0]) <= 90 * 86_400  # RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS
    store.close()
    for n in range(6):
        _form_log_in(client, owner.username, "guess-123", f"10.50.1.{n}")
    assert _form_log_in(client, owner.username, PASSWORD, "10.50.1.99").status_code == 429
    assert _form_log_in(client, owner.username, PASSWORD, "10.50.0.1").status_code == 302


@pytest.mark.parametrize("through", ["site", "api"])
def test_the_address_an_account_signed_up_from_is_its_usual_one(limited, through):
    client = limited.test_client()
    details = {"username": "new_owner", "email": "owner@example.com", "password": PASSWORD}
    if through == "site":
        assert client.post("/signup", data=details, **_from("10.60.0.1")).status_code == 302
    else:
        assert client.post("/api/v1/users", json=details, **_from("10.60.0.1")).status_code == 201
    for n in range(6):
        _form_log_in(limited.test_client(), "new_owner", "guess-123", f"10.60.1.{n}")
    assert (
        _form_log_in(limited.test_client(), "new_owner", PASSWORD, "10.60.1.99").status_code == 429
    )
    assert (
        _form_log_in(limited.test_client(), "new_owner", PASSWORD, "10.60.0.1").status_code == 302
    )
