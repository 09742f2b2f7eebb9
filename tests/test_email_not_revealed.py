"""Sign-up and the e-mail change answer the same whether or not an address is in use;
the accounts already using it hear about it by mail (a loopback SMTP server keeps the
mails: nothing leaves the machine)."""

from __future__ import annotations

import re
import time

from forum.extensions import db
from forum.models import User
from tests import test_password_reset
from tests.conftest import PASSWORD

inbox = test_password_reset.inbox  # the loopback SMTP server that keeps the mails it gets
NOTICE = "Your e-mail address was used on Subtext"


def _sign_up(client, username: str, email: str):
    data = {"username": username, "email": email, "password": PASSWORD}
    return client.post("/signup", data=data, follow_redirects=True)


def _page_without(response, *names: str) -> str:
    """The page as a stranger compares it: names they typed themselves blanked out."""
    text = response.get_data(as_text=True)
    for name in names:
        text = text.replace(name, "NAME")
    return re.sub(r'"[\w-]{20,}\.[\w-]+\.[\w-]{20,}"', '"CSRF-TOKEN"', text)  # signed tokens


def test_sign_up_with_an_address_in_use_answers_as_with_a_new_one(app, make_user, inbox):
    owner = make_user("eve_owner", email="eve@example.com")
    taken = _sign_up(app.test_client(), "prober_one", "EVE@example.com")
    fresh = _sign_up(app.test_client(), "prober_two", "fresh@example.com")
    assert taken.status_code == fresh.status_code == 200
    assert _page_without(taken, "prober_one") == _page_without(fresh, "prober_two")
    assert "Welcome to Subtext" in taken.text
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(username="prober_one")) is not None
    mails = inbox.wait()
    time.sleep(0.3)  # give a (wrong) second mail the chance to arrive
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [(owner.email, NOTICE)]
    body = mails[0].get_content()
    assert "eve_owner" in body and "prober_one" not in body  # the owner's name, not the new one


def test_api_registration_with_an_address_in_use_is_201_too(client, make_user, inbox):
    owner = make_user("rooney", email="rooney@example.com")
    body = {"username": "someone", "email": "Rooney@Example.com", "password": PASSWORD}
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 201
    assert response.get_json()["user"]["username"] == "someone"
    assert [m["To"] for m in inbox.wait()] == [owner.email]


def test_a_username_in_use_is_still_refused(client, make_user):
    make_user("rooney")
    body = {"username": "ROONEY", "email": "new@example.com", "password": PASSWORD}
    assert client.post("/api/v1/users", json=body).status_code == 409


def test_an_e_mail_change_to_an_address_in_use_answers_as_any_other(
    app, client, make_user, login, inbox
):
    owner = make_user("eve_owner", email="eve@example.com")
    user = make_user()
    login(user)
    taken = client.post("/account/email", data={"email": "Eve@Example.com", "password": PASSWORD},
                        follow_redirects=True)  # fmt: skip
    fresh = client.post("/account/email", data={"email": "new@example.com", "password": PASSWORD},
                        follow_redirects=True)  # fmt: skip
    assert taken.status_code == fresh.status_code == 200
    assert (
        "Your e-mail address is changed." in taken.text
        and "Your e-mail address is changed." in fresh.text
    )
    assert "already has an account" not in taken.text
    mails = inbox.wait()
    time.sleep(0.3)
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [(owner.email, NOTICE)]
    assert "another account" in mails[0].get_content()


def test_a_reset_request_reaches_every_account_on_an_address(client, make_user, inbox):
    first = make_user("first_fan", email="shared@example.com")
    second = make_user("second_fan", email="Shared@Example.com")
    inbox.wait(1)
    inbox.messages.clear()  # the sign-up notice to the first fan
    client.post("/password/forgot", data={"email": "shared@example.com"})
    mails = inbox.wait(2)
    names = sorted(m.get_content().split(",")[0].removeprefix("Hello ") for m in mails)
    assert names == sorted([first.username, second.username])
