"""Votes on threads and replies, and the karma they give their authors.

Exact under concurrency on PostgreSQL and SQLite: every change to an item's votes first
takes the item's row for writing (an UPDATE, so SQLite takes its write lock too), then
reads the voter's current vote, writes the new one and moves the counters, the stored
rankings and the author's karma by the difference with `col = col + :delta` updates,
all in one transaction. Two votes on one item therefore run one after the other, and the
(user, item) primary key keeps one vote per user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, literal, select, union_all, update

from forum.extensions import db
from forum.models import Post, PostVote, Thread, ThreadVote, User
from forum.services import ranking
from forum.services.errors import Forbidden, Invalid
from forum.services.permissions import GONE, can_vote, require

VALUES = (-1, 0, 1)


@dataclass(frozen=True)
class VoteResult:
    """What a voter sees after voting: API.md's `{score, upvotes, downvotes, my_vote}`."""

    score: int
    upvotes: int
    downvotes: int
    my_vote: int


@dataclass
class MyVotes:
    """A viewer's votes on the threads and replies of one page (0 where none)."""

    threads: dict[int, int] = field(default_factory=dict)
    posts: dict[int, int] = field(default_factory=dict)

    def thread(self, thread_id: int) -> int:
        return self.threads.get(thread_id, 0)

    def post(self, post_id: int) -> int:
        return self.posts.get(post_id, 0)


def cast_vote(user: User | None, item: Thread | Post, value: int) -> VoteResult:
    """Vote a thread or a reply up (1) or down (-1), or take the vote back (0).
    Voting the same way twice counts once."""
    _check_vote(user, item, value)
    table, vote_table, key = _tables(item)
    if not _lock_live_item(table, item.id):
        raise Forbidden(GONE)
    where = (vote_table.user_id == user.id, getattr(vote_table, key) == item.id)
    old = db.session.scalar(select(vote_table.value).where(*where)) or 0
    if old != value:
        _replace_vote(vote_table, key, user.id, item.id, old, value)
    ups = int(value == 1) - int(old == 1)
    downs = int(value == -1) - int(old == -1)
    counts = _move_counts(table, item.id, ups, downs)
    if ups - downs:
        _move_karma(item.author_id, ups - downs)
    db.session.commit()
    return VoteResult(counts.score, counts.upvotes, counts.downvotes, value)


def _check_vote(user: User | None, item: Thread | Post, value: int) -> None:
    """Refuse a value that is not a vote, then whoever `can_vote` refuses, saying why."""
    if isinstance(value, bool) or value not in VALUES:
        raise Invalid("A vote is 1 (up), -1 (down) or 0 (take it back).", {"value": "-1, 0 or 1"})
    require(can_vote(user, item))


def _tables(item: Thread | Post):
    if isinstance(item, Thread):
        return Thread, ThreadVote, "thread_id"
    return Post, PostVote, "post_id"


def _lock_live_item(table, item_id: int) -> bool:
    """Take the item's row for writing (PostgreSQL row lock, SQLite write lock) until the
    commit, and say whether it is still live (not removed or deleted meanwhile)."""
    result = db.session.execute(
        update(table)
        .where(table.id == item_id, table.removed.is_(False), table.deleted.is_(False))
        .values(upvotes=table.upvotes)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _replace_vote(vote_table, key: str, user_id: int, item_id: int, old: int, value: int):
    where = (vote_table.user_id == user_id, getattr(vote_table, key) == item_id)
    if value == 0:
        db.session.execute(delete(vote_table).where(*where))
    elif old == 0:
        db.session.execute(
            insert(vote_table).values(user_id=user_id, value=value, **{key: item_id})
        )
    else:
        db.session.execute(update(vote_table).where(*where).values(value=value))


def _move_counts(table, item_id: int, ups: int, downs: int):
    """Add to the counters in SQL and store the rankings computed from the new counts."""
    counts = db.session.execute(
        update(table)
        .where(table.id == item_id)
        .values(
            upvotes=table.upvotes + ups,
            downvotes=table.downvotes + downs,
            score=table.score + (ups - downs),
        )
        .returning(table.upvotes, table.downvotes, table.score, table.created_at)
        .execution_options(synchronize_session=False)
    ).one()
    db.session.execute(
        update(table)
        .where(table.id == item_id)
        .values(**_rankings(table, counts))
        .execution_options(synchronize_session=False)
    )
    return counts


def _rankings(table, counts) -> dict:
    ups, downs = counts.upvotes, counts.downvotes
    if table is Post:
        return {"best": ranking.wilson_lower_bound(ups, downs)}
    return {
        "hot": ranking.hot(ups, downs, counts.created_at),
        "controversy": ranking.controversy(ups, downs),
    }


def _move_karma(author_id: int, delta: int) -> None:
    db.session.execute(
        update(User)
        .where(User.id == author_id)
        .values(karma=User.karma + delta)
        .execution_options(synchronize_session=False)
    )


def shift_karma(item: Thread | Post, sign: int) -> None:
    """Take an item's score out of its author's karma (sign -1: it is being deleted or
    removed) or put it back (sign 1: restored). Locks the item's row first, so no vote
    lands between reading the score and the caller's commit. Flushes, never commits."""
    table, _, _ = _tables(item)
    score = db.session.execute(
        update(table)
        .where(table.id == item.id)
        .values(upvotes=table.upvotes)
        .returning(table.score)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if score:
        _move_karma(item.author_id, sign * score)


def my_votes(user: User | None, thread_ids: list[int] = (), post_ids: list[int] = ()) -> MyVotes:
    """The viewer's votes on these threads and replies, in one query (none when anonymous)."""
    found = MyVotes()
    parts = []
    if user is not None and thread_ids:
        parts.append(
            select(
                literal("t").label("kind"), ThreadVote.thread_id.label("id"), ThreadVote.value
            ).where(ThreadVote.user_id == user.id, ThreadVote.thread_id.in_(set(thread_ids)))
        )
    if user is not None and post_ids:
        parts.append(
            select(literal("p").label("kind"), PostVote.post_id.label("id"), PostVote.value).where(
                PostVote.user_id == user.id, PostVote.post_id.in_(set(post_ids))
            )
        )
    if not parts:
        return found
    query = parts[0] if len(parts) == 1 else union_all(*parts)
    for kind, item_id, value in db.session.execute(query):
        (found.threads if kind == "t" else found.posts)[item_id] = value
    return found
