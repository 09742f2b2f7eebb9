from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from forum.extensions import db
from forum.models.base import UTCDateTime, utcnow
from forum.models.films import Film
from forum.models.tags import Tag
from forum.models.text import excerpt
from forum.models.users import User

if TYPE_CHECKING:
    from forum.models.scenes import StatusChange


def _enum(cls: type[enum.Enum], length: int = 16) -> db.Enum:
    return db.Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class ThreadKind(enum.StrEnum):
    THEORY = "theory"
    SYMBOLISM = "symbolism"
    DISCUSSION = "discussion"
    QUESTION = "question"


class TheoryStatus(enum.StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DEBUNKED = "debunked"


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        # One index per board sort: a board page is one indexed range scan.
        Index("ix_threads_film_hot", "film_id", "hot", "id"),
        Index("ix_threads_film_created", "film_id", "created_at", "id"),
        Index("ix_threads_film_score", "film_id", "score", "id"),
        Index("ix_threads_film_controversy", "film_id", "controversy", "id"),
        Index("ix_threads_film_activity", "film_id", "last_activity_at", "id"),
        Index("ix_threads_hot", "hot", "id"),
        Index("ix_threads_created", "created_at", "id"),
        Index("ix_threads_author", "author_id", "created_at"),
        # The front page (every board) sorts by these too.
        Index("ix_threads_score", "score", "id"),
        Index("ix_threads_controversy", "controversy", "id"),
        Index("ix_threads_activity", "last_activity_at", "id"),
        # Pinned threads open a board's first page: found without scanning the board.
        Index("ix_threads_film_pinned", "film_id", "pinned", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[ThreadKind] = mapped_column(_enum(ThreadKind), default=ThreadKind.DISCUSSION)
    status: Mapped[TheoryStatus | None] = mapped_column(_enum(TheoryStatus))
    status_note: Mapped[str | None] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(200))  # always spoiler-free
    # The full title of a spoiler-flagged thread, for viewers who may read its spoilers.
    spoiler_title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # what the user typed
    body_html: Mapped[str] = mapped_column(Text)  # markup.render(body), made at write time
    # markup.render(body).text: plain, spoiler-free; what search matches and excerpts show
    body_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # markup.render(body).safe_html: each inline spoiler a placeholder, for viewers who may
    # not read the film's spoilers (API.md: withheld, not hidden)
    body_safe_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    spoiler: Mapped[bool] = mapped_column(Boolean, default=False)

    upvotes: Mapped[int] = mapped_column(default=0)
    downvotes: Mapped[int] = mapped_column(default=0)
    score: Mapped[int] = mapped_column(default=0)
    hot: Mapped[float] = mapped_column(default=0.0)
    controversy: Mapped[float] = mapped_column(default=0.0)
    reply_count: Mapped[int] = mapped_column(default=0)
    # Scene citations in its text and its replies (services/scenes.py keeps it in SQL): the
    # thread page asks which scenes it discusses only when there are some.
    cited_moments: Mapped[int] = mapped_column(default=0, server_default="0")

    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    lock_reason: Mapped[str | None] = mapped_column(String(500))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_reason: Mapped[str | None] = mapped_column(String(500))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    film: Mapped[Film] = relationship()
    author: Mapped[User] = relationship()
    # Whether the viewer follows it: loaded with the thread for a signed-in viewer
    # (threads.get_visible_thread), None otherwise.
    viewer_follows: Mapped[bool | None] = query_expression()
    # The site-wide tags (characters, motifs, places) it is about, by name.
    tag_list: Mapped[list[Tag]] = relationship(secondary="thread_tags", order_by="Tag.name")

    # A theory's status changes, oldest first (models/scenes.py).
    status_changes: Mapped[list[StatusChange]] = relationship(
        order_by="StatusChange.id", viewonly=True
    )

    @property
    def is_theory(self) -> bool:
        return self.kind == ThreadKind.THEORY

    @property
    def is_live(self) -> bool:
        return not (self.removed or self.deleted)

    @property
    def tags(self) -> list[str]:
        return [tag.name for tag in self.tag_list]

    @property
    def excerpt(self) -> str:
        """A line of the body for listings: spoiler-free, and none for a spoiler thread."""
        return "" if self.spoiler else excerpt(self.body_text)


class ThreadTag(db.Model):
    """A thread is about a tag (`rooney`, `mirrors`): one row per thread and tag. The
    index by tag gathers a tag's threads from every film (its tag page)."""

    __tablename__ = "thread_tags"
    __table_args__ = (Index("ix_thread_tags_tag", "tag_id", "thread_id"),)

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id"), primary_key=True)


class Post(db.Model):
    """A reply, to the thread (parent_id NULL, depth 0) or to another reply."""

    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_thread", "thread_id", "id"),
        Index("ix_posts_author", "author_id", "created_at"),
        # one page of a reply tree: siblings in the order of each sort (services/replies.py)
        Index("ix_posts_tree_best", "thread_id", "parent_id", "best", "score", "id"),
        Index("ix_posts_tree_new", "thread_id", "parent_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    depth: Mapped[int] = mapped_column(default=0)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # as Thread's
    body_safe_html: Mapped[str] = mapped_column(Text, default="", server_default="")  # as Thread's

    upvotes: Mapped[int] = mapped_column(default=0)
    downvotes: Mapped[int] = mapped_column(default=0)
    score: Mapped[int] = mapped_column(default=0)
    best: Mapped[float] = mapped_column(default=0.0)  # Wilson lower bound of the up share

    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_reason: Mapped[str | None] = mapped_column(String(500))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship()
    # replies directly under this one, counted by the query that loaded it (a page of the tree)
    child_count: Mapped[int | None] = query_expression()

    @property
    def is_live(self) -> bool:
        return not (self.removed or self.deleted)


class Revision(db.Model):
    """The earlier text of a thread or a reply, kept each time it is edited."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str | None] = mapped_column(String(200))
    spoiler_title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    body_safe_html: Mapped[str] = mapped_column(Text, default="", server_default="")  # as Thread's
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    editor: Mapped[User] = relationship()
