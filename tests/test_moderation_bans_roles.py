"""Bans (why and until when, refused everywhere, unban) and roles (web and console),
each logged once; the last admin can't be locked out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModAction, Role, User, utcnow
from forum.services import permissions, user_moderation
from forum.services.errors import Conflict, Forbidden, Invalid

UNTIL = datetime(2031, 3, 12, 14, 0, tzinfo=UTC)
WHY_AND_WHEN = "You are banned until 12 Mar 2031, 14:00 UTC. Reason: Spoilers in titles"
BAN_END = '<time datetime="2031-03-12T14:00:00Z">12 Mar 2031, 14:00 UTC</time>'  # on pages


def log(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(ModAction).order_by(ModAction.id)).all()
        return [
            (a.action, a.target_type, a.target_id, a.moderator.username, a.reason) for a in rows
        ]


def user_row(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def ban(app, user: User, mod: User) -> User:
    """Ban `user` until 12 Mar 2031, 14:00 UTC."""
    with app.app_context():
        user_moderation.ban_user(
            db.session.get(User, mod.id), db.session.get(User, user.id), "Spoilers in titles", UNTIL
        )
    return user


@pytest.fixture
def banned(app, make_user):
    """A member banned by a moderator until 12 Mar 2031, 14:00 UTC."""
    return ban(app, make_user(), make_user(role=Role.MODERATOR))


def test_a_moderator_bans_from_the_profile_with_reason_and_end(app, client, login, make_user):
    mod, fan = make_user(role=Role.MODERATOR), make_user()
    login(mod)
    profile = client.get(f"/u/{fan.username}").get_data(as_text=True)
    assert f'href="/u/{fan.username}/ban"' in profile
    response = client.post(
        f"/u/{fan.username}/ban", data={"reason": "Spoilers in titles", "until": "2031-03-12T14:00"}
    )
    assert response.status_code == 302
    row = user_row(app, fan.id)
    assert (row.ban_reason, row.banned_until) == ("Spoilers in titles", UNTIL)
    assert log(app) == [("ban", "user", fan.id, mod.username,
                         "Spoilers in titles (until 2031-03-12 14:00 UTC)")]  # fmt: skip
    profile = client.get(f"/u/{fan.username}").get_data(as_text=True)
    assert f"Banned until {BAN_END}. Reason: Spoilers in titles" in profile


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reason": "", "until": ""}, "This field is required."),
        ({"reason": "spam", "until": "2001-01-01T10:00"}, "Pick a time in the future."),
        ({"reason": "spam", "until": "next tuesday"}, "Not a valid datetime value."),
        ({"reason": "x" * 401, "until": ""}, "400 characters"),
    ],
)
def test_bad_ban_forms_are_refused_on_the_page(app, client, login, make_user, data, message):
    mod, fan = make_user(role=Role.MODERATOR), make_user()
    login(mod)
    response = client.post(f"/u/{fan.username}/ban", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert not user_row(app, fan.id).is_banned


def test_a_banned_user_sees_why_and_until_when_on_every_page(client, login, banned):
    login(banned)
    for url in ("/", f"/u/{banned.username}"):
        assert WHY_AND_WHEN in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize(
    "method, url, data",
    [
        ("POST", "/films/{film}/threads/new",
         {"title": "A new theory", "body": "text", "kind": "theory"}),
        ("POST", "/threads/{thread}/replies", {"body": "a reply"}),
        ("POST", "/threads/{own_thread}/edit", {"title": "Edited title", "body": "edited"}),
        ("POST", "/posts/{own_post}/edit", {"body": "edited"}),
        ("GET", "/threads/{thread}/report", None),
        ("POST", "/threads/{thread}/report", {"reason": "spam"}),
        ("POST", "/posts/{post}/report", {"reason": "spam"}),
        ("POST", "/threads/{thread}/vote", {"value": "1"}),
        ("POST", "/posts/{post}/vote", {"value": "-1"}),
    ],
)  # fmt: skip
def test_a_banned_user_is_refused_everywhere_with_why_and_until_when(
    app, client, login, make_user, make_film, make_thread, make_reply, method, url, data
):
    fan, film = make_user(), make_film()
    thread, own_thread = make_thread(film=film), make_thread(author=fan, film=film)
    ids = {"film": film.slug, "thread": thread.id, "post": make_reply(thread).id,
           "own_thread": own_thread.id, "own_post": make_reply(thread, author=fan).id}  # fmt: skip
    login(ban(app, fan, make_user(role=Role.MODERATOR)))
    response = client.open(url.format(**ids), method=method, data=data or {})
    assert response.status_code == 403
    assert WHY_AND_WHEN in response.get_data(as_text=True)


def test_a_ban_ends_by_itself(ctx, make_user, make_thread):
    fan, mod = make_user(), make_user(role=Role.MODERATOR)
    user_moderation.ban_user(mod, fan, "cool off", utcnow() + timedelta(hours=1))
    assert fan.is_banned and not permissions.can_start_thread(fan)
    fan.banned_until = utcnow() - timedelta(seconds=1)  # an hour later
    assert not fan.is_banned and permissions.can_start_thread(fan)


def test_unban_lets_the_user_post_again_and_is_logged(app, client, login, make_user, banned):
    mod = make_user(role=Role.MODERATOR)
    login(mod)
    profile = client.get(f"/u/{banned.username}").get_data(as_text=True)
    assert f'action="/u/{banned.username}/unban"' in profile and "Change the ban…" in profile
    ban_page = client.get(f"/u/{banned.username}/ban").get_data(as_text=True)
    assert f"Already banned until {BAN_END}: Spoilers in titles" in ban_page
    response = client.post(f"/u/{banned.username}/unban", data={"reason": "apologised"})
    assert response.status_code == 302
    assert log(app)[-1][:3] + log(app)[-1][4:] == ("unban", "user", banned.id, "apologised")
    assert not user_row(app, banned.id).is_banned
    assert client.post(f"/u/{banned.username}/unban").status_code == 409


def test_a_ban_on_a_banned_user_replaces_the_terms(ctx, make_user):
    fan, mod = make_user(), make_user(role=Role.MODERATOR)
    user_moderation.ban_user(mod, fan, "first", UNTIL)
    user_moderation.ban_user(mod, fan, "second, for good")
    assert (fan.ban_reason, fan.banned_until) == ("second, for good", None)
    assert "with no end date" in permissions.ban_message(fan)
    assert db.session.query(ModAction).count() == 2


def test_an_admin_changes_a_role_on_the_profile_and_it_is_logged(app, client, login, make_user):
    admin, fan = make_user(role=Role.ADMIN), make_user()
    login(admin)
    profile = client.get(f"/u/{fan.username}").get_data(as_text=True)
    assert f'action="/u/{fan.username}/role"' in profile
    response = client.post(f"/u/{fan.username}/role", data={"role": "moderator", "reason": "ok"})
    assert response.status_code == 302
    assert user_row(app, fan.id).role == Role.MODERATOR
    assert log(app) == [("set_role", "user", fan.id, admin.username, "member → moderator: ok")]
    again = client.post(f"/u/{fan.username}/role", data={"role": "moderator"})
    assert again.status_code == 409 and "already a moderator" in again.get_data(as_text=True)
    assert client.post(f"/u/{fan.username}/role", data={"role": "king"}).status_code == 422


def test_moderators_do_not_see_role_controls(client, login, make_user):
    login(make_user(role=Role.MODERATOR))
    fan = make_user()
    assert "/role" not in client.get(f"/u/{fan.username}").get_data(as_text=True)


def test_two_admins_can_not_demote_each_other_into_no_admin(ctx, make_user):
    first, second = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    user_moderation.set_role(first, second, Role.MEMBER)
    with pytest.raises(Forbidden):
        user_moderation.set_role(second, first, Role.MEMBER)
    assert first.role == Role.ADMIN


def test_stale_admin_is_refused_after_being_demoted_meanwhile(app, make_user):
    """`second` still looks like an admin in its own (stale) session; the row lock and
    re-read refuse it, so the last admin stays."""
    first, second = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    with app.app_context():
        user_moderation.set_role(db.session.get(User, first.id), db.session.get(User, second.id),
                                 Role.MEMBER)  # fmt: skip
    with app.app_context():
        stale = second  # loaded before the change, still role=admin
        assert stale.role == Role.ADMIN
        with pytest.raises(Forbidden):
            user_moderation.set_role(stale, db.session.get(User, first.id), Role.MEMBER)
    assert user_row(app, first.id).role == Role.ADMIN


def test_console_role_changes_are_logged_by_the_console_user(app, make_user):
    fan, admin = make_user(), make_user(role=Role.ADMIN)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "set-role", fan.username, "moderator"])
    assert result.exit_code == 0, result.output
    assert "is now moderator" in result.output
    assert log(app) == [("set_role", "user", fan.id, "[console]",
                         "member → moderator: from the command line")]  # fmt: skip
    result = runner.invoke(args=["users", "set-role", admin.username, "member"])
    assert result.exit_code != 0 and "last admin" in result.output
    assert user_row(app, admin.id).role == Role.ADMIN
    result = runner.invoke(args=["users", "set-role", "nobody-here", "member"])
    assert result.exit_code != 0 and "No user called nobody-here" in result.output


def test_the_console_user_can_not_log_in_or_be_registered(app, client, ctx):
    user_moderation.console_user()
    db.session.commit()
    response = client.post("/login", data={"username": "[console]", "password": "!"})
    assert response.status_code == 422
    from forum.services import accounts

    with pytest.raises(Invalid):
        accounts.sign_up("[console]", "someone@example.com", "a-long-test-passphrase")


@pytest.mark.parametrize(
    "role, message",
    [("king", "Unknown role."), (Role.ADMIN, None)],
)
def test_console_role_change_checks_the_role(ctx, make_user, role, message):
    fan = make_user()
    if message:
        with pytest.raises(Invalid, match=message):
            user_moderation.set_role_from_console(fan, role)
    else:
        user_moderation.set_role_from_console(fan, role)
        assert fan.role == Role.ADMIN
        with pytest.raises(Conflict):
            user_moderation.set_role_from_console(fan, role)
