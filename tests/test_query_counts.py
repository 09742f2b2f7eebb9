"""Pages run a small, constant number of SQL queries whatever the amount of content."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from forum.extensions import db
from forum.models import Post, Thread, utcnow
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
        assert many == few <= 6, sort  # the viewer's seen films come with the viewer


def _bulk_tree(app, thread_id: int, author_ids: list[int], n: int) -> None:
    """`n` replies, a third of them top-level, the rest under them a few levels deep:
    inserted in bulk with their ids chosen, so 5,000 take a moment."""
    with app.app_context():
        start = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
        rows, depth = [], {}
        for i in range(n):
            post_id = start + i
            parent = start + (i - n // 3) // 3 if i >= n // 3 else None
            depth[post_id] = depth[parent] + 1 if parent else 0
            rows.append({"id": post_id, "thread_id": thread_id, "parent_id": parent,
                         "author_id": author_ids[i % len(author_ids)], "depth": depth[post_id],
                         "body": f"reply {i}", "body_html": f"<p>reply {i}</p>",
                         "body_text": f"reply {i}", "created_at": utcnow()})  # fmt: skip
        db.session.execute(insert(Post), rows)
        db.session.commit()


def test_thread_page_queries_do_not_grow_with_replies(
    app, client, make_thread, make_user, login, count_queries
):
    """The first page of a 5,000-reply thread sends what a 50-reply thread's sends, in
    every sort, on the thread page and on a reply's own page, signed in (votes looked up)."""
    author = make_user()
    quiet, busy = make_thread(author=author), make_thread(author=author)
    repliers = [make_user().id for _ in range(4)]
    login(make_user())
    _bulk_tree(app, quiet.id, repliers, 50)
    _bulk_tree(app, busy.id, repliers, 5000)
    with app.app_context():
        assert db.session.query(Post).filter_by(thread_id=busy.id).count() == 5000
        first = {t: db.session.scalar(select(func.min(Post.id)).filter_by(thread_id=t))
                 for t in (quiet.id, busy.id)}  # fmt: skip
    for sort in ("best", "new", "old"):
        few = _queries_for(client, count_queries, f"/threads/{quiet.id}?sort={sort}")
        many = _queries_for(client, count_queries, f"/threads/{busy.id}?sort={sort}")
        assert many == few <= 6, sort  # the viewer's seen films come with the viewer
    few = _queries_for(client, count_queries, f"/threads/{quiet.id}/replies/{first[quiet.id]}")
    many = _queries_for(client, count_queries, f"/threads/{busy.id}/replies/{first[busy.id]}")
    assert many == few <= 7


def test_a_big_thread_page_shows_a_bounded_number_of_replies(
    app, client, make_thread, make_user, login, count_queries
):
    """10 top-level replies, each with at most 3 + 3×2 replies under it; the viewer's
    votes are asked about those shown only."""
    thread = make_thread()
    _bulk_tree(app, thread.id, [make_user().id], 5000)
    login(make_user())
    with count_queries() as queries:
        page = client.get(f"/threads/{thread.id}").text
    shown = page.count('<li class="post')
    assert 10 < shown <= 10 * (1 + 3 + 3 * 2)
    asked = next(q for q in queries if "post_votes" in q)
    assert asked.count("?") + asked.count("%(") == shown + 5  # + 2 kinds, the user twice, 1 thread
