"""Accounts: sign up, log in, change password (roles and bans: user_moderation).

E-mail addresses are not unique to one account, so sign-up and the e-mail change answer
the same whether or not an address is already in use: nobody can test addresses through
them. The accounts that already use the address hear about it by mail instead."""

from __future__ import annotations

import re
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from forum.extensions import db
from forum.mail import send_mail
from forum.models import Role, User
from forum.services import seen, tokens
from forum.services.errors import Conflict, Invalid, NotFound


class WrongPassword(Invalid):
    """The current password given to confirm a change is not the account's."""


OWNER_MAIL = """Hello {username},

someone just {what} on Subtext with this e-mail address.

Your account, {username}, is unchanged: its password and e-mail address are as they were.
Nobody can sign in to it with this address, and password-reset links for every account
on this address come to you.

If that was you, there is nothing to do.
"""

USERNAME_RE = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 200


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    """A hash of a password nobody has, so a log-in for an unknown user costs the same."""
    return generate_password_hash("not-a-real-password-for-timing", method=method)


def username_problem(username: str) -> str | None:
    if not USERNAME_RE.match(username or ""):
        return "3–30 characters: letters, digits, _ and - only."
    return None


def password_problem(password: str, username: str = "") -> str | None:
    if len(password or "") < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"Use at most {MAX_PASSWORD} characters."
    # zxcvbn knows the common-password lists, keyboard walks, repeats and dates.
    # zxcvbn refuses passwords over 72 characters; their first 72 tell enough.
    verdict = zxcvbn(password[:72], user_inputs=[username] if username else [])
    if verdict["score"] < 2:
        warning = verdict["feedback"]["warning"] or "It is too easy to guess."
        return f"{warning.rstrip('.')}. Pick a less common password."
    return None


def normalize_email(email: str) -> str:
    try:
        return validate_email(email or "", check_deliverability=False).normalized
    except EmailNotValidError as err:
        raise Invalid("That e-mail address is not valid.", {"email": str(err)}) from err


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def get_user(username: str) -> User:
    user = find_user(username) if USERNAME_RE.fullmatch(username or "") else None
    if user is None:
        raise NotFound("No such user.")
    return user


def sign_up(username: str, email: str, password: str, role: Role = Role.MEMBER) -> User:
    """Create an account. Every field is checked in one pass: Invalid names each bad
    field (a taken username too); Conflict when the only problem is the username taken.
    An address already in use is accepted and its owners get a mail, so the answer never
    tells whether an address has an account."""
    username = (username or "").strip()
    email, problems = _sign_up_problems(username, (email or "").strip(), password)
    if problems:
        if problems == {"username": TAKEN_USERNAME}:
            raise Conflict(" ".join(problems.values()), problems)
        raise Invalid("Please fix the marked fields.", problems)
    owners = users_with_email(email)
    user = User(username=username, email=email, role=role, password_hash=_hash(password))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as err:  # the same name signed up a moment ago
        db.session.rollback()
        raise Conflict("That username is taken.", {"username": "That username is taken."}) from err
    _tell_owners(owners, "signed up for a new account")
    return user


def users_with_email(email: str) -> list[User]:
    """Every account using this e-mail address, whatever its case."""
    return list(
        db.session.scalars(
            select(User)
            .where(func.lower(User.email) == (email or "").strip().lower())
            .order_by(User.id)
        )
    )


def _tell_owners(owners: list[User], what: str) -> None:
    """Mail the accounts already using an address that another account now uses it."""
    for owner in owners:
        body = OWNER_MAIL.format(username=owner.username, what=what)
        send_mail(owner.email, "Your e-mail address was used on Subtext", body)


TAKEN_USERNAME = "That username is taken."


def _sign_up_problems(username: str, email: str, password: str) -> tuple[str, dict[str, str]]:
    """The normalized e-mail address and what is wrong with each field, all at once."""
    problems = {}
    if problem := username_problem(username):
        problems["username"] = problem
    elif find_user(username) is not None:
        problems["username"] = TAKEN_USERNAME
    try:  # an address in use is not a problem: its owners are told by mail instead
        email = normalize_email(email)
    except Invalid as err:
        problems.update(err.fields)
    if problem := password_problem(password, username):
        problems["password"] = problem
    return email, problems


def authenticate(username: str, password: str) -> User | None:
    """The user, or None. Same work and same answer whether or not the user exists."""
    user = find_user((username or "").strip()) if USERNAME_RE.match(username or "") else None
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change a password (re-asks the current one) and end every other session."""
    if not check_password_hash(user.password_hash, current or ""):
        raise WrongPassword("Your current password is not right.", {"current": "Not right."})
    if problem := password_problem(new, user.username):
        raise Invalid("Please pick another password.", {"new": problem})
    set_password(user, new)


def set_password(user: User, password: str) -> None:
    """Store a new (already checked) password, end every session of the user and revoke
    every API token: nothing made with the old password outlives it."""
    user.password_hash = _hash(password)
    tokens.revoke_all(user)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session and remember-me cookie carries the old
    session version, which `load_session_user` then refuses."""
    user.session_version = User.session_version + 1
    db.session.commit()
    db.session.refresh(user)


def change_email(user: User, password: str, new_email: str) -> User:
    """Change the account's e-mail address (re-asks the password). The same answer
    whether or not another account uses the address; that account is told by mail."""
    if not check_password_hash(user.password_hash, password or ""):
        raise WrongPassword("Your password is not right.", {"password": "Not right."})
    try:
        email = normalize_email((new_email or "").strip())
    except Invalid as err:
        raise Invalid("That e-mail address is not valid.", err.fields) from err
    owners = [owner for owner in users_with_email(email) if owner.id != user.id]
    user.email = email
    db.session.commit()
    _tell_owners(owners, "made it the address of another account")
    return user


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: `id:version`; an old version means a logged-out session."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    from forum.services import following, notifications

    uid = int(user_id)
    query = (
        select(User)
        .where(User.id == uid)
        .options(
            seen.with_seen_ids(),  # the films they marked seen: every page asks
            following.with_marks(),  # what they muted and the films they follow
            notifications.with_unread(uid),  # the header's count
        )
    )
    user = db.session.scalar(query)
    if user is None or user.session_version != int(version):
        return None
    return user


NOTIFICATION_SWITCHES = (
    "notify_reply",
    "notify_mention",
    "notify_status",
    "notify_moderation",
    "notify_activity",
    "auto_follow",
    "email_digest",
)


def set_notification_switches(user: User, **switches: bool) -> None:
    """Turn kinds of notification, following by default and the e-mail digest on or off."""
    for name, on in switches.items():
        if name not in NOTIFICATION_SWITCHES:
            raise Invalid("Unknown setting.", {name: "Not a notification setting."})
        setattr(user, name, bool(on))
    db.session.commit()
