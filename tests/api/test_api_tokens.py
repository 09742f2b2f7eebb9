"""API tokens a fan can see, expire and revoke, and that die with the password."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import ApiToken, User, utcnow
from forum.services import accounts
from tests.api.conftest import error_of
from tests.conftest import PASSWORD

NEW_PASSWORD = "blood-tied-ballet-shoes"


def _log_in(client, user: User, **extra) -> str:
    body = {"username": user.username, "password": PASSWORD, **extra}
    response = client.post("/api/v1/tokens", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_fan_lists_their_tokens_without_the_secrets(client, make_user):
    fan, other = make_user(), make_user()
    first, second = _log_in(client, fan), _log_in(client, fan, expires_in_days=30)
    _log_in(client, other)
    client.get("/api/v1/me", headers=_auth(first))

    response = client.get("/api/v1/tokens", headers=_auth(second))
    assert response.status_code == 200
    listed = response.get_json()["tokens"]
    assert len(listed) == 2  # not the other fan's
    assert all(set(t) == {"id", "created_at", "last_used_at", "expires_at"} for t in listed)
    assert first not in response.get_data(as_text=True)
    newest, oldest = listed
    assert newest["expires_at"].endswith("Z") and oldest["expires_at"] is None
    assert oldest["last_used_at"] is not None  # the first token was used above


def test_a_token_with_an_expiry_stops_working_when_it_expires(client, app, make_user):
    fan = make_user()
    token = _log_in(client, fan, expires_in_days=1)
    with app.app_context():
        stored = db.session.scalar(db.select(ApiToken))
        assert abs(stored.expires_at - utcnow() - timedelta(days=1)) < timedelta(seconds=60)
        stored.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get("/api/v1/me", headers=_auth(token))
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"


@pytest.mark.parametrize(
    "value, status", [(0, 422), (367, 422), (-5, 422), ("7", 400), (True, 400), (1.5, 400)]
)
def test_a_bad_expiry_is_refused_and_makes_no_token(client, app, make_user, value, status):
    fan = make_user()
    response = client.post(
        "/api/v1/tokens",
        json={"username": fan.username, "password": PASSWORD, "expires_in_days": value},
    )
    assert response.status_code == status
    if status == 422:
        assert "expires_in_days" in error_of(response)["fields"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0


def test_a_fan_revokes_one_token_by_its_id(client, make_user):
    fan = make_user()
    keep, drop = _log_in(client, fan), _log_in(client, fan)
    ids = [t["id"] for t in client.get("/api/v1/tokens", headers=_auth(keep)).get_json()["tokens"]]
    assert client.delete(f"/api/v1/tokens/{ids[0]}", headers=_auth(keep)).status_code == 204
    assert client.get("/api/v1/me", headers=_auth(drop)).status_code == 401
    assert client.get("/api/v1/me", headers=_auth(keep)).status_code == 200
    again = client.delete(f"/api/v1/tokens/{ids[0]}", headers=_auth(keep))
    assert again.status_code == 404 and error_of(again)["code"] == "not_found"


def test_nobody_revokes_another_fans_token(client, make_user):
    fan, stranger = make_user(), make_user()
    token = _log_in(client, fan)
    token_id = client.get("/api/v1/tokens", headers=_auth(token)).get_json()["tokens"][0]["id"]
    response = client.delete(f"/api/v1/tokens/{token_id}", headers=_auth(_log_in(client, stranger)))
    assert response.status_code == 404
    assert client.get("/api/v1/me", headers=_auth(token)).status_code == 200
    huge = client.delete("/api/v1/tokens/99999999999", headers=_auth(token))
    assert huge.status_code == 404


def test_a_fan_revokes_every_token_at_once(client, make_user):
    fan, other = make_user(), make_user()
    mine = [_log_in(client, fan) for _ in range(3)]
    theirs = _log_in(client, other)
    assert client.delete("/api/v1/tokens", headers=_auth(mine[0])).status_code == 204
    assert all(client.get("/api/v1/me", headers=_auth(t)).status_code == 401 for t in mine)
    assert client.get("/api/v1/me", headers=_auth(theirs)).status_code == 200


def test_a_browser_session_lists_and_revokes_tokens(client, make_user, login):
    fan = make_user()
    token = _log_in(client, fan)
    login(fan)
    assert len(client.get("/api/v1/tokens").get_json()["tokens"]) == 1
    assert client.delete("/api/v1/tokens").status_code == 204
    assert client.get("/api/v1/me", headers=_auth(token)).status_code == 401


@pytest.mark.parametrize(
    "method, path", [("get", "/api/v1/tokens"), ("delete", "/api/v1/tokens"),
                     ("delete", "/api/v1/tokens/1")],
)  # fmt: skip
def test_token_lists_and_revocation_need_a_signed_in_caller(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401 and error_of(response)["code"] == "unauthorized"


def test_a_password_change_revokes_every_token(client, app, make_user, make_film):
    fan, film = make_user(), make_film()
    token = _log_in(client, fan)
    thread = {"title": "The coin", "body": "It binds.", "kind": "theory"}
    posted = client.post(f"/api/v1/films/{film.slug}/threads", json=thread, headers=_auth(token))
    assert posted.status_code == 201
    with app.app_context():
        accounts.change_password(db.session.get(User, fan.id), PASSWORD, NEW_PASSWORD)
    again = client.post(f"/api/v1/films/{film.slug}/threads", json=thread, headers=_auth(token))
    assert again.status_code == 401
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ApiToken)) == 0
