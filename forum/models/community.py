"""What a fan hears about (Notification), follows (Follow) and never wants to see (Mute)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow
from forum.models.films import Film
from forum.models.threads import Post, Thread
from forum.models.users import User


class NotificationKind(enum.StrEnum):
    REPLY = "reply"  # to your thread or to your reply
    MENTION = "mention"  # @you in a thread or a reply
    STATUS = "status"  # your theory's status changed
    MODERATION = "moderation"  # your writing was locked, removed or restored
    ACTIVITY = "activity"  # a new thread or reply in something you follow


class Notification(db.Model):
    """One thing one fan hears about. Written by one INSERT … SELECT per event, whatever
    the number of recipients (services/notifications.py); read newest first, keyset-paged."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user", "user_id", "id"),
        Index("ix_notifications_unread", "user_id", "read", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[NotificationKind] = mapped_column(
        db.Enum(
            NotificationKind,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    # No foreign keys but the recipient's: a reply to a thread with 10,000 followers writes
    # 10,000 rows, and PostgreSQL's check of three more keys per row tripled its time
    # (README "Notifications"). The rows these name are never deleted (only flagged).
    actor_id: Mapped[int | None] = mapped_column()
    thread_id: Mapped[int] = mapped_column()
    post_id: Mapped[int | None] = mapped_column()
    # a status change's note or a moderation action's word ("removed: off topic")
    note: Mapped[str | None] = mapped_column(String(500))
    read: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship(
        primaryjoin="foreign(Notification.actor_id) == User.id", viewonly=True
    )
    thread: Mapped[Thread] = relationship(
        primaryjoin="foreign(Notification.thread_id) == Thread.id", viewonly=True
    )
    post: Mapped[Post | None] = relationship(
        primaryjoin="foreign(Notification.post_id) == Post.id", viewonly=True
    )


class Follow(db.Model):
    """A fan following a thread, a film's board or a tag (by its normalized name).
    `active` false keeps an explicit "stop following" so replying doesn't follow again."""

    __tablename__ = "follows"
    __table_args__ = (
        Index("uq_follows_thread", "user_id", "thread_id", unique=True),
        Index("uq_follows_film", "user_id", "film_id", unique=True),
        Index("uq_follows_tag", "user_id", "tag", unique=True),
        Index("ix_follows_thread", "thread_id", "active"),
        Index("ix_follows_film", "film_id", "active"),
        Index("ix_follows_tag", "tag", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"))
    film_id: Mapped[int | None] = mapped_column(ForeignKey("films.id"))
    tag: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    thread: Mapped[Thread | None] = relationship()
    film: Mapped[Film | None] = relationship()


class Mute(db.Model):
    """A fan muting a user (collapsed, cannot notify them), a film or a tag (off their
    front page). Exactly one of the three targets is set."""

    __tablename__ = "mutes"
    __table_args__ = (
        Index("uq_mutes_user", "user_id", "muted_user_id", unique=True),
        Index("uq_mutes_film", "user_id", "film_id", unique=True),
        Index("uq_mutes_tag", "user_id", "tag", unique=True),
        Index("ix_mutes_muted_user", "muted_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    muted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    film_id: Mapped[int | None] = mapped_column(ForeignKey("films.id"))
    tag: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    muted_user: Mapped[User | None] = relationship(foreign_keys=[muted_user_id])
    film: Mapped[Film | None] = relationship()
