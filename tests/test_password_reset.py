"""Password reset by e-mail, delivered through a real SMTP server on loopback."""

from __future__ import annotations

import email
import os
import re
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from forum.extensions import db
from forum.models import User
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent

NEW_PASSWORD = "blood-tied-ballet-shoes"
BASE_URL = "https://subtext.example"
LINK = re.compile(r"https://subtext\.example(/password/reset/\S+)")


class Inbox:
    """aiosmtpd handler: keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def wait(self, count: int = 1, seconds: float = 10) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, "the mail never arrived"
        return self.messages


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def inbox(app: Flask, monkeypatch) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)
    yield inbox
    controller.stop()


def _ask(client: FlaskClient, address: str, **kw):
    return client.post("/password/forgot", data={"email": address}, **kw)


def _reset_path(inbox: Inbox, user: User) -> str:
    mail = inbox.wait()[-1]
    assert mail["To"] == user.email
    assert mail["Subject"] == "Reset your Subtext password"
    return LINK.search(mail.get_content()).group(1)


def _password_works(client: FlaskClient, user: User, password: str) -> bool:
    response = client.post("/login", data={"username": user.username, "password": password})
    return response.status_code == 302


def test_log_in_page_links_to_the_reset_form(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page
    assert "Forgot your password?" in page
    assert client.get("/password/forgot").status_code == 200


def test_a_fan_resets_a_forgotten_password_through_the_mailed_link(client, make_user, inbox):
    user = make_user()
    response = _ask(client, user.email.upper(), follow_redirects=True)
    assert "a mail with a reset link is on its way" in response.get_data(as_text=True)
    path = _reset_path(inbox, user)

    page = client.get(path)
    assert page.status_code == 200 and user.username in page.get_data(as_text=True)
    response = client.post(path, data={"password": NEW_PASSWORD}, follow_redirects=True)
    assert "Your password is changed" in response.get_data(as_text=True)
    assert not _password_works(client, user, PASSWORD)
    assert _password_works(client, user, NEW_PASSWORD)


def test_the_link_works_only_once(client, make_user, inbox):
    user = make_user()
    _ask(client, user.email)
    path = _reset_path(inbox, user)
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    again = client.post(path, data={"password": "another-good-passphrase"}, follow_redirects=True)
    assert "expired or was already used" in again.get_data(as_text=True)
    assert _password_works(client, user, NEW_PASSWORD)


def test_a_reset_ends_every_other_session(app, client, make_user, inbox):
    user = make_user()
    other_device = app.test_client()
    assert _password_works(other_device, user, PASSWORD)
    assert other_device.get("/account/password").status_code == 200
    _ask(client, user.email)
    client.post(_reset_path(inbox, user), data={"password": NEW_PASSWORD})
    assert other_device.get("/account/password").status_code == 302  # back to log in


def test_the_link_comes_from_configuration_never_from_the_host_header(client, make_user, inbox):
    user = make_user()
    _ask(client, user.email, base_url="http://evil.example", headers={"Host": "evil.example"})
    body = inbox.wait()[-1].get_content()
    assert "evil.example" not in body
    assert LINK.search(body)


def _without_tokens(response) -> str:
    """The page as a fan reads it: CSRF tokens carry the second they were made."""
    return re.sub(
        r'(name="csrf_token"[^>]*value|name="csrf-token" content)="[^"]*"',
        "",
        response.get_data(as_text=True),
    )


def test_unknown_addresses_get_the_same_answer_and_no_mail(client, make_user, inbox):
    user = make_user()
    unknown = _ask(client, "nobody@example.com", follow_redirects=True)
    known = _ask(client, user.email, follow_redirects=True)
    assert unknown.status_code == known.status_code == 200
    assert _without_tokens(unknown) == _without_tokens(known)
    messages = inbox.wait()
    time.sleep(0.3)  # give a (wrong) second mail the chance to arrive
    assert [m["To"] for m in messages] == [user.email]


def test_the_link_expires(client, make_user, inbox, app, monkeypatch):
    user = make_user()
    _ask(client, user.email)
    path = _reset_path(inbox, user)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.get(path, follow_redirects=True)
    assert "expired or was already used" in response.get_data(as_text=True)


def _forged_tokens(app: Flask, user: User) -> list[str]:
    key = app.config["SECRET_KEY"]
    return [
        "not-a-token",
        URLSafeTimedSerializer("a-guessed-key", salt="password-reset").dumps([user.id, "x"]),
        URLSafeTimedSerializer(key, salt="another-purpose").dumps([user.id, "x"]),
        URLSafeTimedSerializer(key, salt="password-reset").dumps([user.id, "stale"]),
        URLSafeTimedSerializer(key, salt="password-reset").dumps(["1", "x"]),
        URLSafeTimedSerializer(key, salt="password-reset").dumps({"id": user.id}),
    ]


@pytest.mark.parametrize("which", range(6))
def test_forged_or_stale_tokens_change_nothing(app, client, make_user, which):
    user = make_user()
    token = _forged_tokens(app, user)[which]
    response = client.post(f"/password/reset/{token}", data={"password": NEW_PASSWORD},
                           follow_redirects=True)  # fmt: skip
    assert "expired or was already used" in response.get_data(as_text=True)
    assert _password_works(client, user, PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "Field must be between 10 and 200"), ("password123456", "Pick a less common")],
)
def test_a_weak_new_password_is_refused_and_the_link_still_works(
    client, make_user, inbox, password, message
):
    user = make_user()
    _ask(client, user.email)
    path = _reset_path(inbox, user)
    response = client.post(path, data={"password": password})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302


@pytest.mark.parametrize("address", ["", "not-an-address", "a@b@c"])
def test_a_malformed_address_is_refused_in_the_form(client, address):
    response = client.post("/password/forgot", data={"email": address})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)


def test_without_a_mail_server_the_mail_is_written_to_the_log(client, make_user, app, caplog):
    assert not app.config["MAIL_SERVER"]
    user = make_user()
    _ask(client, user.email)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "MAIL_SERVER is not set" in logged
    assert "/password/reset/" in logged and user.email in logged


def test_the_reset_bumps_the_session_version(app, client, make_user, inbox):
    user = make_user()
    _ask(client, user.email)
    client.post(_reset_path(inbox, user), data={"password": NEW_PASSWORD})
    with app.app_context():
        assert db.session.get(User, user.id).session_version == user.session_version + 1


@pytest.mark.parametrize("server", ["smtp.example.com", "192.0.2.25", "[::ffff:192.0.2.25]"])
def test_no_test_can_send_mail_beyond_this_machine(server):
    """The suite's guard: whatever MAIL_SERVER a developer's environment sets, SMTP reaches
    only a loopback server (the aiosmtpd inbox above)."""
    with pytest.raises(ConnectionRefusedError, match="beyond this machine"):
        smtplib.SMTP(server.strip("[]"), 25, timeout=1)


def test_the_tests_ignore_the_mail_server_of_the_environment():
    env = {**os.environ, "MAIL_SERVER": "smtp.example.com"}
    code = "import config; print(config.Config.MAIL_SERVER, config.TestConfig.MAIL_SERVER)"
    found = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert found.stdout.split() == ["smtp.example.com", "None"]
