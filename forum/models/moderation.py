from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow
from forum.models.users import User


class ModAction(db.Model):
    """One entry of the public moderation log. Written once, never edited."""

    __tablename__ = "mod_actions"
    __table_args__ = (Index("ix_mod_actions_created", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target_type: Mapped[str] = mapped_column(String(10))  # thread, post or user
    target_id: Mapped[int]
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    moderator: Mapped[User] = relationship()


class ReportCategory(enum.StrEnum):
    """What a fan says is wrong, picked from a list (a note can say more)."""

    UNTAGGED_SPOILER = "untagged_spoiler"
    OFF_TOPIC = "off_topic"
    HARASSMENT = "harassment"
    SPAM = "spam"
    OTHER = "other"

    @property
    def label(self) -> str:
        return REPORT_LABELS[self]


REPORT_LABELS = {
    ReportCategory.UNTAGGED_SPOILER: "Untagged spoiler",
    ReportCategory.OFF_TOPIC: "Off topic",
    ReportCategory.HARASSMENT: "Harassment",
    ReportCategory.SPAM: "Spam",
    ReportCategory.OTHER: "Something else",
}


class Report(db.Model):
    """A user's flag on a thread or a reply, for the moderators' queue."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_type", "target_id", name="uq_reports_once"),
        Index("ix_reports_status", "status", "id"),
        Index("ix_reports_status_category", "status", "category", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target_type: Mapped[str] = mapped_column(String(10))  # thread or post
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(500))  # the fan's note ("" when none)
    category: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    status: Mapped[str] = mapped_column(String(10), default="open")  # open/resolved/dismissed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
