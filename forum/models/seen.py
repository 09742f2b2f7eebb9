from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow


class Seen(db.Model):
    """A fan's mark that they have seen a film: it opens that film's spoilers to them."""

    __tablename__ = "seen"

    # One mark per fan and film; the key also answers "which films has this fan seen".
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
