"""Moderation of threads and replies: lock, pin, remove, restore, theory status, and the
public moderation log. Nothing here destroys text: removal is a flag a restore undoes.

Every public function is one transaction that writes exactly one ModAction before its
commit. The row acted on is re-read under a row lock (`SELECT … FOR UPDATE` on
PostgreSQL), so two moderators acting at once count once: the second gets a Conflict.
Bans and roles are in `user_moderation`, reports in `reports`.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import (
    Film,
    ModAction,
    Post,
    StatusChange,
    Tag,
    TheoryStatus,
    Thread,
    ThreadKind,
    Universe,
    User,
    utcnow,
)
from forum.services import markup, notifications, replies, revisions, scenes, tags, votes
from forum.services.errors import Conflict, Invalid
from forum.services.locking import lock_row
from forum.services.pagination import Page, keyset_page
from forum.services.permissions import require_moderator
from forum.services.threads import parse_status

MAX_REASON = 500  # ModAction.reason, Thread.removed_reason, lock_reason, status_note
MAX_NOTE = 480  # a status note; the log keeps "confirmed: <note>"
TARGET_TYPES = {Thread: "thread", Post: "post", User: "user", Tag: "tag", Universe: "universe"}


def lock_thread(moderator: User, thread: Thread, reason: str | None = None) -> Thread:
    """Stop new replies and edits (moderators still may); the page says why."""
    return _switch(moderator, thread, reason, "lock", "locked", True)


def unlock_thread(moderator: User, thread: Thread, reason: str | None = None) -> Thread:
    return _switch(moderator, thread, reason, "unlock", "locked", False)


def pin_thread(moderator: User, thread: Thread, reason: str | None = None) -> Thread:
    """Keep a thread at the top of its board's first `hot` page."""
    return _switch(moderator, thread, reason, "pin", "pinned", True)


def unpin_thread(moderator: User, thread: Thread, reason: str | None = None) -> Thread:
    return _switch(moderator, thread, reason, "unpin", "pinned", False)


def _switch(moderator: User, thread: Thread, reason, action: str, flag: str, on: bool) -> Thread:
    """Turn a thread's `locked` or `pinned` on or off (Conflict when it already is); a lock
    keeps its reason for the thread's page."""
    thread = _begin(moderator, thread)
    reason = check_reason(reason)
    if getattr(thread, flag) == on:
        raise Conflict(f"This thread is {'already' if on else 'not'} {flag}.")
    setattr(thread, flag, on)
    if flag == "locked":
        thread.lock_reason = reason if on else None
    return _done(moderator, action, thread, reason)


def remove_thread(moderator: User, thread: Thread, reason: str) -> Thread:
    """Hide a thread from everyone but moderators: out of listings, out of its board's
    thread count and its author's karma. Its replies and votes are untouched."""
    return _remove(moderator, thread, reason, _count_thread)


def restore_thread(moderator: User, thread: Thread, reason: str | None = None) -> Thread:
    """Undo a removal exactly: the thread, its count and its author's karma come back
    (still hidden if its author deleted it meanwhile)."""
    return _restore(moderator, thread, reason, _count_thread)


def remove_post(moderator: User, post: Post, reason: str) -> Post:
    """Hide a reply; it stays in the tree as "[removed by moderator]" for its children."""
    return _remove(moderator, post, reason, votes.shift_karma)


def restore_post(moderator: User, post: Post, reason: str | None = None) -> Post:
    return _restore(moderator, post, reason, votes.shift_karma)


def _remove(moderator: User, item: Thread | Post, reason: str, count) -> Thread | Post:
    """Flag an item removed with its reason; `count(item, -1)` takes a live one out of
    the counters it is in."""
    item = _begin(moderator, item)
    reason = check_reason(reason, required=True)
    if item.removed:
        raise Conflict(f"This {_noun(item)} is already removed.")
    if item.is_live:
        count(item, -1)
    item.removed, item.removed_reason = True, reason
    return _done(moderator, "remove", item, reason)


def _restore(moderator: User, item: Thread | Post, reason: str | None, count) -> Thread | Post:
    item = _begin(moderator, item)
    reason = check_reason(reason)
    if not item.removed:
        raise Conflict(f"This {_noun(item)} is not removed.")
    item.removed, item.removed_reason = False, None
    if item.is_live:
        count(item, +1)
    return _done(moderator, "restore", item, reason)


def _noun(item: Thread | Post) -> str:
    return "thread" if isinstance(item, Thread) else "reply"


def set_theory_status(
    moderator: User,
    thread: Thread,
    status: TheoryStatus | str,
    note: str | None = None,
    film: Film | None = None,
    seconds: int | None = None,
) -> Thread:
    """Mark a theory open, confirmed or debunked, with a note (the sequel that settled it)
    and optionally the film and the moment in it (`seconds`; the theory's own film when
    only a moment is given). Each change joins the theory's history. The log's reason is
    "<status>" or "<status>: <note>"."""
    thread = _begin(moderator, thread)
    status = parse_status(status)
    note = check_reason(note, field="note", limit=MAX_NOTE)
    if not thread.is_theory:
        raise Invalid("Only theories have a status.", {"status": "This thread is not a theory."})
    if seconds is not None:
        film = film or thread.film
        _check_moment(film, seconds)
    db.session.add(
        StatusChange(
            thread_id=thread.id,
            moderator_id=moderator.id,
            status=status,
            previous=thread.status,
            note=note,
            film_id=film.id if film else None,
            seconds=seconds,
        )
    )
    thread.status, thread.status_note = status, note
    notifications.on_status(moderator, thread, note)
    return _done(moderator, "set_status", thread, f"{status.value}: {note}" if note else status)


MAX_MOMENT = 24 * 3600  # no film runs a day


def _check_moment(film: Film, seconds: int) -> None:
    limit = film.runtime_minutes * 60 if film.runtime_minutes else MAX_MOMENT
    if not 0 <= seconds <= limit:
        runs = f"{film.title} runs {film.runtime_minutes} minutes" if film.runtime_minutes else ""
        raise Invalid(
            f"That moment is not in the film{': ' + runs if runs else ''}.",
            {"timestamp": runs or "A moment such as 1:42:10 or 42:10."},
        )


def status_history(thread: Thread) -> list[StatusChange]:
    """A theory's status changes, oldest first, each with its moderator and film: one query."""
    query = (
        select(StatusChange)
        .where(StatusChange.thread_id == thread.id)
        .options(joinedload(StatusChange.moderator), joinedload(StatusChange.film))
        .order_by(StatusChange.id)
    )
    return list(db.session.scalars(query))


THREAD_ACTIONS = {  # the moderators' buttons and the API's routes: service, state it leaves
    "lock": (lock_thread, "locked"),
    "unlock": (unlock_thread, "unlocked"),
    "pin": (pin_thread, "pinned"),
    "unpin": (unpin_thread, "unpinned"),
    "restore": (restore_thread, "restored"),
}


def flag_spoiler(moderator: User, thread: Thread, reason: str | None = None) -> Thread:
    """Flag a thread as having spoilers for its film. Nothing else about it changes."""
    return _set_spoiler(moderator, thread, True, reason)


def unflag_spoiler(moderator: User, thread: Thread, reason: str | None = None) -> Thread:
    """Take a thread's spoiler flag off. Nothing else about it changes."""
    return _set_spoiler(moderator, thread, False, reason)


def set_spoiler(moderator: User, thread: Thread, spoiler: bool, reason: str | None = None):
    """Flag (True) or unflag (False) a thread; a Conflict if it already is."""
    return (flag_spoiler if spoiler else unflag_spoiler)(moderator, thread, reason)


def _set_spoiler(moderator: User, thread: Thread, spoiler: bool, reason: str | None) -> Thread:
    thread = _begin(moderator, thread)
    reason = check_reason(reason)
    if thread.spoiler == spoiler:
        raise Conflict(f"This thread is already {'' if spoiler else 'not '}flagged as spoilers.")
    thread.spoiler = spoiler
    return _done(moderator, "flag_spoiler" if spoiler else "unflag_spoiler", thread, reason)


MAX_PASSAGE = 2000
_NOT_WRAPPABLE = re.compile(r"\|\||>!|!<|\n\s*\n")  # spoiler marks, or a blank line
_SPOILER_SPAN = f'<span class="{markup.SPOILER_CLASS}"'


def wrap_spoiler(moderator: User, item: Thread | Post, passage: str, reason: str | None = None):
    """Put spoiler markup (`||…||`) around every occurrence of an exact passage of a
    thread's or reply's text, instead of removing it. The earlier text is kept as a
    Revision by the moderator (so the edit history shows it); the log names the item, never
    the passage. Invalid when the passage isn't in the text or can't become a spoiler (it
    spans paragraphs, sits in code or is one already)."""
    item = _begin(moderator, item)
    reason = check_reason(reason)
    passage = _check_passage(passage, item.body)
    body = item.body.replace(passage, f"||{passage}||")
    thread = item if isinstance(item, Thread) else item.thread
    rendered = notifications.render(body, scenes=scenes.links_for(thread.film))
    wrapped = item.body.count(passage)
    if rendered.html.count(_SPOILER_SPAN) != item.body_html.count(_SPOILER_SPAN) + wrapped:
        raise Invalid(
            "That passage can't be wrapped as a spoiler here.",
            {"passage": "Choose text inside one paragraph, outside code and other spoilers."},
        )
    revisions.keep_revision(item, moderator)
    item.body, item.body_html, item.body_text = body, rendered.html, rendered.text
    item.body_safe_html = rendered.safe_html
    scenes.record(thread, item if isinstance(item, Post) else None, rendered)
    item.edited_at = utcnow()
    return _done(moderator, "wrap_spoiler", item, reason)


def _check_passage(passage: str, body: str) -> str:
    if not isinstance(passage, str) or not passage.strip():
        raise Invalid("Which passage?", {"passage": "Copy the exact words to hide."})
    if len(passage) > MAX_PASSAGE:
        raise Invalid("That passage is too long.", {"passage": f"At most {MAX_PASSAGE:,}."})
    if _NOT_WRAPPABLE.search(passage):
        raise Invalid(
            "That passage can't be wrapped as a spoiler.",
            {"passage": "Choose text inside one paragraph, without spoiler marks."},
        )
    if passage not in body:
        raise Invalid("That passage is not in the text.", {"passage": "Copy it exactly."})
    return passage


def check_reason(
    text: str | None, required: bool = False, field: str = "reason", limit: int = MAX_REASON
) -> str | None:
    """A trimmed reason, None when empty and optional; Invalid when missing or too long."""
    if text is not None and not isinstance(text, str):
        raise Invalid("Please fix the reason.", {field: "Text, please."})
    text = (text or "").strip()
    if required and not text:
        raise Invalid("Please give a reason.", {field: "Say why, for the public log."})
    if len(text) > limit:
        raise Invalid("Please shorten the reason.", {field: f"At most {limit} characters."})
    return text or None


def moderation_log(cursor: str | None = None, limit: int = 25) -> Page[ModAction]:
    """Every moderation action, newest first, one keyset page."""
    query = select(ModAction).options(joinedload(ModAction.moderator))
    keys = [(ModAction.created_at, True), (ModAction.id, True)]
    return keyset_page(query, "modlog", keys, cursor, limit)


def log_targets(actions: list[ModAction]) -> dict[tuple[str, int], object]:
    """The threads, replies, users, tags and universes a page of the log names, in one
    query per kind."""
    named = {kind: set() for kind in TARGET_TYPES.values()}
    for action in actions:
        named.setdefault(action.target_type, set()).add(action.target_id)
    threads, posts = replies.with_threads(named["post"], named["thread"])  # a reply: its thread
    found: dict[tuple[str, int], object] = {}
    for kind, model in (("user", User), ("tag", Tag), ("universe", Universe)):
        if named[kind]:
            rows = db.session.scalars(select(model).where(model.id.in_(named[kind])))
            found |= {(kind, row.id): row for row in rows}
    found |= {("thread", t.id): t for t in threads.values() if t.id in named["thread"]}
    return found | {("post", p.id): p for p in posts.values()}


def theory_counts(user: User) -> dict[str, int]:
    """How many of this user's live theories are open, confirmed and debunked: one query."""
    query = (
        select(Thread.status, db.func.count())
        .where(Thread.author_id == user.id, Thread.kind == ThreadKind.THEORY)
        .where(Thread.removed.is_(False), Thread.deleted.is_(False))
        .group_by(Thread.status)
    )
    found = {status: n for status, n in db.session.execute(query) if status is not None}
    return {status.value: found.get(status, 0) for status in TheoryStatus}


def confirmed_theories(user: User) -> int:
    """How many of this user's live theories a moderator marked confirmed."""
    return db.session.scalar(
        select(db.func.count())
        .select_from(Thread)
        .where(
            Thread.author_id == user.id,
            Thread.status == TheoryStatus.CONFIRMED,
            Thread.removed.is_(False),
            Thread.deleted.is_(False),
        )
    )


def write_log(moderator: User, action: str, target: Thread | Post | User, reason) -> None:
    """Add the ModAction for an action; the caller commits both together."""
    db.session.add(
        ModAction(
            action=action,
            moderator_id=moderator.id,
            target_type=TARGET_TYPES[type(target)],
            target_id=target.id,
            reason=str(reason) if reason is not None else None,
        )
    )


def _begin(moderator: User, item):
    require_moderator(moderator)
    return lock_row(item)


NOTIFIED = {"lock": "locked", "unlock": "unlocked", "remove": "removed", "restore": "restored"}


def _done(moderator: User, action: str, item, reason):
    write_log(moderator, action, item, reason)
    if action in NOTIFIED:  # the author hears what happened to their writing, and why
        word = NOTIFIED[action]
        notifications.on_moderation(moderator, item, f"{word}: {reason}" if reason else word)
    db.session.commit()
    return item


def _count_thread(thread: Thread, sign: int) -> None:
    """Add a thread to (+1) or take it out of (-1) its board's count and its author's
    karma, computed in SQL so concurrent votes and posts stay exact."""
    thread.film.thread_count = Film.thread_count + sign
    tags.count_thread(thread, sign)
    votes.shift_karma(thread, sign)
