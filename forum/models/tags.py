from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow


class Tag(db.Model):
    """A character, motif or place (`rooney`, `ruska-roma`, `mirrors`): one name for the
    whole site, so a motif's page gathers its threads from every film. Names are
    normalized (services/tags.py): `Ruska Roma`, `ruska_roma` and `ruska-roma` are one tag.

    A tag merged into another, or the old name of a renamed one, stays as a row pointing
    at the tag that replaced it (`merged_into_id`): old links and new threads that use the
    old name land on the live tag."""

    __tablename__ = "tags"
    __table_args__ = (Index("ix_tags_used", "thread_count", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    # Live threads with this tag (removed and deleted ones leave the count), kept in SQL.
    thread_count: Mapped[int] = mapped_column(default=0, server_default="0")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_alias(self) -> bool:
        return self.merged_into_id is not None
