"""Voting on threads and replies: counts, rankings and karma, and who may vote."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Film, Post, PostVote, Thread, ThreadVote, User, utcnow
from forum.services import ranking, replies, threads, votes
from forum.services.errors import Forbidden, Invalid


def _fresh(model, item_id):
    db.session.expire_all()
    return db.session.get(model, item_id)


def _state(model, item_id):
    item = _fresh(model, item_id)
    return item.upvotes, item.downvotes, item.score, item.author.karma


@pytest.fixture
def thread_and_fans(ctx, make_thread, make_user):
    author = make_user("eve_fan")
    return make_thread(author=author), [make_user() for _ in range(3)]


def test_up_down_change_and_retract_move_counts_and_karma(thread_and_fans):
    thread, (a, b, _) = thread_and_fans
    assert votes.cast_vote(a, thread, 1) == votes.VoteResult(1, 1, 0, 1)
    assert _state(Thread, thread.id) == (1, 0, 1, 1)
    assert votes.cast_vote(b, thread, -1) == votes.VoteResult(0, 1, 1, -1)
    assert votes.cast_vote(a, thread, -1) == votes.VoteResult(-2, 0, 2, -1)  # change of mind
    assert _state(Thread, thread.id) == (0, 2, -2, -2)
    assert votes.cast_vote(a, thread, 0) == votes.VoteResult(-1, 0, 1, 0)  # retract
    assert votes.cast_vote(b, thread, 0) == votes.VoteResult(0, 0, 0, 0)
    assert _state(Thread, thread.id) == (0, 0, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(ThreadVote)) == 0


def test_the_same_vote_twice_counts_once(thread_and_fans):
    thread, (a, _, _) = thread_and_fans
    votes.cast_vote(a, thread, 1)
    assert votes.cast_vote(a, thread, 1) == votes.VoteResult(1, 1, 0, 1)
    assert votes.cast_vote(a, thread, 0) == votes.VoteResult(0, 0, 0, 0)
    assert votes.cast_vote(a, thread, 0) == votes.VoteResult(0, 0, 0, 0)  # nothing to retract
    assert _state(Thread, thread.id) == (0, 0, 0, 0)


def test_votes_update_the_stored_rankings(thread_and_fans):
    thread, fans = thread_and_fans
    created_at, unvoted = thread.created_at, thread.hot
    for fan in fans:
        votes.cast_vote(fan, thread, 1)
    stored = _fresh(Thread, thread.id)
    assert stored.hot == pytest.approx(unvoted + math.log10(3))
    assert stored.controversy == 0
    votes.cast_vote(fans[2], thread, -1)
    stored = _fresh(Thread, thread.id)
    assert stored.hot == ranking.hot(2, 1, created_at) == unvoted  # score 1: log10(1) = 0
    assert stored.controversy == pytest.approx(3**0.5)


def test_reply_votes_update_best_and_the_repliers_karma(ctx, make_thread, make_reply, make_user):
    thread = make_thread()
    post = make_reply(thread)
    fans = [make_user() for _ in range(3)]
    for fan, value in zip(fans, (1, 1, -1), strict=True):
        votes.cast_vote(fan, post, value)
    stored = _fresh(Post, post.id)
    assert (stored.upvotes, stored.downvotes, stored.score) == (2, 1, 1)
    assert stored.best == pytest.approx(ranking.wilson_lower_bound(2, 1))
    assert stored.author.karma == 1
    assert _fresh(Thread, thread.id).author.karma == 0  # the thread's author is not touched


def _banned(user):
    user.banned_at, user.ban_reason = utcnow(), "spam"
    db.session.commit()
    return user


@pytest.mark.parametrize(
    ("who", "value", "error", "message"),
    [
        ("anonymous", 1, Forbidden, "log in"),
        ("banned", 1, Forbidden, "banned"),
        ("expired ban", 1, None, None),
        ("author", 1, Forbidden, "your own"),
        ("fan", 2, Invalid, "A vote is"),
        ("fan", True, Invalid, "A vote is"),
        ("fan", "1", Invalid, "A vote is"),
    ],
)
def test_who_may_vote(thread_and_fans, who, value, error, message):
    thread, (fan, _, _) = thread_and_fans
    user = {"anonymous": None, "author": thread.author, "fan": fan}.get(who, fan)
    if who == "banned":
        _banned(fan)
    if who == "expired ban":
        fan.banned_at, fan.banned_until = utcnow() - timedelta(days=9), utcnow() - timedelta(days=1)
        db.session.commit()
    if error is None:
        assert votes.cast_vote(user, thread, value).score == 1
        return
    with pytest.raises(error, match=message):
        votes.cast_vote(user, thread, value)
    assert _state(Thread, thread.id) == (0, 0, 0, 0)


@pytest.mark.parametrize("flag", ["removed", "deleted"])
def test_removed_and_deleted_items_take_no_votes(ctx, make_thread, make_reply, make_user, flag):
    thread = make_thread()
    post = make_reply(thread)
    fan = make_user()
    for item in (post, thread):
        setattr(item, flag, True)
        db.session.commit()
        with pytest.raises(Forbidden, match="removed or deleted"):
            votes.cast_vote(fan, item, 1)
    assert db.session.scalar(select(func.count()).select_from(PostVote)) == 0


def test_a_removal_that_lands_after_the_check_still_refuses_the_vote(ctx, make_thread, make_user):
    """The liveness check is repeated under the row lock, not only on the loaded object."""
    thread = make_thread()
    fan = make_user()
    stale = _fresh(Thread, thread.id)
    db.session.expunge(stale)  # what a request that loaded it a moment earlier holds
    db.session.execute(db.update(Thread).where(Thread.id == thread.id).values(removed=True))
    db.session.commit()
    assert stale.is_live
    with pytest.raises(Forbidden):
        votes.cast_vote(fan, stale, 1)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ThreadVote)) == 0


def test_karma_counts_live_writing_only(ctx, make_thread, make_reply, make_user):
    author = make_user()
    thread = make_thread(author=author)
    post = make_reply(thread, author=author)
    fans = [make_user() for _ in range(3)]
    for fan in fans:
        votes.cast_vote(fan, thread, 1)
        votes.cast_vote(fan, post, -1)
    assert _fresh(User, author.id).karma == 0
    replies.delete_post(author, _fresh(Post, post.id))
    assert _fresh(User, author.id).karma == 3
    threads.delete_thread(author, _fresh(Thread, thread.id))
    assert _fresh(User, author.id).karma == 0


def test_my_votes_reads_a_pages_votes_in_one_query(ctx, make_thread, make_reply, make_user,
                                                   count_queries):  # fmt: skip
    fan = make_user()
    ts = [make_thread() for _ in range(3)]
    ps = [make_reply(ts[0]) for _ in range(2)]
    votes.cast_vote(fan, ts[0], 1)
    votes.cast_vote(fan, ts[2], -1)
    votes.cast_vote(fan, ps[1], 1)
    thread_ids, post_ids = [t.id for t in ts], [p.id for p in ps]
    db.session.refresh(fan)
    with count_queries() as queries:
        mine = votes.my_votes(fan, thread_ids, post_ids)
    assert len(queries) == 1
    assert [mine.thread(i) for i in thread_ids] == [1, 0, -1]
    assert [mine.post(i) for i in post_ids] == [0, 1]
    with count_queries() as queries:
        assert votes.my_votes(None, thread_ids).threads == {}
    assert queries == []


def test_demo_data_opens_with_real_scores_that_match_its_votes(ctx):
    from forum import demo

    assert demo.seed()
    live = db.session.scalars(select(Thread)).all()
    assert {t.score for t in live} >= {-1, 0, 3, 4}  # a spread, negatives included
    for thread in live:
        tally = db.session.scalar(
            select(func.coalesce(func.sum(ThreadVote.value), 0)).where(
                ThreadVote.thread_id == thread.id
            )
        )
        assert thread.score == tally
    assert db.session.scalar(select(func.count()).select_from(PostVote)) > 5
    karma = dict(db.session.execute(select(User.username, User.karma)).all())
    assert karma["eve_macarro_fan"] > karma["high_table"] > 0
    ballerina = db.session.scalar(select(Film).where(Film.slug == "ballerina"))
    top = [t.title for t in threads.board_page(ballerina, "top")[1].items]
    controversial = [t.title for t in threads.board_page(ballerina, "controversial")[1].items]
    assert top[0].startswith("Blood-tied ballet shoes")  # 4 up, none down
    assert controversial[0].startswith("Broken mirrors")  # 2 up, 2 down
