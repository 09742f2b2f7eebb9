from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow
from forum.models.films import Film
from forum.models.threads import Post, TheoryStatus, Thread, _enum
from forum.models.users import User


class SceneCitation(db.Model):
    """A scene timestamp (`[1:42:10]`) in a thread's text (`post_id` NULL) or in a reply,
    stored at write time (and again at each edit) so a film's scene index is one query."""

    __tablename__ = "scene_citations"
    __table_args__ = (
        Index("ix_scene_citations_film", "film_id", "seconds", "id"),
        Index("ix_scene_citations_thread", "thread_id", "seconds"),
        Index("ix_scene_citations_post", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    seconds: Mapped[int]
    # Inside an inline spoiler: listed only for viewers who may read the film's spoilers.
    in_spoiler: Mapped[bool] = mapped_column(Boolean, default=False)

    thread: Mapped[Thread] = relationship()
    post: Mapped[Post | None] = relationship()


class StatusChange(db.Model):
    """One change of a theory's status: who, when, the note, and optionally the film and
    the moment in it that settled it. A theory's history is its changes, oldest first."""

    __tablename__ = "theory_status_changes"
    __table_args__ = (Index("ix_theory_status_changes_thread", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[TheoryStatus] = mapped_column(_enum(TheoryStatus))
    previous: Mapped[TheoryStatus | None] = mapped_column(_enum(TheoryStatus))
    note: Mapped[str | None] = mapped_column(String(500))
    film_id: Mapped[int | None] = mapped_column(ForeignKey("films.id"))
    seconds: Mapped[int | None]  # the moment in `film` that settled it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    moderator: Mapped[User] = relationship()
    film: Mapped[Film | None] = relationship()
