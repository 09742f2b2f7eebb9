"""Search: live threads and replies whose text contains the words, newest first.

Portable (LIKE on SQLite, ILIKE on PostgreSQL) and exact: a thread or reply is found as
soon as it is written. Paginated by keyset on (created_at, type, id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import Film, Post, Thread, ThreadKind
from forum.services import markup
from forum.services.errors import BadRequest, Invalid
from forum.services.pagination import Page, decode_cursor, encode_cursor

MAX_QUERY = 200
# A thread flagged as spoilers (and its replies) never shows its text in results.
SPOILER_SNIPPET = "This thread has spoilers: open it to read."


@dataclass
class Hit:
    thread: Thread
    post: Post | None
    snippet: str


def search(
    words: str,
    film: Film | None = None,
    kind: ThreadKind | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> Page[Hit]:
    """One page of live threads and replies containing `words` (any case)."""
    words = (words or "").strip()
    if not 1 <= len(words) <= MAX_QUERY:
        raise Invalid("What are you looking for?", {"q": f"1–{MAX_QUERY} characters."})
    matches = _matches(words, film, kind).subquery()
    query = select(matches.c.type, matches.c.id, matches.c.created_at)
    if cursor:
        query = query.where(_after(matches, _cursor_values(cursor)))
    order = (matches.c.created_at.desc(), matches.c.type.desc(), matches.c.id.desc())
    rows = db.session.execute(query.order_by(*order).limit(limit + 1)).all()
    hits = _load(rows[:limit], words)
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor("search", [last.created_at, last.type, last.id]) if last else None
    return Page(hits, next_cursor)


def _matches(words: str, film: Film | None, kind: ThreadKind | None):
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    live_thread = and_(Thread.removed.is_(False), Thread.deleted.is_(False))
    if film is not None:
        live_thread = and_(live_thread, Thread.film_id == film.id)
    if kind is not None:
        live_thread = and_(live_thread, Thread.kind == kind)
    threads = select(literal("thread").label("type"), Thread.id.label("id"),
                     Thread.created_at.label("created_at")).where(
        live_thread,
        or_(Thread.title.ilike(pattern, escape="\\"), Thread.body.ilike(pattern, escape="\\")),
    )  # fmt: skip
    posts = (
        select(literal("post").label("type"), Post.id.label("id"),
               Post.created_at.label("created_at"))
        .join(Thread, Post.thread_id == Thread.id)
        .where(live_thread, Post.removed.is_(False), Post.deleted.is_(False),
               Post.body.ilike(pattern, escape="\\"))
    )  # fmt: skip
    return union_all(threads, posts)


def _cursor_values(cursor: str) -> tuple[datetime, str, int]:
    values = decode_cursor(cursor, "search")
    try:
        moment, kind, item_id = values
        if kind not in ("thread", "post") or not isinstance(item_id, int):
            raise ValueError
        return datetime.fromisoformat(moment), kind, item_id
    except (TypeError, ValueError) as err:
        raise BadRequest("That page link is not valid.", {"cursor": "not a valid cursor"}) from err


def _after(matches, values: tuple[datetime, str, int]):
    moment, kind, item_id = values
    c = matches.c
    return or_(
        c.created_at < moment,
        and_(c.created_at == moment, c.type < kind),
        and_(c.created_at == moment, c.type == kind, c.id < item_id),
    )


def _load(rows, words: str) -> list[Hit]:
    """The threads and replies of a page: two queries whatever its size."""
    post_ids = [row.id for row in rows if row.type == "post"]
    posts = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_(post_ids)).options(joinedload(Post.author))
    )} if post_ids else {}  # fmt: skip
    thread_ids = {row.id for row in rows if row.type == "thread"}
    thread_ids |= {p.thread_id for p in posts.values()}
    threads = {t.id: t for t in db.session.scalars(
        select(Thread).where(Thread.id.in_(thread_ids)).options(
            joinedload(Thread.author), joinedload(Thread.film), selectinload(Thread.tag_rows))
    )} if thread_ids else {}  # fmt: skip
    hits = []
    for row in rows:
        post = posts.get(row.id) if row.type == "post" else None
        thread = threads[post.thread_id if post else row.id]
        text = SPOILER_SNIPPET if thread.spoiler else snippet((post or thread).body_html, words)
        hits.append(Hit(thread, post, text))
    return hits


def snippet(html: str, words: str, width: int = 200) -> str:
    """A short plain-text window around the first match (spoilers stay hidden)."""
    text = markup.plain_text(html, limit=10**6)
    at = max(text.lower().find(words.lower()), 0)
    start = max(at - width // 3, 0)
    window = text[start : start + width].strip()
    return ("…" if start else "") + window + ("…" if start + width < len(text) else "")
