"""API tokens: issue, look up, revoke. Only a SHA-256 of each token is stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import ApiToken, User, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def issue_token(user: User) -> str:
    """A new random bearer token for this user; the caller sees it once."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
    db.session.commit()
    return token


def find_token(token: str) -> ApiToken | None:
    """The stored token matching this bearer token, or None."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _digest(token))
        .options(joinedload(ApiToken.user))
    )


def touch_token(api_token: ApiToken) -> None:
    """Note the token's use (at most once a minute, to spare the database)."""
    now = utcnow()
    last = api_token.last_used_at
    if last is None or (now - last).total_seconds() > 60:
        api_token.last_used_at = now
        db.session.commit()


def revoke_token(api_token: ApiToken) -> None:
    db.session.delete(api_token)
    db.session.commit()
