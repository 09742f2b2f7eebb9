"""The account page: a fan sees their API tokens and revokes one or all; a password change
or reset revokes every token and ends every session."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import ApiToken, User
from forum.services import tokens
from tests import test_password_reset
from tests.conftest import PASSWORD

inbox = test_password_reset.inbox  # the loopback SMTP server that keeps the mails it gets
NEW_PASSWORD = "blood-tied-ballet-shoes"


def _issue(app, user: User, days: int | None = None) -> str:
    with app.app_context():
        return tokens.issue_token(db.session.get(User, user.id), days)


def _works(client, token: str) -> bool:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def _token_ids(app, user: User) -> list[int]:
    with app.app_context():
        return db.session.scalars(
            db.select(ApiToken.id).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        ).all()


def test_the_account_page_lists_the_fans_tokens_with_revoke_buttons(app, client, make_user, login):
    fan, other = make_user(), make_user()
    _issue(app, fan), _issue(app, fan, days=7), _issue(app, other)
    login(fan)
    page = client.get("/account")
    assert page.status_code == 200
    first, second = _token_ids(app, fan)
    for token_id in (first, second):
        assert f'id="token-{token_id}"' in page.text
        assert f'action="/account/tokens/{token_id}/revoke"' in page.text
    assert page.text.count('id="token-') == 2  # not the other fan's
    assert 'action="/account/tokens/revoke"' in page.text
    assert "never" in page.text and " UTC</time>" in page.text  # one expires, one does not
    assert 'href="/account"' in client.get("/").text  # the menu leads here


def test_a_fan_with_no_tokens_is_told_so(client, make_user, login):
    login(make_user())
    page = client.get("/account").text
    assert "You have no API tokens." in page and "/account/tokens/revoke" not in page


def test_a_fan_revokes_one_token_from_the_account_page(app, client, make_user, login):
    fan = make_user()
    keep, drop = _issue(app, fan), _issue(app, fan)
    login(fan)
    response = client.post(f"/account/tokens/{_token_ids(app, fan)[1]}/revoke")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "The token is revoked" in client.get("/account").text
    assert _works(client, keep) and not _works(client, drop)


def test_a_fan_revokes_every_token_from_the_account_page(app, client, make_user, login):
    fan = make_user()
    made = [_issue(app, fan) for _ in range(3)]
    login(fan)
    assert client.post("/account/tokens/revoke").status_code == 302
    assert not any(_works(client, token) for token in made)
    assert "Every API token is revoked." in client.get("/account").text


def test_nobody_revokes_another_fans_token_by_its_id(app, client, make_user, login):
    owner, stranger = make_user(), make_user()
    token = _issue(app, owner)
    login(stranger)
    response = client.post(f"/account/tokens/{_token_ids(app, owner)[0]}/revoke")
    assert response.status_code == 404
    assert _works(client, token)


@pytest.mark.parametrize("path", ["/account", "/account/tokens/1/revoke", "/account/tokens/revoke"])
def test_the_account_page_and_its_buttons_need_a_log_in(client, path):
    response = client.post(path) if path.endswith("revoke") else client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/account/tokens/1/revoke", "/account/tokens/revoke"])
def test_revoke_buttons_need_the_csrf_token(csrf_app, app, make_user, path):
    fan = make_user()
    token = _issue(app, fan)
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = fan.get_id()
    response = client.post(path)
    assert response.status_code == 400
    assert _works(client, token)


def test_a_password_change_on_the_site_revokes_every_token(app, client, make_user, login):
    fan = make_user()
    token = _issue(app, fan)
    login(fan)
    response = client.post(
        "/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD}, follow_redirects=True
    )
    assert "every API token is revoked" in response.text
    assert not _works(client, token)
    assert _token_ids(app, fan) == []


def test_a_wrong_current_password_revokes_nothing(app, client, make_user, login):
    fan = make_user()
    token = _issue(app, fan)
    login(fan)
    response = client.post("/account/password", data={"current": "not-it", "new": NEW_PASSWORD})
    assert response.status_code == 422
    assert _works(client, token)


def test_a_password_reset_revokes_every_token_and_ends_every_session(app, client, make_user, inbox):
    fan = make_user()
    token = _issue(app, fan)
    other_device = app.test_client()
    other_device.post("/login", data={"username": fan.username, "password": PASSWORD})
    assert other_device.get("/account").status_code == 200
    client.post("/password/forgot", data={"email": fan.email})
    link = re.search(
        r"https://subtext\.example(/password/reset/\S+)", inbox.wait()[-1].get_content()
    )
    response = client.post(link.group(1), data={"password": NEW_PASSWORD}, follow_redirects=True)
    assert "every API token revoked" in response.text
    assert not _works(client, token)
    assert other_device.get("/account").status_code == 302  # logged out
