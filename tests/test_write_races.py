"""Writers racing on one row, each in their own connection, as two requests would: an
author and a moderator editing one reply, deleting while removing, replying while the
thread is being locked. Every writer first loads the row (as a request does when it
checks permissions), then all write at once — or, `ordered`, one after another, each on
the copy it loaded before the others wrote (the window the row lock closes).

Runs on whichever database the suite runs on: SQLite (threads wait on the write lock
through the driver's busy timeout) and PostgreSQL (row locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, Post, Revision, Role, Thread, User
from forum.services import moderation, replies, revisions, threads, votes
from forum.services.errors import DomainError

ROUNDS = 6
Job = Callable[[Callable[[], None]], None]


def _race(app, jobs: list[Job], ordered: bool) -> list[str]:
    """Run each job in its own thread and app context; a job loads, calls `go()`, acts.
    Returns each job's outcome: "ok" or the name of the domain error it met."""
    loaded = threading.Barrier(len(jobs))
    turns = [threading.Event() for _ in jobs]
    turns[0].set()

    def run(index: int, job: Job) -> str:
        def go() -> None:
            loaded.wait(timeout=30)
            if ordered:
                turns[index].wait(timeout=30)

        with app.app_context():
            try:
                job(go)
                return "ok"
            except DomainError as err:
                db.session.rollback()
                return type(err).__name__
            finally:
                db.session.remove()
                if index + 1 < len(turns):
                    turns[index + 1].set()

    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(run, i, job) for i, job in enumerate(jobs)]
        return [future.result(timeout=60) for future in futures]


def _edit_post_job(post_id: int, user_id: int, body: str) -> Job:
    def job(go):
        post, user = db.session.get(Post, post_id), db.session.get(User, user_id)
        go()
        replies.edit_post(user, post, body)

    return job


def _edit_thread_job(thread_id: int, user_id: int, body: str) -> Job:
    def job(go):
        thread, user = db.session.get(Thread, thread_id), db.session.get(User, user_id)
        go()
        threads.edit_thread(user, thread, title=f"Title {body}", body=body)

    return job


def _on_row(model, row_id: int, user_id: int, act: Callable) -> Job:
    def job(go):
        row, user = db.session.get(model, row_id), db.session.get(User, user_id)
        go()
        act(user, row)

    return job


@pytest.fixture
def cast(app, make_user):
    """Give a thread or reply `n` up-votes from fresh fans."""

    def give(item: Thread | Post, n: int) -> None:
        voters = [make_user() for _ in range(n)]
        with app.app_context():
            row = db.session.get(type(item), item.id)
            for voter in voters:
                votes.cast_vote(db.session.get(User, voter.id), row, 1)

    return give


@pytest.mark.parametrize("ordered", [True, False], ids=["one-after-another", "at-once"])
def test_two_edits_of_a_reply_keep_both_versions_and_the_last_wins(
    app, make_user, make_thread, make_reply, ordered
):
    author, mod = make_user(), make_user(role=Role.MODERATOR)
    post = make_reply(make_thread(), author=author, body="first words")
    jobs = [_edit_post_job(post.id, author.id, "author's fix"),
            _edit_post_job(post.id, mod.id, "moderator's fix")]  # fmt: skip
    outcomes = _race(app, jobs, ordered)
    assert outcomes == ["ok", "ok"]
    with app.app_context():
        history = [r.body for r in revisions.revisions(None, db.session.get(Post, post.id))]
        now = db.session.get(Post, post.id).body
    assert history[0] == "first words"
    assert len(history) == 2 and {history[1], now} == {"author's fix", "moderator's fix"}
    if ordered:
        assert now == "moderator's fix"


@pytest.mark.parametrize("ordered", [True, False], ids=["one-after-another", "at-once"])
def test_two_edits_of_a_thread_keep_both_versions_and_the_last_wins(
    app, make_user, make_thread, ordered
):
    author, mod = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread(author=author, title="Title first", body="first")
    outcomes = _race(app, [_edit_thread_job(thread.id, author.id, "second"),
                           _edit_thread_job(thread.id, mod.id, "third")], ordered)  # fmt: skip
    assert outcomes == ["ok", "ok"]
    with app.app_context():
        row = db.session.get(Thread, thread.id)
        history = [(r.title, r.body) for r in revisions.revisions(None, row)]
        now = (row.title, row.body)
    assert history[0] == ("Title first", "first")
    expected = {("Title second", "second"), ("Title third", "third")}
    assert len(history) == 2 and {history[1], now} == expected
    if ordered:
        assert now == ("Title third", "third")


@pytest.mark.parametrize("ordered", [True, False], ids=["one-after-another", "at-once"])
def test_delete_racing_removal_takes_a_reply_out_of_karma_once(
    app, make_user, make_thread, make_reply, cast, ordered
):
    author, mod = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread()
    for _ in range(ROUNDS):
        post = make_reply(thread, author=author)
        cast(post, 2)
        outcomes = _race(app, [
            _on_row(Post, post.id, mod.id, lambda u, p: moderation.remove_post(u, p, "spam")),
            _on_row(Post, post.id, author.id, replies.delete_post),
        ], ordered)  # fmt: skip
        assert outcomes == ["ok", "ok"]
        with app.app_context():
            stored = db.session.get(Post, post.id)
            assert (stored.removed, stored.deleted) == (True, True)
            assert db.session.get(User, author.id).karma == 0  # 2 came, 2 went: once


@pytest.mark.parametrize("ordered", [True, False], ids=["one-after-another", "at-once"])
def test_delete_racing_removal_takes_a_thread_off_its_board_once(
    app, make_user, make_film, make_thread, cast, ordered
):
    author, mod = make_user(), make_user(role=Role.MODERATOR)
    film = make_film()
    make_thread(film=film)  # a bystander that stays on the board
    for _ in range(ROUNDS):
        thread = make_thread(author=author, film=film)
        cast(thread, 3)
        outcomes = _race(app, [
            _on_row(Thread, thread.id, mod.id,
                    lambda u, t: moderation.remove_thread(u, t, "off topic")),
            _on_row(Thread, thread.id, author.id, threads.delete_thread),
        ], ordered)  # fmt: skip
        assert outcomes == ["ok", "ok"]
        with app.app_context():
            assert db.session.get(Film, film.id).thread_count == 1
            assert db.session.get(User, author.id).karma == 0


@pytest.mark.parametrize("ordered", [True, False], ids=["one-after-another", "at-once"])
def test_a_reply_cannot_slip_into_a_thread_being_locked(app, make_user, make_thread, ordered):
    member, mod = make_user(), make_user(role=Role.MODERATOR)
    for _ in range(ROUNDS):
        thread = make_thread()

        def answer(user, row):
            replies.reply(user, row, "Sneaking one in.")

        outcomes = _race(app, [
            _on_row(Thread, thread.id, mod.id, lambda u, t: moderation.lock_thread(u, t, "done")),
            _on_row(Thread, thread.id, member.id, answer),
        ], ordered)  # fmt: skip
        with app.app_context():
            row = db.session.get(Thread, thread.id)
            posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
            assert row.locked and row.reply_count == len(posts)
        if ordered:  # the lock committed first: the member's reply is refused
            assert outcomes == ["ok", "Locked"] and posts == []
        else:  # either the reply came first, or it was refused
            assert outcomes[0] == "ok" and outcomes[1] in {"ok", "Locked"}
            assert len(posts) == (outcomes[1] == "ok")


def test_the_later_edit_is_kept_as_a_revision_not_lost(app, make_user, make_thread, make_reply):
    """What the issue saw: both editors got 200, the history held the first version twice
    and the moderator's text was gone."""
    author, mod = make_user(), make_user(role=Role.MODERATOR)
    post = make_reply(make_thread(), author=author, body="v1")
    _race(app, [_edit_post_job(post.id, mod.id, "v2 by the moderator"),
                _edit_post_job(post.id, author.id, "v3 by the author")], True)  # fmt: skip
    with app.app_context():
        bodies = db.session.scalars(
            select(Revision.body).where(Revision.post_id == post.id).order_by(Revision.id)
        ).all()
    assert bodies == ["v1", "v2 by the moderator"]
