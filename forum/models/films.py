from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db

SPOILER_WINDOW_DAYS = 30  # a new film's spoiler window, in days after its release date


class Universe(db.Model):
    """A franchise that groups films, such as the John Wick films."""

    __tablename__ = "universes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")

    films: Mapped[list[Film]] = relationship(
        back_populates="universe", order_by="Film.timeline_order, Film.year, Film.id"
    )


class Film(db.Model):
    """A film: one board of threads."""

    __tablename__ = "films"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    release_date: Mapped[date | None] = mapped_column(Date)
    universe_id: Mapped[int | None] = mapped_column(ForeignKey("universes.id"), index=True)
    # In-story chronology inside the universe (can differ from release order).
    timeline_order: Mapped[int | None]
    synopsis: Mapped[str] = mapped_column(Text, default="")
    thread_count: Mapped[int] = mapped_column(default=0)
    # Threads started within this many days of the release date are spoiler-flagged by default.
    spoiler_window_days: Mapped[int] = mapped_column(
        default=SPOILER_WINDOW_DAYS, server_default=str(SPOILER_WINDOW_DAYS)
    )

    # Its length, set by admins: a scene timestamp past it is left as text.
    runtime_minutes: Mapped[int | None]

    universe: Mapped[Universe | None] = relationship(back_populates="films")

    def in_spoiler_window(self, moment: datetime) -> bool:
        """Whether a thread started at `moment` falls within the film's spoiler window:
        from its release date (or before it) to `spoiler_window_days` days after."""
        if self.release_date is None:
            return False
        return moment.date() <= self.release_date + timedelta(days=self.spoiler_window_days)
