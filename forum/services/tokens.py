"""API tokens: issue, look up, list, revoke. Only a SHA-256 of each token is stored.

A token may be given an expiry when it is made; an expired token authenticates nothing.
A password change or reset revokes every token of the account (`revoke_all`)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import ApiToken, User, utcnow
from forum.services.errors import Invalid, NotFound

MAX_EXPIRY_DAYS = 366


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue_token(user: User, expires_in_days: int | None = None) -> str:
    """A new random bearer token for this user, valid for `expires_in_days` days (None:
    until revoked); the caller sees it once."""
    expires_at = None
    if expires_in_days is not None:
        if isinstance(expires_in_days, bool) or not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
            raise Invalid(
                "Please fix the token's lifetime.",
                {"expires_in_days": f"Whole days, 1 to {MAX_EXPIRY_DAYS}."},
            )
        expires_at = utcnow() + timedelta(days=expires_in_days)
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=expires_at))
    db.session.commit()
    return token


def find_token(token: str) -> ApiToken | None:
    """The stored, unexpired token matching this bearer token, or None."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _digest(token), _unexpired())
        .options(joinedload(ApiToken.user))
    )


def _unexpired():
    return or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow())


def touch_token(api_token: ApiToken) -> None:
    """Note the token's use (at most once a minute, to spare the database)."""
    now = utcnow()
    last = api_token.last_used_at
    if last is None or (now - last).total_seconds() > 60:
        api_token.last_used_at = now
        db.session.commit()


def user_tokens(user: User) -> list[ApiToken]:
    """The user's live tokens, newest first (expired ones are no longer listed)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, _unexpired())
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(api_token: ApiToken) -> None:
    db.session.delete(api_token)
    db.session.commit()


def revoke_user_token(user: User, token_id: int) -> None:
    """Revoke one of the user's tokens; NotFound when the id names no token of theirs."""
    if not 0 < token_id < 2**31:  # ids are 32-bit on PostgreSQL
        raise NotFound("No such token.")
    found = db.session.execute(
        delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).rowcount
    if not found:
        db.session.rollback()
        raise NotFound("No such token.")
    db.session.commit()


def revoke_all(user: User) -> None:
    """Revoke every token of the user (flushes; the caller commits)."""
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def revoke_all_tokens(user: User) -> None:
    """Revoke every token of the user, in its own transaction."""
    revoke_all(user)
    db.session.commit()
