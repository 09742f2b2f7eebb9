"""Moderating people: bans and roles. Each public function is one transaction that
writes exactly one ModAction (see `moderation.write_log`).

The last admin can't be locked out: nobody may ban an admin, an admin can't change their
own role (so the admin acting in the web stays one), every role change re-reads the
admins under a row lock taken in id order (two admins demoting each other at once run one
after the other, and the second is refused), and the console refuses to demote the last.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from forum.extensions import db
from forum.models import Role, User, utcnow
from forum.services import inputs
from forum.services.errors import Conflict, Forbidden, Invalid, parse_choice
from forum.services.moderation import check_reason, lock_row, write_log
from forum.services.permissions import can_ban, can_set_role, can_unban, require

MAX_BAN_REASON = 400  # the log keeps "<reason> (until <date>)" in 500 characters
CONSOLE_USERNAME = "[console]"  # not a valid sign-up name: nobody can register or log in


def ban_user(moderator: User, user: User, reason: str, until: datetime | None = None) -> User:
    """Ban a user with a reason, until a time or with no end. A banned user can read but
    not post, reply, vote or report. Banning again replaces the terms."""
    require(can_ban(moderator, user))
    reason = check_reason(reason, required=True, limit=MAX_BAN_REASON)
    until = check_until(until)
    user = lock_row(user)
    user.banned_at, user.ban_reason, user.banned_until = utcnow(), reason, until
    logged = f"{reason} (until {until:%Y-%m-%d %H:%M} UTC)" if until else reason
    write_log(moderator, "ban", user, logged)
    db.session.commit()
    return user


def unban_user(moderator: User, user: User, reason: str | None = None) -> User:
    require(can_unban(moderator, user))
    reason = check_reason(reason)
    user = lock_row(user)
    if not user.is_banned:
        raise Conflict(f"{user.username} is not banned.")
    user.banned_at = user.ban_reason = user.banned_until = None
    write_log(moderator, "unban", user, reason)
    db.session.commit()
    return user


def check_until(until: datetime | None) -> datetime | None:
    """A ban's end: a moment between now and the year 3000, as UTC (naive times are taken
    as UTC; offsets are converted, so the log shows the right UTC time)."""
    if until is None:
        return None
    now, latest = inputs.future()
    until = inputs.utc_moment(until, "until", None, latest, "ban end")
    if until <= now:
        raise Invalid("A ban ends in the future.", {"until": "Pick a time in the future."})
    return until


def set_role(admin: User, user: User, role: Role | str, reason: str | None = None) -> User:
    """An admin makes another user a member, moderator or admin."""
    role = parse_role(role)
    require(can_set_role(admin, user, role))
    reason = check_reason(reason, limit=MAX_BAN_REASON)
    admins = _lock_admins()
    if admin.id not in {a.id for a in admins}:  # demoted meanwhile by another admin
        raise Forbidden("Only admins change roles.")
    return _change_role(admin, user, role, reason, admins)


def set_role_from_console(user: User, role: Role | str) -> User:
    """`flask users set-role`: logged like a web change, by the "[console]" system user."""
    role = parse_role(role)
    return _change_role(console_user(), user, role, "from the command line", _lock_admins())


def parse_role(value: Role | str) -> Role:
    return parse_choice(Role, value, "role")


def console_user() -> User:
    """The system user that command-line changes are logged under (created once)."""
    user = db.session.scalar(select(User).where(User.username == CONSOLE_USERNAME))
    if user is None:
        user = User(
            username=CONSOLE_USERNAME,
            email="console@subtext.invalid",
            password_hash="!",
            role=Role.MEMBER,
        )
        db.session.add(user)
        db.session.flush()
    return user


def _lock_admins() -> list[User]:
    query = select(User).where(User.role == Role.ADMIN).order_by(User.id).with_for_update()
    return list(db.session.scalars(query.execution_options(populate_existing=True)))


def _change_role(actor: User, user: User, role: Role, reason: str | None, admins) -> User:
    user = lock_row(user)
    if user.role == role:
        raise Conflict(f"{user.username} is already {_article(role)} {role.value}.")
    if user.is_admin and [a.id for a in admins] == [user.id]:
        raise Conflict("That is the last admin: make someone else an admin first.")
    change = f"{user.role.value} → {role.value}"
    user.role = role
    write_log(actor, "set_role", user, f"{change}: {reason}" if reason else change)
    db.session.commit()
    return user


def _article(role: Role) -> str:
    return "an" if role == Role.ADMIN else "a"
