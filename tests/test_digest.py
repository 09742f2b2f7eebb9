"""The daily e-mail digest: opt-in, only with MAIL_SERVER, spoiler-free, with a signed
one-click unsubscribe link; delivered through a real SMTP server on loopback."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import Thread, User
from forum.services import digest, following
from tests.test_password_reset import BASE_URL, Inbox, inbox  # noqa: F401 - the fixture

UNSUBSCRIBE = re.compile(r"https://subtext\.example(/notifications/unsubscribe/\S+)")


def _run(app) -> str:
    result = app.test_cli_runner().invoke(args=["notify", "digest"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _opt_in(app, user) -> None:
    with app.app_context():
        db.session.get(User, user.id).email_digest = True
        db.session.commit()


@pytest.fixture
def story(app, make_user, make_film, make_thread, make_reply):
    fan = make_user("digester")
    film = make_film()
    thread = make_thread(author=fan, film=film, title="The coin is a contract")
    secret = make_thread(film=film, spoiler=True, title="A spoiler-free title",
                         spoiler_title="Rooney is the Director's daughter")  # fmt: skip
    with app.app_context():
        following.follow_thread(db.session.get(User, fan.id), db.session.get(Thread, secret.id))
    make_reply(thread, body="first @digester")
    make_reply(thread)
    make_reply(secret, body="the daughter, in the last scene")
    return {"fan": fan, "thread": thread}


def test_an_opted_in_fan_gets_one_spoiler_free_digest_with_an_unsubscribe_link(
    app,
    client,
    story,
    inbox: Inbox,  # noqa: F811
):
    _opt_in(app, story["fan"])
    assert "Sent 1 digest." in _run(app)
    mail = inbox.wait()[-1]
    text = mail.get_content()
    assert mail["To"] == "digester@example.com"
    assert "“The coin is a contract”" in text and "A spoiler-free title" in text
    assert "daughter" not in text and "Rooney" not in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = UNSUBSCRIBE.search(text).group(1)
    assert mail["List-Unsubscribe"] == f"<{BASE_URL}{path}>"
    assert "Sent 0 digests." in _run(app)  # nothing new since the last one
    assert client.get(path).status_code == 200  # a page with a button: nothing changed yet
    with app.app_context():
        assert db.session.get(User, story["fan"].id).email_digest is True
    assert client.post(path).status_code == 200  # one click from the mail app: no CSRF token
    with app.app_context():
        assert db.session.get(User, story["fan"].id).email_digest is False


def test_no_digest_without_opting_in(app, story, inbox: Inbox):  # noqa: F811
    assert "Sent 0 digests." in _run(app)
    assert inbox.messages == []


def test_no_digest_without_a_mail_server(app, story):
    _opt_in(app, story["fan"])
    assert "MAIL_SERVER is not set" in _run(app)


def test_a_forged_unsubscribe_link_changes_nothing(app, client, story):
    _opt_in(app, story["fan"])
    with app.app_context():
        token = digest.unsubscribe_token(db.session.get(User, story["fan"].id))
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/notifications/unsubscribe/{forged}").status_code == 404
    with app.app_context():
        assert db.session.get(User, story["fan"].id).email_digest is True


def test_the_digest_switch_is_offered_only_with_a_mail_server(
    client,
    make_user,
    login,
    inbox: Inbox,  # noqa: F811
):
    login(make_user())
    assert "A daily e-mail of my unread notifications" in client.get("/account").text
