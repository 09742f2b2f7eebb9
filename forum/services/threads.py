"""Threads: start, edit, delete, read, and the board listings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, exists, false, func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import (
    Film,
    StatusChange,
    Tag,
    TheoryStatus,
    Thread,
    ThreadKind,
    ThreadTag,
    User,
    utcnow,
)
from forum.services import following, notifications, ranking, revisions, scenes, votes
from forum.services import tags as tags_service
from forum.services.errors import Invalid, NotFound, parse_choice
from forum.services.locking import lock_row
from forum.services.pagination import Page, keyset_page
from forum.services.permissions import (
    can_delete_thread,
    can_edit_thread,
    can_read_thread,
    can_start_thread,
    require,
)

MAX_BODY = 40_000
MAX_TITLE = 200
MAX_TAGS = tags_service.MAX_TAGS
SORTS = {
    "hot": Thread.hot,
    "new": Thread.created_at,
    "top": Thread.score,
    "controversial": Thread.controversy,
    "active": Thread.last_activity_at,
}
WINDOWS = {"day": 1, "week": 7, "month": 30, "year": 365, "all": None}


def check_title(title: str) -> str:
    title = _no_nul(title or "").strip()
    if not 3 <= len(title) <= MAX_TITLE:
        raise Invalid("Please fix the title.", {"title": "3–200 characters."})
    return title


def check_spoiler_title(spoiler_title: str | None, spoiler: bool) -> str | None:
    """The full title of a spoiler-flagged thread: optional (empty means none), 3–200
    characters, and only for a thread flagged as having spoilers."""
    spoiler_title = _no_nul(spoiler_title or "").strip()
    if not spoiler_title:
        return None
    if not spoiler:
        raise Invalid(
            "A full title with spoilers needs the thread flagged as having spoilers.",
            {"spoiler_title": "Tick “Contains spoilers”, or leave this empty."},
        )
    if not 3 <= len(spoiler_title) <= 200:
        raise Invalid("Please fix the full title.", {"spoiler_title": "3–200 characters."})
    return spoiler_title


def check_body(body: str, field: str = "body") -> str:
    if not isinstance(body, str) or not body.strip() or len(body) > MAX_BODY:
        raise Invalid("Please fix the text.", {field: f"1–{MAX_BODY:,} characters."})
    return _no_nul(body)


def _no_nul(text: str) -> str:
    """NUL can't be stored in PostgreSQL text; browsers show it as U+FFFD too."""
    return text.replace("\x00", "\ufffd")


def check_tags(names: list[str] | str | None) -> list[str]:
    """Tag names as the site knows them (services/tags.py normalizes), at most MAX_TAGS."""
    return tags_service.parse_names(names)


def start_thread(
    user: User,
    film: Film,
    title: str,
    body: str,
    kind: ThreadKind,
    spoiler: bool | None = None,
    tags: list[str] | str | None = None,
    spoiler_title: str | None = None,
) -> Thread:
    """Start a theory, symbolism reading, discussion or question in a film's board.
    `spoiler=None` flags it when the film is inside its spoiler window (see
    `spoiler_by_default`); the author says True or False to choose."""
    require(can_start_thread(user))
    title, body, names = check_title(title), check_body(body), check_tags(tags)
    spoiler = spoiler_by_default(film) if spoiler is None else bool(spoiler)
    spoiler_title = check_spoiler_title(spoiler_title, spoiler)
    rendered, now = notifications.render(body, scenes=scenes.links_for(film)), utcnow()
    tag_list = tags_service.tags_for(names)
    thread = Thread(
        film=film,
        author=user,
        kind=kind,
        title=title,
        spoiler_title=spoiler_title,
        body=body,
        body_html=rendered.html,
        body_text=rendered.text,
        body_safe_html=rendered.safe_html,
        spoiler=spoiler,
        status=TheoryStatus.OPEN if kind == ThreadKind.THEORY else None,
        created_at=now,
        last_activity_at=now,
        hot=ranking.hot(0, 0, now),
        tag_list=tag_list,
    )
    film.thread_count = Film.thread_count + 1
    tags_service.count_threads(tag_list, +1)
    db.session.add(thread)
    db.session.flush()
    scenes.record(thread, None, rendered)
    notifications.on_thread(thread, rendered.mentions)
    following.follow_by_default(user, thread)
    db.session.commit()
    return thread


def spoiler_by_default(film: Film) -> bool:
    """Whether a thread started now in this film's board is spoiler-flagged unless its
    author says otherwise: inside the film's spoiler window."""
    return film.in_spoiler_window(utcnow())


def edit_thread(
    user: User,
    thread: Thread,
    title: str | None = None,
    body: str | None = None,
    spoiler_title: str | None = None,
) -> Thread:
    """Change a thread's title, full title or text, keeping the earlier version as a
    Revision. None leaves a field as it is; an empty `spoiler_title` removes it. The row
    is locked first, so the revision is the text as it is now: two edits at once keep
    both versions, and the later one wins."""
    new_title = check_title(title) if title is not None else None
    new_body = check_body(body) if body is not None else None
    links = scenes.links_for(thread.film)
    rendered = notifications.render(new_body, scenes=links) if new_body is not None else None
    thread = lock_row(thread)  # after rendering: the row is held only briefly
    ensure_editable(user, thread)
    new_title = thread.title if new_title is None else new_title
    if new_body is None:
        new_body = thread.body
    new_spoiler_title = thread.spoiler_title
    if spoiler_title is not None and spoiler_title.strip() != (thread.spoiler_title or ""):
        new_spoiler_title = check_spoiler_title(spoiler_title, thread.spoiler)
    new = (new_title, new_spoiler_title, new_body)
    if new == (thread.title, thread.spoiler_title, thread.body):
        db.session.commit()  # let the row go
        return thread
    revisions.keep_revision(thread, editor=user)
    before = notifications.linked_users(thread.body_html)
    thread.title, thread.spoiler_title, thread.body = new
    if rendered is not None:
        notifications.on_mentions_edited(thread, before, rendered.mentions)
        thread.body_html, thread.body_text = rendered.html, rendered.text
        thread.body_safe_html = rendered.safe_html
        scenes.record(thread, None, rendered)
    thread.edited_at = utcnow()
    db.session.commit()
    return thread


def ensure_editable(user: User | None, thread: Thread) -> None:
    """Raise Locked or Forbidden unless this user may edit this thread."""
    require(can_edit_thread(user, thread))


def delete_thread(user: User, thread: Thread) -> None:
    """The author's soft delete: hidden from listings; replies stay for moderators.
    Under the row lock, so a moderator removing it at the same moment takes it out of
    the board's count and the author's karma once, not twice."""
    thread = lock_row(thread)
    require(can_delete_thread(user, thread))
    if thread.is_live:
        _hide(thread)
    thread.deleted = True
    db.session.commit()


def _hide(thread: Thread) -> None:
    """Take a live thread out of its board's count and its author's karma."""
    thread.film.thread_count = Film.thread_count - 1
    tags_service.count_thread(thread, -1)
    votes.shift_karma(thread, -1)


def get_thread(thread_id: int, page: bool = False, viewer: User | None = None) -> Thread:
    """The thread with its author and film; with `page` (its page prints them) also its
    tags and a theory's status history: one query, not five; with `viewer`, whether they
    follow it (the page's Follow button)."""
    if not 0 < thread_id < 2**31:  # ids are 32-bit on PostgreSQL
        raise NotFound("No such thread.")
    options = [joinedload(Thread.author), joinedload(Thread.film)]
    if page:
        changes = joinedload(Thread.status_changes)
        options += [
            joinedload(Thread.tag_list),
            changes.joinedload(StatusChange.moderator),
            changes.joinedload(StatusChange.film),
        ]
    if viewer is not None:
        options.append(following.follows_thread_expression(viewer))
    thread = db.session.get(Thread, thread_id, options=options)
    if thread is None:
        raise NotFound("No such thread.")
    return thread


def get_visible_thread(
    thread_id: int, viewer: User | None, deleted_gone: bool = False, page: bool = False
) -> Thread:
    """The thread, or NotFound when it doesn't exist or is hidden from this viewer. With
    `deleted_gone` (the JSON API), a thread its author deleted is gone for moderators too;
    `page`: as get_thread."""
    thread = get_thread(thread_id, page, viewer)
    require(can_read_thread(viewer, thread, deleted_gone))
    return thread


def board_page(
    film: Film | None,
    sort: str = "hot",
    window: str = "all",
    kind: str | None = None,
    status: str | None = None,
    tag: Tag | str | None = None,
    cursor: str | None = None,
    limit: int = 25,
    pin: bool = True,
    hide: following.Mutes | None = None,
) -> tuple[list[Thread], Page[Thread]]:
    """Pinned threads (first page of `hot` only, unless `pin` is false) and one page of a
    board's live threads. `film=None` lists every board: the front page; `tag` (a Tag)
    lists one tag's threads, of every film or of `film`: the tag page. Each is one query.
    `hide`: a viewer's mutes, whose users', films' and tags' threads are left out."""
    if sort not in SORTS:
        raise Invalid("Unknown sort.", {"sort": f"One of {', '.join(SORTS)}."})
    if window not in WINDOWS:
        raise Invalid("Unknown time window.", {"t": f"One of {', '.join(WINDOWS)}."})
    query = _live_threads(film, kind, status, tag)
    if hide:
        query = following.without_muted(query, hide)
    if WINDOWS[window] and sort in ("top", "controversial"):
        query = query.where(Thread.created_at >= utcnow() - timedelta(days=WINDOWS[window]))
    pinned: list[Thread] = []
    if sort == "hot" and film is not None and pin:
        query = query.where(Thread.pinned.is_(False))
        if not cursor:
            pinned = list(
                db.session.scalars(
                    _live_threads(film, kind, status, tag)
                    .where(Thread.pinned.is_(True))
                    .order_by(Thread.created_at.desc())
                    .limit(10)
                )
            )
    keys = [(SORTS[sort], True), (Thread.id, True)]
    page = keyset_page(query, f"threads-{sort}", keys, cursor, limit)
    return pinned, page


def _live_threads(film: Film | None, kind: str | None, status: str | None, tag: str | None):
    query = (
        select(Thread)
        .where(Thread.removed.is_(False), Thread.deleted.is_(False))
        .options(joinedload(Thread.author), joinedload(Thread.film), selectinload(Thread.tag_list))
    )
    if film is not None:
        query = query.where(Thread.film_id == film.id)
    if kind:
        query = query.where(Thread.kind == parse_kind(kind))
    if status:
        query = query.where(Thread.status == parse_status(status))
    if isinstance(tag, Tag):  # a tag page: the tag's threads, from the index by tag
        query = query.join(
            ThreadTag, and_(ThreadTag.thread_id == Thread.id, ThreadTag.tag_id == tag.id)
        )
    elif tag:  # a board's filter: by name (an old name leads to the tag that replaced it)
        normal = tags_service.normalize_or_none(tag)
        if normal is None:
            return query.where(false())
        tag_id = select(func.coalesce(Tag.merged_into_id, Tag.id)).where(Tag.name == normal)
        query = query.where(
            exists().where(
                ThreadTag.thread_id == Thread.id, ThreadTag.tag_id == tag_id.scalar_subquery()
            )
        )
    return query


def parse_kind(value: str) -> ThreadKind:
    return parse_choice(ThreadKind, value, "kind")


def parse_status(value: TheoryStatus | str) -> TheoryStatus:
    return parse_choice(TheoryStatus, value, "status", "theory status")


def user_threads(
    user: User,
    cursor: str | None = None,
    limit: int = 25,
    status: str | None = None,
    theories: bool = False,
) -> Page[Thread]:
    """A user's live threads, newest first; only their theories (`theories`), or only
    their theories with `status`."""
    query = (
        select(Thread)
        .where(Thread.author_id == user.id, Thread.removed.is_(False), Thread.deleted.is_(False))
        .options(joinedload(Thread.film), selectinload(Thread.tag_list))
    )
    if status or theories:
        query = query.where(Thread.kind == ThreadKind.THEORY)
    if status:
        query = query.where(Thread.status == parse_status(status))
    kind = f"user-threads-{status or ('theories' if theories else 'all')}"
    keys = [(Thread.created_at, True), (Thread.id, True)]
    return keyset_page(query, kind, keys, cursor, limit)
