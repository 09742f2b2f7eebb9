"""Notifications: written at the moment of the event, one INSERT … SELECT per kind however
many fans hear about it (fan-out on write: README "Notifications, following, feeds" has
the measurements), read newest first, keyset-paged, filtered again at read time (muted
actors, content removed or deleted since).

The `on_*` functions only add rows (no commit): the service that did the thing calls them
before its own commit, so the event and its notifications are one transaction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased, joinedload, with_expression

from forum.extensions import db
from forum.models import Follow, Mute, Notification, Post, Thread, User, utcnow
from forum.models import NotificationKind as Kind
from forum.models.base import UTCDateTime
from forum.services.pagination import Page, keyset_page

MAX_MENTIONS = 20  # users one text may notify; more @names still link, but notify nobody
UNREAD_CAP = 99  # the header says "99+" past this: the count never scans further
SWITCH = {
    Kind.REPLY: User.notify_reply,
    Kind.MENTION: User.notify_mention,
    Kind.STATUS: User.notify_status,
    Kind.MODERATION: User.notify_moderation,
    Kind.ACTIVITY: User.notify_activity,
}
_COLUMNS = ["user_id", "kind", "actor_id", "thread_id", "post_id", "note", "read", "created_at"]


def _insert(kind: Kind, recipients, actor: User | None, thread: Thread, post: Post | None,
            note: str | None = None) -> None:  # fmt: skip
    """One INSERT … SELECT: a notification for each user id `recipients` (a SELECT of user
    ids) yields who switched this kind on and has not muted the actor."""
    chosen = select(
        User.id,
        literal(kind.value, String),
        literal(actor.id if actor else None, Integer),
        literal(thread.id, Integer),
        literal(post.id if post else None, Integer),
        literal(note[:500] if note else None, String),
        literal(False, Boolean),
        literal(utcnow(), UTCDateTime()),
    ).where(User.id.in_(recipients), SWITCH[kind].is_(True))
    if actor is not None:
        muted = select(Mute.id).where(Mute.user_id == User.id, Mute.muted_user_id == actor.id)
        chosen = chosen.where(User.id != actor.id, ~muted.exists())
    db.session.execute(insert(Notification).from_select(_COLUMNS, chosen))


def _ids(user_ids: Iterable[int]):
    return select(User.id).where(User.id.in_(list(user_ids) or [-1]))


def on_reply(post: Post, mentioned: Iterable[str] = ()) -> None:
    """A new reply: its parent's author (or the thread's) hears `reply`, the @named hear
    `mention`, the thread's followers hear `activity`; each fan once, the replier never."""
    db.session.flush()  # the reply's id
    thread, actor = post.thread, post.author
    parent_author = (
        db.session.scalar(select(Post.author_id).where(Post.id == post.parent_id))
        if post.parent_id
        else thread.author_id
    )
    _insert(Kind.REPLY, _ids([parent_author]), actor, thread, post)
    told = {parent_author}
    named = _mentioned_ids(mentioned, told | {actor.id})
    _insert(Kind.MENTION, _ids(named), actor, thread, post)
    told |= set(named)
    followers = select(Follow.user_id).where(
        Follow.thread_id == thread.id, Follow.active.is_(True), Follow.user_id.not_in(told)
    )
    _insert(Kind.ACTIVITY, followers, actor, thread, post)


def on_thread(thread: Thread, mentioned: Iterable[str] = ()) -> None:
    """A new thread: the @named hear `mention`; followers of its film or of any of its
    tags hear `activity` (once each)."""
    db.session.flush()
    actor = thread.author
    named = _mentioned_ids(mentioned, {actor.id})
    _insert(Kind.MENTION, _ids(named), actor, thread, None)
    tags = [tag.name for tag in thread.tag_list]
    target = Follow.film_id == thread.film_id
    if tags:
        target = or_(target, Follow.tag.in_(tags))
    followers = select(Follow.user_id).where(target, Follow.user_id.not_in(named or [-1]))
    _insert(Kind.ACTIVITY, followers, actor, thread, None)


def on_mentions_edited(item: Thread | Post, before: Iterable[str], after: Iterable[str]) -> None:
    """An edit that names someone new notifies them (only them: no one hears twice)."""
    old = {name.lower() for name in before}
    new = [name for name in after if name.lower() not in old]
    if not new:
        return
    thread = item if isinstance(item, Thread) else item.thread
    post = None if isinstance(item, Thread) else item
    named = _mentioned_ids(new, {item.author_id})
    _insert(Kind.MENTION, _ids(named), item.author, thread, post)


def on_status(moderator: User, thread: Thread, note: str | None) -> None:
    """A theory's status changed: its author hears it, with the moderator's note."""
    word = thread.status.value if thread.status else ""
    _insert(Kind.STATUS, _ids([thread.author_id]), moderator, thread, None,
            f"{word}: {note}" if note else word)  # fmt: skip


def on_moderation(moderator: User, item: Thread | Post, action: str) -> None:
    """The author of a locked, removed or restored thread or reply hears it."""
    thread = item if isinstance(item, Thread) else item.thread
    post = None if isinstance(item, Thread) else item
    _insert(Kind.MODERATION, _ids([item.author_id]), moderator, thread, post, action)


def _mentioned_ids(names: Iterable[str], skip: set[int]) -> list[int]:
    """The ids of the first MAX_MENTIONS named users that exist, less `skip`."""
    lowered = list(dict.fromkeys(name.lower() for name in names))[:MAX_MENTIONS]
    if not lowered:
        return []
    found = db.session.scalars(select(User.id).where(func.lower(User.username).in_(lowered)))
    return [uid for uid in found if uid not in skip]


# Reading --------------------------------------------------------------------------------

_ActorMute = aliased(Mute)


def _shown(user_id: int):
    """What a fan is shown: not from an actor they muted since, and not about content
    removed or deleted since (a moderation notice about their own writing always is)."""
    live_thread = and_(Thread.removed.is_(False), Thread.deleted.is_(False))
    live_post = or_(
        Notification.post_id.is_(None),
        exists().where(Post.id == Notification.post_id, Post.removed.is_(False),
                       Post.deleted.is_(False)),
    )  # fmt: skip
    muted = exists().where(
        _ActorMute.user_id == user_id, _ActorMute.muted_user_id == Notification.actor_id
    )
    return and_(
        Notification.user_id == user_id,
        or_(Notification.kind == Kind.MODERATION, and_(live_thread, live_post, ~muted)),
    )


def notifications_page(
    user: User, unread_only: bool = False, cursor: str | None = None, limit: int = 25
) -> Page[Notification]:
    query = (
        select(Notification)
        .join(Thread, Thread.id == Notification.thread_id)
        .where(_shown(user.id))
        .options(
            joinedload(Notification.actor),
            joinedload(Notification.thread).joinedload(Thread.film),
            joinedload(Notification.post),
        )
    )
    if unread_only:
        query = query.where(Notification.read.is_(False))
    kind = "notifications-unread" if unread_only else "notifications"
    return keyset_page(query, kind, [(Notification.id, True)], cursor, limit)


def unread_count(user: User) -> int:
    return db.session.scalar(unread_query(user.id)) or 0


def unread_query(user_id: int):
    """The fan's unread notifications, counted up to UNREAD_CAP + 1 (a bounded scan)."""
    inner = (
        select(Notification.id)
        .join(Thread, Thread.id == Notification.thread_id)
        .where(_shown(user_id), Notification.read.is_(False))
        .limit(UNREAD_CAP + 1)
        .subquery()
    )
    return select(func.count()).select_from(inner)


def withheld_note(item: Notification) -> str | None:
    """A status note the reader may not read (it settled a spoiler-flagged theory): the
    status alone (API.md's spoiler rule); other notes as they are."""
    if item.kind == Kind.STATUS and item.thread.spoiler and item.note:
        return item.note.split(":", 1)[0] + " (the note is withheld: it has spoilers)"
    return item.note


def with_unread(user_id: int):
    """A loader option: the user comes with `unread_notifications` (the header's count)."""
    return with_expression(User.unread_notifications, unread_query(user_id).scalar_subquery())


def mark_read(user: User, ids: list[int] | None = None) -> int:
    """Mark these of the fan's notifications (or all of them) read: one UPDATE."""
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read.is_(False)
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_(ids or [-1]))
    count = db.session.execute(statement.values(read=True)).rowcount
    db.session.commit()
    return count


@dataclass
class Group:
    """Notifications on one page about the same thread and kind: "3 new replies in …"."""

    kind: Kind
    thread: Thread
    items: list[Notification] = field(default_factory=list)

    @property
    def unread(self) -> bool:
        return any(not n.read for n in self.items)

    @property
    def newest(self) -> Notification:
        return self.items[0]

    @property
    def ids(self) -> str:
        return ",".join(str(n.id) for n in self.items)

    @property
    def actors(self) -> list[str]:
        names = [n.actor.username for n in self.items if n.actor is not None]
        return list(dict.fromkeys(names))


GROUPED = (Kind.REPLY, Kind.ACTIVITY, Kind.MENTION)


def grouped(items: list[Notification]) -> list[Group]:
    """A page of notifications, replies and activity in one thread gathered in one entry
    (placed where the newest of them is); status and moderation notices stand alone."""
    groups: list[Group] = []
    by_key: dict[tuple, Group] = {}
    for item in items:
        key = (item.kind, item.thread_id) if item.kind in GROUPED else (item.id,)
        if key not in by_key:
            by_key[key] = Group(item.kind, item.thread)
            groups.append(by_key[key])
        by_key[key].items.append(item)
    return groups


def existing_usernames(lowered: list[str]) -> list[str]:
    """Which of these lower-cased names are users, as their usernames are stored: the
    look-up `markup.render` makes for @mentions (one query, at most 50 names)."""
    if not lowered:
        return []
    found = select(User.username).where(func.lower(User.username).in_(lowered))
    return list(db.session.scalars(found))


_LINKED = re.compile(r'<a href="/u/([A-Za-z0-9_-]{3,30})"')


def linked_users(body_html: str) -> list[str]:
    """The users a stored body @named (its profile links, as `render` makes them)."""
    return _LINKED.findall(body_html)


def render(body: str, field: str = "body", scenes=None):
    """`markup.render` with @mentions linked to the users that exist (and, with `scenes`,
    the film's scene timestamps linked)."""
    from forum.services import markup

    return markup.render(body, field, scenes=scenes, existing_users=existing_usernames)
