"""Many fans voting at once, each in their own connection: the stored counters, rankings
and karma must equal what the votes tables say, to the last vote.

Runs on whichever database the suite runs on: SQLite (the suite's file database; threads
wait on SQLite's write lock through the driver's busy timeout) and PostgreSQL (row locks).
"""

from __future__ import annotations

import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import case, func, select

from forum.extensions import db
from forum.models import Post, PostVote, Thread, ThreadVote, User
from forum.services import ranking, replies, votes
from forum.services.errors import Forbidden

WORKERS = 8
VOTES_EACH = 50


def _vote_script(seed: int, voters: list[int], items: list[tuple[str, int]]) -> list[tuple]:
    """A worker's votes: mostly up or down, with changes of mind and retractions."""
    rng = random.Random(seed)
    return [
        (rng.choice(voters), *rng.choice(items), rng.choice((1, 1, -1, -1, 0)))
        for _ in range(VOTES_EACH)
    ]


def _run(app, script, start: threading.Barrier, refused: list) -> dict:
    """Cast a script of votes in this thread's own app context, session and connection;
    return the last value this worker cast per (user, item)."""
    last = {}
    with app.app_context():
        start.wait()
        for user_id, kind, item_id, value in script:
            item = db.session.get(Thread if kind == "thread" else Post, item_id)
            try:
                votes.cast_vote(db.session.get(User, user_id), item, value)
            except Forbidden:
                db.session.rollback()
                refused.append((kind, item_id))
                continue
            last[(user_id, kind, item_id)] = value
        db.session.remove()
    return last


def _delete_midway(app, post_id: int, start: threading.Barrier) -> None:
    with app.app_context():
        start.wait()
        post = db.session.get(Post, post_id)
        replies.delete_post(post.author, post)
        db.session.remove()


def _tallies(vote_table, key):
    return {
        item_id: (ups, downs, total)
        for item_id, ups, downs, total in db.session.execute(
            select(
                getattr(vote_table, key),
                func.count(case((vote_table.value == 1, 1))),
                func.count(case((vote_table.value == -1, 1))),
                func.coalesce(func.sum(vote_table.value), 0),
            ).group_by(getattr(vote_table, key))
        )
    }


def _live_karma(user_id: int) -> int:
    on_threads = (
        select(func.coalesce(func.sum(ThreadVote.value), 0))
        .join(Thread)
        .where(Thread.author_id == user_id, Thread.removed.is_(False), Thread.deleted.is_(False))
    )
    on_posts = (
        select(func.coalesce(func.sum(PostVote.value), 0))
        .join(Post)
        .where(Post.author_id == user_id, Post.removed.is_(False), Post.deleted.is_(False))
    )
    return db.session.scalar(on_threads) + db.session.scalar(on_posts)


@pytest.fixture
def arena(app, make_user, make_thread, make_reply):
    """Two authors, a thread and three replies, twenty fans: eight own a worker each
    (their last vote is known), twelve vote from every worker at once."""
    eve, john = make_user("eve_author"), make_user("john_author")
    thread = make_thread(author=eve)
    posts = [make_reply(thread, author=john), make_reply(thread, author=john),
             make_reply(thread, author=eve)]  # fmt: skip
    fans = [make_user().id for _ in range(20)]
    items = [("thread", thread.id)] + [("post", p.id) for p in posts]
    return {"authors": [eve.id, john.id], "items": items, "owned": fans[:WORKERS],
            "shared": fans[WORKERS:], "doomed_post": posts[1].id}  # fmt: skip


def test_concurrent_votes_keep_every_counter_exact(app, arena):
    scripts = [
        _vote_script(seed, [arena["owned"][seed], *arena["shared"]], arena["items"])
        for seed in range(WORKERS)
    ]
    start, refused = threading.Barrier(WORKERS + 1), []
    with ThreadPoolExecutor(WORKERS + 1) as pool:
        runs = [pool.submit(_run, app, script, start, refused) for script in scripts]
        deletion = pool.submit(_delete_midway, app, arena["doomed_post"], start)
        lasts = [run.result(timeout=120) for run in runs]
        deletion.result(timeout=120)

    with app.app_context():
        thread_tallies = _tallies(ThreadVote, "thread_id")
        post_tallies = _tallies(PostVote, "post_id")
        for kind, item_id in arena["items"]:
            item = db.session.get(Thread if kind == "thread" else Post, item_id)
            ups, downs, total = (thread_tallies if kind == "thread" else post_tallies).get(
                item_id, (0, 0, 0)
            )
            assert (item.upvotes, item.downvotes, item.score) == (ups, downs, total), item
            if kind == "thread":
                assert item.hot == ranking.hot(ups, downs, item.created_at)
                assert item.controversy == pytest.approx(ranking.controversy(ups, downs))
            else:
                assert item.best == pytest.approx(ranking.wilson_lower_bound(ups, downs))
        for author_id in arena["authors"]:
            assert db.session.get(User, author_id).karma == _live_karma(author_id)

        # A fan who voted from one worker only ends with that worker's last vote.
        for last in lasts:
            for (user_id, kind, item_id), value in last.items():
                if user_id in arena["owned"]:
                    vote_table, key = (ThreadVote, "thread_id") if kind == "thread" else (
                        PostVote, "post_id")  # fmt: skip
                    stored = db.session.scalar(
                        select(vote_table.value).where(
                            vote_table.user_id == user_id, getattr(vote_table, key) == item_id
                        )
                    )
                    assert (stored or 0) == value
        assert set(refused) <= {("post", arena["doomed_post"])}
        cast = sum(len(script) for script in scripts) - len(refused)
        assert cast > WORKERS * VOTES_EACH // 2  # the test really voted, a lot
        tallied = defaultdict(int)
        for ups, downs, _ in [*thread_tallies.values(), *post_tallies.values()]:
            tallied["votes"] += ups + downs
        assert 0 < tallied["votes"] <= len(arena["items"]) * 20
