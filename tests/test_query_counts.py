"""Pages run a small, constant number of SQL queries whatever the amount of content."""

from __future__ import annotations

from forum.extensions import db
from forum.models import Film, Post, Thread, User, utcnow
from forum.services import markup, ranking


def _bulk_threads(app, film_id: int, author_id: int, n: int) -> None:
    now = utcnow()
    with app.app_context():
        db.session.add_all(
            Thread(film_id=film_id, author_id=author_id, title=f"Theory {i}", body="b",
                   body_html=markup.render("b").html, created_at=now, last_activity_at=now,
                   hot=ranking.hot(0, 0, now))
            for i in range(n)
        )  # fmt: skip
        db.session.commit()


def _bulk_replies(app, thread_id: int, author_id: int, n: int) -> None:
    with app.app_context():
        parents: list[Post] = []
        for i in range(n):
            parent = parents[i // 3] if i >= 3 else None  # a branching tree, some deep
            post = Post(thread_id=thread_id, author_id=author_id, body=f"reply {i}",
                        body_html=f"<p>reply {i}</p>", parent_id=parent.id if parent else None,
                        depth=parent.depth + 1 if parent else 0)  # fmt: skip
            db.session.add(post)
            db.session.flush()
            parents.append(post)
        db.session.commit()


def _queries_for(client, count_queries, url: str) -> int:
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_board_page_queries_do_not_grow_with_the_board(
    app, client, make_film, make_user, login, count_queries
):
    small, big = make_film(slug="small"), make_film(slug="big")
    author = make_user()
    login(make_user())
    _bulk_threads(app, small.id, author.id, 3)
    _bulk_threads(app, big.id, author.id, 500)
    for sort in ("hot", "new", "top", "controversial", "active"):
        few = _queries_for(client, count_queries, f"/films/small?sort={sort}")
        many = _queries_for(client, count_queries, f"/films/big?sort={sort}")
        assert many == few <= 7, sort  # 7: the viewer's seen films are one of them


def test_thread_page_queries_do_not_grow_with_replies(
    app, client, make_thread, make_user, login, count_queries
):
    author = make_user()
    quiet, busy = make_thread(author=author), make_thread(author=author)
    repliers = [make_user() for _ in range(4)]
    login(make_user())
    _bulk_replies(app, quiet.id, repliers[0].id, 1)
    with app.app_context():
        for user in repliers:  # replies by several authors
            _bulk_replies(app, busy.id, user.id, 50)
        assert db.session.get(Film, busy.film_id) is not None
        assert db.session.query(Post).filter_by(thread_id=busy.id).count() == 200
        assert db.session.query(User).count() == 6
    few = _queries_for(client, count_queries, f"/threads/{quiet.id}")
    many = _queries_for(client, count_queries, f"/threads/{busy.id}")
    assert many == few <= 6
