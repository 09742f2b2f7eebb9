"""Following threads, films' boards and tags; muting users, films and tags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, and_, case, cast, delete, exists, func, literal, select, update
from sqlalchemy.orm import joinedload, selectinload, with_expression

from forum.extensions import db
from forum.models import Film, Follow, Mute, Tag, Thread, ThreadTag, User, utcnow
from forum.services import seen
from forum.services.errors import Forbidden
from forum.services.tagnames import normalize_tag
from forum.services.upsert import insert_or_update

MAX_LISTED = 100  # followed threads on the Following page and in GET /me/following


def follow_thread(user: User, thread: Thread) -> None:
    _follow(user, "thread_id", thread.id)


def unfollow_thread(user: User, thread: Thread) -> None:
    """Kept as a row with `active` false: replying again doesn't follow it again."""
    _unfollow(user, Follow.thread_id == thread.id, keep=True, thread_id=thread.id)


def follow_film(user: User, film: Film) -> None:
    _follow(user, "film_id", film.id)


def unfollow_film(user: User, film: Film) -> None:
    _unfollow(user, Follow.film_id == film.id)


def follow_tag(user: User, name: str) -> str:
    tag = normalize_tag(name)
    _follow(user, "tag", tag)
    return tag


def unfollow_tag(user: User, name: str) -> None:
    _unfollow(user, Follow.tag == normalize_tag(name))


def _follow(user: User, column: str, value) -> None:
    values = {"user_id": user.id, column: value, "active": True, "created_at": utcnow()}
    insert_or_update(Follow, values, ["user_id", column], {"active": True})
    db.session.commit()


def _unfollow(user: User, where, keep: bool = False, **target) -> None:
    if keep:
        values = {"user_id": user.id, **target, "active": False, "created_at": utcnow()}
        insert_or_update(Follow, values, ["user_id", *target], {"active": False})
    else:
        db.session.execute(delete(Follow).where(Follow.user_id == user.id, where))
    db.session.commit()


def follow_by_default(user: User, thread: Thread) -> None:
    """A fan follows their own threads and those they reply to (unless they switched it
    off, or stopped following this one): only flushes, for the caller's transaction."""
    if user.auto_follow:
        values = {"user_id": user.id, "thread_id": thread.id, "active": True}
        insert_or_update(Follow, values | {"created_at": utcnow()}, ["user_id", "thread_id"])


def is_following_thread(user: User | None, thread: Thread) -> bool:
    if user is None:
        return False
    found = select(Follow.id).where(
        Follow.user_id == user.id, Follow.thread_id == thread.id, Follow.active.is_(True)
    )
    return db.session.scalar(found) is not None


def is_following_film(user: User | None, film: Film) -> bool:
    if user is None:
        return False
    found = select(Follow.id).where(Follow.user_id == user.id, Follow.film_id == film.id)
    return db.session.scalar(found) is not None


@dataclass
class Following:
    threads: list[Thread]
    films: list[Film]
    tags: list[str]
    since: datetime | None  # the last look: newer activity is new
    new_threads: dict[int, int] = field(default_factory=dict)  # per film id
    new_tagged: dict[str, int] = field(default_factory=dict)  # per tag


def following(user: User, look: bool = False) -> Following:
    """What a fan follows, most recently active first, with what is new since they last
    looked (`look=True` records this look). A handful of queries whatever the numbers."""
    since, user_id = user.following_seen_at, user.id
    if look:  # first: a commit after the reads would expire what the page is about to show
        db.session.execute(
            update(User).where(User.id == user_id).values(following_seen_at=utcnow())
        )
        db.session.commit()
    threads = list(
        db.session.scalars(
            select(Thread)
            .join(Follow, Follow.thread_id == Thread.id)
            .where(Follow.user_id == user_id, Follow.active.is_(True))
            .where(Thread.removed.is_(False), Thread.deleted.is_(False))
            .options(joinedload(Thread.film), selectinload(Thread.tag_list))
            .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
            .limit(MAX_LISTED)
        )
    )
    films = list(
        db.session.scalars(
            select(Film)
            .join(Follow, Follow.film_id == Film.id)
            .where(Follow.user_id == user_id)
            .order_by(Film.year, Film.title)
        )
    )
    tags = list(
        db.session.scalars(
            select(Follow.tag).where(Follow.user_id == user_id, Follow.tag.is_not(None))
            .order_by(Follow.tag)
        )
    )  # fmt: skip
    result = Following(threads, films, tags, since)
    if since is not None:
        result.new_threads = _new_per(Thread.film_id, [f.id for f in films], since)
        result.new_tagged = _new_per(Tag.name, tags, since)
    return result


def _new_per(column, values: list, since: datetime) -> dict:
    """How many live threads started after `since`, per film id or per tag: one query."""
    if not values:
        return {}
    query = select(column, func.count()).select_from(Thread)
    if column is Tag.name:
        query = query.join(ThreadTag, ThreadTag.thread_id == Thread.id).join(
            Tag, Tag.id == ThreadTag.tag_id
        )
    query = query.where(
        column.in_(values),
        Thread.created_at > since,
        Thread.removed.is_(False),
        Thread.deleted.is_(False),
    ).group_by(column)
    return dict(db.session.execute(query).all())


# Muting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutes:
    users: frozenset[int] = frozenset()
    films: frozenset[int] = frozenset()
    tags: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.users or self.films or self.tags)


NO_MUTES = Mutes()


def mutes_of(user: User | None) -> Mutes:
    """Everything a fan muted: one query (none when anonymous)."""
    if user is None:
        return NO_MUTES
    rows = db.session.execute(
        select(Mute.muted_user_id, Mute.film_id, Mute.tag).where(Mute.user_id == user.id)
    ).all()
    return Mutes(
        frozenset(r[0] for r in rows if r[0] is not None),
        frozenset(r[1] for r in rows if r[1] is not None),
        frozenset(r[2] for r in rows if r[2] is not None),
    )


def mute_user(user: User, other: User) -> None:
    if other.id == user.id:
        raise Forbidden("You can't mute yourself.")
    _mute(user, "muted_user_id", other.id)


def unmute_user(user: User, other: User) -> None:
    _unmute(user, Mute.muted_user_id == other.id)


def mute_film(user: User, film: Film) -> None:
    _mute(user, "film_id", film.id)


def unmute_film(user: User, film: Film) -> None:
    _unmute(user, Mute.film_id == film.id)


def mute_tag(user: User, name: str) -> str:
    tag = normalize_tag(name)
    _mute(user, "tag", tag)
    return tag


def unmute_tag(user: User, name: str) -> None:
    _unmute(user, Mute.tag == normalize_tag(name))


def _mute(user: User, column: str, value) -> None:
    values = {"user_id": user.id, column: value, "created_at": utcnow()}
    insert_or_update(Mute, values, ["user_id", column])
    db.session.commit()


def _unmute(user: User, where) -> None:
    db.session.execute(delete(Mute).where(Mute.user_id == user.id, where))
    db.session.commit()


def muted_lists(user: User) -> tuple[list[User], list[Film], list[str]]:
    """The muted users, films and tags, for the account page (three small queries)."""
    users = db.session.scalars(
        select(User).join(Mute, Mute.muted_user_id == User.id).where(Mute.user_id == user.id)
        .order_by(func.lower(User.username))
    )  # fmt: skip
    films = db.session.scalars(
        select(Film).join(Mute, Mute.film_id == Film.id).where(Mute.user_id == user.id)
        .order_by(Film.year, Film.title)
    )  # fmt: skip
    tags = db.session.scalars(
        select(Mute.tag).where(Mute.user_id == user.id, Mute.tag.is_not(None)).order_by(Mute.tag)
    )
    return list(users), list(films), list(tags)


def without_muted(query, mutes: Mutes):
    """A thread listing's query less the threads of muted users, films and tags."""
    if mutes.users:
        query = query.where(Thread.author_id.not_in(mutes.users))
    if mutes.films:
        query = query.where(Thread.film_id.not_in(mutes.films))
    if mutes.tags:
        tagged = (
            select(ThreadTag.thread_id)
            .join(Tag, Tag.id == ThreadTag.tag_id)
            .where(and_(ThreadTag.thread_id == Thread.id, Tag.name.in_(mutes.tags)))
        )
        query = query.where(~tagged.exists())
    return query


@dataclass(frozen=True)
class Marks:
    """A viewer's marks a page reads: films seen, what they muted, the films they follow."""

    seen: frozenset[int] = frozenset()
    mutes: Mutes = NO_MUTES
    followed_films: frozenset[int] = frozenset()


def with_marks():
    """A loader option: the user comes with what they muted and the films they follow, in
    the same statement (the session's user: every signed-in page asks), as `marks_text`."""
    mute = case(
        (Mute.muted_user_id.is_not(None), literal("u") + cast(Mute.muted_user_id, String)),
        (Mute.film_id.is_not(None), literal("f") + cast(Mute.film_id, String)),
        else_=literal("t") + Mute.tag,
    )
    mutes = select(func.coalesce(func.aggregate_strings(mute, "/"), "")).where(
        Mute.user_id == User.id
    )
    film = literal("F") + cast(Follow.film_id, String)
    films = select(func.coalesce(func.aggregate_strings(film, "/"), "")).where(
        Follow.user_id == User.id, Follow.film_id.is_not(None)
    )
    both = mutes.scalar_subquery() + literal("/") + films.scalar_subquery()
    return with_expression(User.marks_text, both)


def viewer_marks(user: User | None) -> Marks:
    """Every mark of a viewer a page needs: read from the session's user when it was loaded
    with them (`with_marks`, and seen.with_seen_ids), else one query."""
    if user is None:
        return Marks()
    text = user.marks_text
    if text is None:
        text = _marks_text(user.id)
    parts = [part for part in text.split("/") if part]
    return Marks(
        seen.seen_film_ids(user),
        Mutes(
            frozenset(int(p[1:]) for p in parts if p[0] == "u"),
            frozenset(int(p[1:]) for p in parts if p[0] == "f"),
            frozenset(p[1:] for p in parts if p[0] == "t"),
        ),
        frozenset(int(p[1:]) for p in parts if p[0] == "F"),
    )


def _marks_text(user_id: int) -> str:
    found = select(User).where(User.id == user_id).options(with_marks())
    return db.session.scalars(found.execution_options(populate_existing=True)).one().marks_text


def follows_thread_expression(viewer: User):
    """Whether `viewer` follows the thread, for loading with the thread (one statement)."""
    found = exists().where(
        Follow.thread_id == Thread.id, Follow.user_id == viewer.id, Follow.active.is_(True)
    )
    return with_expression(Thread.viewer_follows, found)
