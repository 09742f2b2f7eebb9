"""`flask --app forum bench-data`: the benchmark's forum is deterministic, its stored HTML
comes from the real renderer, and every counter agrees with the rows."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Film, Post, PostVote, Thread, ThreadVote, User
from forum.services import markup, ranking


def _fill(app) -> str:
    result = app.test_cli_runner().invoke(args=["bench-data", "--size", "tiny", "--no-progress"])
    assert result.exit_code == 0, result.output
    return result.output


def _fingerprint(app) -> str:
    with app.app_context():
        rows = (
            db.session.execute(
                select(
                    Post.id,
                    Post.thread_id,
                    Post.parent_id,
                    Post.author_id,
                    Post.body,
                    Post.upvotes,
                    Post.downvotes,
                    Post.created_at,
                ).order_by(Post.id)
            ).all()
            + db.session.execute(
                select(Thread.id, Thread.title, Thread.hot, Thread.author_id).order_by(Thread.id)
            ).all()
        )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _empty(app) -> None:
    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


def test_bench_data_makes_the_same_forum_every_time(app):
    assert "12 users, 2 films, 30 threads, 200 replies" in _fill(app)
    first = _fingerprint(app)
    _empty(app)
    _fill(app)
    assert _fingerprint(app) == first


def test_bench_data_counters_agree_with_the_rows(app):
    _fill(app)
    with app.app_context():
        for thread in db.session.scalars(select(Thread)):
            posts = db.session.scalars(select(Post).filter_by(thread_id=thread.id)).all()
            votes = [
                v.value
                for v in db.session.scalars(select(ThreadVote).filter_by(thread_id=thread.id))
            ]
            assert thread.reply_count == len(posts)
            assert (thread.upvotes, thread.downvotes) == (votes.count(1), votes.count(-1))
            assert thread.score == thread.upvotes - thread.downvotes
            assert thread.hot == ranking.hot(thread.upvotes, thread.downvotes, thread.created_at)
            assert thread.last_activity_at == max(
                [p.created_at for p in posts], default=thread.created_at
            )
            rendered = markup.render(thread.body)
            assert (thread.body_html, thread.body_text) == (rendered.html, rendered.text)
        for post in db.session.scalars(select(Post)):
            votes = [
                v.value for v in db.session.scalars(select(PostVote).filter_by(post_id=post.id))
            ]
            assert (post.upvotes, post.downvotes) == (votes.count(1), votes.count(-1))
            assert post.best == ranking.wilson_lower_bound(post.upvotes, post.downvotes)
            rendered = markup.render(post.body)
            assert (post.body_html, post.body_text) == (rendered.html, rendered.text)
            if post.parent_id is not None:
                parent = db.session.get(Post, post.parent_id)
                assert parent.thread_id == post.thread_id and post.depth == parent.depth + 1
        for user in db.session.scalars(select(User)):
            earned = sum(
                t.score for t in db.session.scalars(select(Thread).filter_by(author_id=user.id))
            )
            earned += sum(
                p.score for p in db.session.scalars(select(Post).filter_by(author_id=user.id))
            )
            assert user.karma == earned
        for film in db.session.scalars(select(Film)):
            assert film.thread_count == db.session.scalar(
                select(func.count()).select_from(Thread).filter_by(film_id=film.id)
            )
        assert db.session.scalar(select(func.max(Thread.reply_count))) == 40  # the megathread


def test_bench_data_goes_on_working_as_a_forum(app, client, make_user, login):
    """Sequences and search indexes follow the bulk inserts: new content and search work."""
    _fill(app)
    with app.app_context():
        thread = db.session.scalar(select(Thread).order_by(Thread.id))
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "A new mirror theory."})
    assert response.status_code == 302
    assert client.get("/search?q=mirror").status_code == 200
    assert "A new mirror theory." in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_bench_data_refuses_a_database_with_accounts(app, make_user):
    make_user()
    result = app.test_cli_runner().invoke(args=["bench-data", "--size", "tiny"])
    assert result.exit_code == 1
    assert "fills an empty database" in result.output
