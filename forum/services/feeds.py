"""What the Atom feeds list: the newest live threads of the whole site, a board, a tag or
a user, and the newest live replies of a thread. One query each, bounded by `limit`.
Feeds are public, so every entry is what a signed-out reader may read (the spoiler-free
HTML; nothing of a spoiler-flagged thread's body or replies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Film, Post, Thread, User
from forum.services import threads as thread_service

WITHHELD = "<p>Spoilers for {film} are withheld from feeds: read it on the site.</p>"


@dataclass
class Entry:
    key: str  # "thread-12", "post-34": the stable part of the entry's id
    title: str
    author: str | None
    published: datetime
    updated: datetime
    content_html: str
    thread: Thread
    post: Post | None = None


def thread_entry(thread: Thread) -> Entry:
    content = WITHHELD.format(film=thread.film.title) if thread.spoiler else thread.body_safe_html
    return Entry(
        f"thread-{thread.id}",
        thread.title,  # always spoiler-free
        thread.author.username if thread.author else None,
        thread.created_at,
        thread.edited_at or thread.created_at,
        content,
        thread,
    )


def post_entry(post: Post) -> Entry:
    thread = post.thread
    content = WITHHELD.format(film=thread.film.title) if thread.spoiler else post.body_safe_html
    return Entry(
        f"post-{post.id}",
        f"{post.author.username} replied in {thread.title}",
        post.author.username,
        post.created_at,
        post.edited_at or post.created_at,
        content,
        thread,
        post,
    )


def newest_threads(film: Film | None = None, tag: str | None = None, limit: int = 30):
    _, page = thread_service.board_page(film, sort="new", tag=tag, limit=limit)
    return [thread_entry(t) for t in page.items]


def user_entries(user: User, limit: int = 30) -> list[Entry]:
    """A user's newest live threads and replies, together, newest first: two queries."""
    made = thread_service.user_threads(user, limit=limit).items
    posts = db.session.scalars(
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user.id, Post.removed.is_(False), Post.deleted.is_(False))
        .where(Thread.removed.is_(False), Thread.deleted.is_(False))
        .options(joinedload(Post.author), joinedload(Post.thread).joinedload(Thread.film))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(limit)
    )
    entries = [thread_entry(t) for t in made] + [post_entry(p) for p in posts]
    return sorted(entries, key=lambda e: e.published, reverse=True)[:limit]


def thread_entries(thread: Thread, limit: int = 30) -> list[Entry]:
    """A thread's newest live replies, and the thread itself when it is among them."""
    posts = list(
        db.session.scalars(
            select(Post)
            .where(Post.thread_id == thread.id, Post.removed.is_(False), Post.deleted.is_(False))
            .options(joinedload(Post.author))
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(limit)
        )
    )
    entries = [post_entry(p) for p in posts]
    if len(entries) < limit:
        entries.append(thread_entry(thread))
    return entries
