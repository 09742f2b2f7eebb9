"""Pages run a small, constant number of SQL queries whatever the amount of content."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from forum.extensions import db
from forum.models import Notification, Post, TheoryStatus, Thread, ThreadKind, User, utcnow
from forum.services import following, markup, ranking


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
        # the viewer's seen films come with the viewer; the thread with its tags and history
        assert many == few <= 5, sort
    few = _queries_for(client, count_queries, f"/threads/{quiet.id}/replies/{first[quiet.id]}")
    many = _queries_for(client, count_queries, f"/threads/{busy.id}/replies/{first[busy.id]}")
    assert many == few <= 6


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


def _tagged_films(app, n_films: int, per_film: int, author_id: int, tag_name: str) -> list[int]:
    """`n_films` films, each with `per_film` threads tagged `tag_name` (in bulk)."""
    from forum.models import Film, Tag, ThreadTag

    now = utcnow()
    with app.app_context():
        films = [
            Film(slug=f"{tag_name}-{i}", title=f"Film {i}", year=2000 + i) for i in range(n_films)
        ]
        db.session.add_all(films)
        tag = Tag(name=tag_name, thread_count=n_films * per_film)
        db.session.add(tag)
        db.session.flush()
        threads = [
            Thread(film_id=film.id, author_id=author_id, title=f"Mirror {i}", body="b",
                   body_html="<p>b</p>", created_at=now, last_activity_at=now,
                   hot=ranking.hot(0, 0, now), kind=ThreadKind.THEORY, score=i,
                   status=TheoryStatus.CONFIRMED if i % 3 == 0 else TheoryStatus.OPEN)
            for film in films for i in range(per_film)
        ]  # fmt: skip
        db.session.add_all(threads)
        db.session.flush()
        db.session.execute(
            insert(ThreadTag), [{"thread_id": t.id, "tag_id": tag.id} for t in threads]
        )
        db.session.commit()
        return [f.id for f in films]


def test_a_tag_page_over_every_film_stays_a_few_queries(
    app, client, make_user, login, count_queries
):
    """A tag in 2 films with 3 threads each costs what a tag in 40 films with 30 each does,
    in every sort, across every film and filtered to one film."""
    author = make_user()
    login(make_user())
    _tagged_films(app, 2, 3, author.id, "glass")
    _tagged_films(app, 40, 30, author.id, "mirrors")
    for sort in ("hot", "new", "top", "controversial", "active"):
        few = _queries_for(client, count_queries, f"/tags/glass?sort={sort}")
        many = _queries_for(client, count_queries, f"/tags/mirrors?sort={sort}")
        assert many == few <= 8, sort  # the tag, its films, a page and its tags, votes, viewer
    few = _queries_for(client, count_queries, "/tags/glass?film=glass-1&status=open")
    many = _queries_for(client, count_queries, "/tags/mirrors?film=mirrors-7&status=open")
    assert many == few <= 9  # and the film filtered on


def test_a_scene_index_stays_a_few_queries(app, client, make_film, make_thread, make_user, login,
                                           count_queries):  # fmt: skip
    """A film with 3 cited moments costs what a film with 2,000 does, signed in or not."""
    from forum.models import SceneCitation

    quiet, busy = make_film(slug="quiet", runtime_minutes=120), make_film(slug="busy")
    for film, n in ((quiet, 3), (busy, 2000)):
        thread = make_thread(film=film, body="At [1:00].")
        _bulk_tree(app, thread.id, [make_user().id], n)
        with app.app_context():
            posts = db.session.scalars(select(Post.id).filter_by(thread_id=thread.id)).all()
            db.session.execute(insert(SceneCitation), [
                {"film_id": film.id, "thread_id": thread.id, "post_id": p, "seconds": i % 7000,
                 "in_spoiler": i % 5 == 0}
                for i, p in enumerate(posts)
            ])  # fmt: skip
            db.session.commit()
    for viewer in (None, make_user()):
        login(viewer)
        few = _queries_for(client, count_queries, "/films/quiet/scenes")
        many = _queries_for(client, count_queries, "/films/busy/scenes")
        assert many == few <= 6  # the film, a page of citations, what is withheld; the viewer
        few = _queries_for(client, count_queries, "/films/quiet/scenes?reveal=spoilers")
        many = _queries_for(client, count_queries, "/films/busy/scenes?reveal=spoilers")
        assert many == few <= 5


def test_a_universe_page_stays_a_few_queries(app, client, make_user, login, count_queries):
    """A universe of 2 films and one of 40 films with threads cost the same."""
    from forum.models import Film, Universe

    author = make_user()
    with app.app_context():
        small, big = Universe(slug="small", name="Small"), Universe(slug="big", name="Big")
        db.session.add_all([small, big])
        db.session.commit()
        ids = {"small": small.id, "big": big.id}
    for name, n in (("small", 2), ("big", 40)):
        film_ids = _tagged_films(app, n, 5, author.id, f"{name}-motif")
        with app.app_context():
            for film in db.session.scalars(select(Film).where(Film.id.in_(film_ids))):
                film.universe_id, film.timeline_order = ids[name], film.id
            db.session.commit()
    login(make_user())
    few = _queries_for(client, count_queries, "/universes/small")
    many = _queries_for(client, count_queries, "/universes/big")
    assert many == few <= 7  # the viewer, universe, films, top theories, confirmed ones, tags


def test_notifications_page_keeps_a_constant_number_of_queries(
    app, client, make_user, make_thread, login, count_queries
):
    fan = make_user()
    thread = make_thread(author=fan)
    login(fan)

    def fill(n: int) -> None:
        with app.app_context():
            db.session.add_all(
                Notification(user_id=fan.id, kind="activity", actor_id=thread.author_id,
                             thread_id=thread.id) for _ in range(n)
            )  # fmt: skip
            db.session.commit()

    fill(3)
    with count_queries() as few:
        assert client.get("/notifications").status_code == 200
    fill(300)
    with count_queries() as many:
        assert client.get("/notifications").status_code == 200
    assert len(many) == len(few) <= 5


def test_the_following_page_keeps_a_constant_number_of_queries(
    app, client, make_user, make_film, make_thread, login, count_queries
):
    fan = make_user()
    login(fan)

    def follow(n: int) -> None:
        film = make_film()
        with app.app_context():
            user = db.session.get(User, fan.id)
            following.follow_film(user, db.session.get(type(film), film.id))
            following.follow_tag(user, f"tag-{film.id}")
        for _ in range(n):
            thread_id = make_thread(film=film).id
            with app.app_context():
                user = db.session.get(User, fan.id)
                following.follow_thread(user, db.session.get(Thread, thread_id))

    follow(1)
    client.get("/following")
    with count_queries() as few:
        assert client.get("/following").status_code == 200
    follow(12)
    with count_queries() as many:
        assert client.get("/following").status_code == 200
    assert len(many) == len(few) <= 9, "\n".join(q[:150] for q in many)
