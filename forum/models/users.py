from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, query_expression

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        db.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.MEMBER,
    )
    karma: Mapped[int] = mapped_column(default=0)
    # Bumped on log-out-everywhere and password change: old sessions and
    # remember-me cookies carry the old value and stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    banned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ban_reason: Mapped[str | None] = mapped_column(String(500))
    banned_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What the fan wants to hear about (the account page's switches; all on but e-mail).
    notify_reply: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_mention: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_status: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_moderation: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_activity: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    # follow your own threads and those you reply to
    auto_follow: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    email_digest: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # when the fan last looked at their Following page: what is new is newer than this
    following_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Loaded with the session's user only (services.seen.SEEN_IDS): the ids of the films
    # this fan marked seen, comma-separated, so a page does not ask for them again. None
    # when not loaded (or expired by a change to the marks).
    seen_film_ids_text: Mapped[str | None] = query_expression()
    # Loaded with the session's user only (services.following.with_marks): what this fan
    # muted and the films they follow, as "u<id>", "f<id>", "t<tag>" and "F<film id>",
    # separated by "/" (tags hold no "/"). None when not loaded.
    marks_text: Mapped[str | None] = query_expression()
    # The header's count of unread notifications (services.notifications.with_unread).
    unread_notifications: Mapped[int | None] = query_expression()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_banned(self) -> bool:
        if self.banned_at is None:
            return False
        return self.banned_until is None or self.banned_until > utcnow()

    def __repr__(self) -> str:
        return f"<User {self.username}>"


# Usernames are unique whatever their case. E-mail addresses are not unique (so sign-up
# can't be used to test whether an address has an account); the index finds them.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("ix_users_email_lower", func.lower(User.email))


class ApiToken(db.Model):
    """A bearer token for the JSON API; only a SHA-256 of the token is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: never

    user: Mapped[User] = db.relationship()
