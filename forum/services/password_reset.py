"""Password reset by e-mail: a signed, expiring, single-use link.

The token signs the user's id and a fingerprint of their current password hash, so it
stops working the moment the password changes (it is single-use) and after
PASSWORD_RESET_MAX_AGE seconds. Asking for a link answers the same whether or not the
address has an account; only the mailbox learns the answer.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from forum.extensions import db
from forum.mail import send_mail
from forum.models import User
from forum.services import accounts
from forum.services.errors import Invalid

EXPIRED = "This reset link has expired or was already used. Please ask for a new one."
MAIL = """Hello {username},

someone (hopefully you) asked to reset your Subtext password. Choose a new one here:

{link}

The link works once, for {minutes} minutes. If you didn't ask, ignore this mail:
your password stays as it is.
"""


def request_password_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link to each account with this address (one mail per account), if
    there is one. `link_for(token)` makes the absolute link (from configuration, never
    from the request)."""
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    for user in accounts.users_with_email(email):
        link = link_for(reset_token(user))
        body = MAIL.format(username=user.username, link=link, minutes=minutes)
        send_mail(user.email, "Reset your Subtext password", body)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset link's token and end every session of the user."""
    user = user_for_token(token)
    if problem := accounts.password_problem(new_password, user.username):
        raise Invalid("Please pick another password.", {"password": problem})
    accounts.set_password(user, new_password)
    return user


def reset_token(user: User) -> str:
    return _serializer().dumps([user.id, _fingerprint(user)])


def user_for_token(token: str) -> User:
    """The user a valid, unused, unexpired token is for; Invalid otherwise."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        user_id, fingerprint = _serializer().loads(token or "", max_age=max_age)
    except (BadSignature, ValueError, TypeError) as err:
        raise Invalid(EXPIRED) from err
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not hmac.compare_digest(str(fingerprint), _fingerprint(user)):
        raise Invalid(EXPIRED)
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _fingerprint(user: User) -> str:
    """Changes whenever the password does (each hash has a fresh salt)."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]
