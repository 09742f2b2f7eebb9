"""Scene timestamps: where a text's `[1:42:10]` links, the citations stored at write time,
and the two lists they make: a film's scene index (every moment its threads and replies
cite, in film order) and the scenes one thread discusses.

The spoiler rule (API.md) holds: a citation inside an inline spoiler, or anywhere in a
spoiler-flagged thread, is listed only for viewers who may read the film's spoilers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, delete, func, insert, or_, select, true, update
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Film, Post, SceneCitation, Thread
from forum.services import notifications
from forum.services.errors import Invalid
from forum.services.markup import Rendered, SceneLinks, format_moment
from forum.services.pagination import Page, keyset_page

MAX_THREAD_SCENES = 50  # moments listed beside a thread's replies


def links_for(film: Film) -> SceneLinks:
    """Where timestamps in a text about this film link, and up to which moment."""
    runtime = film.runtime_minutes * 60 if film.runtime_minutes else None
    return SceneLinks(href=f"/films/{film.slug}/scenes", runtime_seconds=runtime)


def record(thread: Thread, post: Post | None, rendered: Rendered) -> None:
    """Store the moments a thread's text (`post` None) or a reply cites, replacing what
    its earlier version cited. Flushes nothing itself; the caller commits."""
    if post is None:
        mine = and_(SceneCitation.thread_id == thread.id, SceneCitation.post_id.is_(None))
    else:
        mine = SceneCitation.post_id == post.id
    gone = db.session.execute(delete(SceneCitation).where(mine)).rowcount or 0
    rows = [
        {
            "film_id": thread.film_id,
            "thread_id": thread.id,
            "post_id": post.id if post else None,
            "seconds": seconds,
            "in_spoiler": hidden,
        }
        for seconds, hidden in rendered.moments
    ]
    if rows:
        db.session.execute(insert(SceneCitation), rows)
    if rows or gone:
        db.session.execute(
            update(Thread)
            .where(Thread.id == thread.id)
            .values(cited_moments=Thread.cited_moments + len(rows) - gone)
            .execution_options(synchronize_session=False)
        )


def relink(film: Film, batch: int = 500) -> int:
    """Render again every text of the film that cites a moment, after its runtime or slug
    changed, so each timestamp links (or stays text) as the film is now: a batch of texts
    at a time, only those with citations. Flushes; the caller commits. Answers how many."""
    links, done = links_for(film), 0
    cited = select(SceneCitation.thread_id, SceneCitation.post_id).where(
        SceneCitation.film_id == film.id
    )
    rows = db.session.execute(cited.distinct()).all()
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        post_ids = [p for _, p in chunk if p is not None]
        thread_ids = [t for t, p in chunk if p is None]
        items = [
            *db.session.scalars(select(Post).where(Post.id.in_(post_ids))),
            *db.session.scalars(select(Thread).where(Thread.id.in_(thread_ids))),
        ]
        for item in items:
            try:
                rendered = notifications.render(item.body, scenes=links)  # mentions kept
            except Invalid:  # stored before today's bounds: left as it is
                continue
            item.body_html, item.body_safe_html = rendered.html, rendered.safe_html
            done += 1
    return done


def _shown(spoilers_ok: bool):
    """Citations in live threads and live replies, less those withheld from this viewer."""
    live = and_(Thread.removed.is_(False), Thread.deleted.is_(False))
    live_post = or_(
        SceneCitation.post_id.is_(None),
        SceneCitation.post_id.in_(
            select(Post.id).where(
                Post.id == SceneCitation.post_id, Post.removed.is_(False), Post.deleted.is_(False)
            )
        ),
    )
    if spoilers_ok:
        return and_(live, live_post)
    return and_(live, live_post, Thread.spoiler.is_(False), SceneCitation.in_spoiler.is_(False))


def _within(film: Film):
    """Moments within the film's runtime (its runtime may have been set after writing)."""
    if not film.runtime_minutes:
        return true()
    return SceneCitation.seconds <= film.runtime_minutes * 60


def scene_index(
    film: Film, spoilers_ok: bool, cursor: str | None = None, limit: int = 50
) -> Page[SceneCitation]:
    """One page of the film's cited moments in film order, each citation with its thread
    (and reply) and their authors loaded: one query whatever the film's size."""
    query = (
        select(SceneCitation)
        .join(Thread, Thread.id == SceneCitation.thread_id)
        .where(SceneCitation.film_id == film.id, _shown(spoilers_ok), _within(film))
        .options(
            joinedload(SceneCitation.thread).joinedload(Thread.author),
            joinedload(SceneCitation.post).joinedload(Post.author),
        )
    )
    keys = [(SceneCitation.seconds, False), (SceneCitation.id, False)]
    return keyset_page(query, f"scenes-{film.id}", keys, cursor, limit)


def withheld_count(film: Film) -> int:
    """How many citations of the film a viewer who may not read its spoilers is not shown."""
    hidden = or_(Thread.spoiler.is_(True), SceneCitation.in_spoiler.is_(True))
    query = (
        select(func.count())
        .select_from(SceneCitation)
        .join(Thread, Thread.id == SceneCitation.thread_id)
        .where(SceneCitation.film_id == film.id, _shown(True), _within(film), hidden)
    )
    return db.session.scalar(query) or 0


@dataclass(frozen=True)
class Moment:
    """A moment a thread discusses: where, how many times, and the first text citing it."""

    seconds: int
    count: int
    first_post_id: int | None  # None: the thread's own text cites it

    @property
    def label(self) -> str:
        return format_moment(self.seconds)


def thread_scenes(thread: Thread, spoilers_ok: bool) -> list[Moment]:
    """The moments a thread and its live replies cite, in film order (at most
    MAX_THREAD_SCENES): one query."""
    film = thread.film
    first = func.min(func.coalesce(SceneCitation.post_id, 0))
    query = (
        select(SceneCitation.seconds, func.count(), first)
        .join(Thread, Thread.id == SceneCitation.thread_id)
        .where(SceneCitation.thread_id == thread.id, _shown(spoilers_ok), _within(film))
        .group_by(SceneCitation.seconds)
        .order_by(SceneCitation.seconds)
        .limit(MAX_THREAD_SCENES)
    )
    return [Moment(s, n, p or None) for s, n, p in db.session.execute(query)]
