"""Board sorts, the front page and reply sorts as a reader sees them; and the cost of a
page: constant queries, a deep page costing what page one costs, an index doing the work."""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, text

from forum.extensions import db
from forum.models import Film, Post, Thread, ThreadKind, User, utcnow
from forum.services import ranking, threads, votes

SORT_KEYS = {
    "hot": lambda t: (t["hot"], t["id"]),
    "new": lambda t: (t["created_at"], t["id"]),
    "top": lambda t: (t["score"], t["id"]),
    "controversial": lambda t: (t["controversy"], t["id"]),
    "active": lambda t: (t["last_activity_at"], t["id"]),
}
SORT_COLUMNS = {"hot": "hot", "new": "created_at", "top": "score",
                "controversial": "controversy", "active": "last_activity_at"}  # fmt: skip
BIG = 300


def ids_in(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="thread-row" id="thread-(\d+)"', html)]


def next_link(html: str) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def big_board(app, make_user, make_film):
    """A board of 300 threads with varied votes, ages and activity, written in one insert
    (with the stored rankings computed by the real formulas), plus 3 pinned threads."""
    author, film, other = make_user(), make_film(slug="big-board"), make_film()
    rng, now = random.Random(7), utcnow()
    rows = []
    for n in range(BIG + 3):
        ups, downs = rng.randint(0, 40), rng.randint(0, 40)
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 400))
        rows.append({
            "film_id": film.id if n % 10 else other.id, "author_id": author.id,
            "kind": ThreadKind.THEORY, "title": f"Theory {n}", "body": "b", "body_html": "b",
            "upvotes": ups, "downvotes": downs, "score": ups - downs,
            "hot": ranking.hot(ups, downs, created),
            "controversy": ranking.controversy(ups, downs),
            "created_at": created, "pinned": n >= BIG,
            "last_activity_at": created + timedelta(minutes=rng.randint(0, 5000)),
        })  # fmt: skip
    with app.app_context():
        db.session.execute(insert(Thread), rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE threads"))
            db.session.commit()
        stored = db.session.execute(select(Thread.__table__)).mappings().all()
    return film, [dict(row) for row in stored]


@pytest.mark.parametrize("sort", list(SORT_KEYS))
@pytest.mark.parametrize("everywhere", [False, True], ids=["board", "all films"])
def test_every_sort_pages_through_everything_in_order(client, big_board, sort, everywhere):
    film, rows = big_board
    url = f"/all?sort={sort}" if everywhere else f"/films/{film.slug}?sort={sort}"
    if not everywhere:
        rows = [r for r in rows if r["film_id"] == film.id]
    pinned = []
    if sort == "hot" and not everywhere:  # newest pinned first, then the rest by hot
        pinned = [r for r in sorted(rows, key=SORT_KEYS["new"], reverse=True) if r["pinned"]]
        assert len(pinned) == 2
    rest = sorted((r for r in rows if r not in pinned), key=SORT_KEYS[sort], reverse=True)
    seen, pages = [], 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += ids_in(html)
        url, pages = next_link(html), pages + 1
    # Pinned first on the first page of hot, then every other thread once, in order.
    assert seen == [r["id"] for r in pinned + rest]
    assert pages > 50


@pytest.mark.parametrize(("sort", "window", "days"), [
    ("top", "day", 1), ("top", "week", 7), ("controversial", "month", 30),
    ("controversial", "year", 365),
])  # fmt: skip
def test_top_and_controversial_keep_to_their_window(ctx, big_board, sort, window, days):
    film, rows = big_board
    since = utcnow() - timedelta(days=days)
    expected = sorted(
        (r for r in rows if r["film_id"] == film.id and r["created_at"] >= since),
        key=SORT_KEYS[sort], reverse=True,
    )  # fmt: skip
    seen, cursor = [], None
    while True:
        _, page = threads.board_page(film, sort, window, cursor=cursor, limit=25)
        seen += [t.id for t in page.items]
        if not (cursor := page.next_cursor):
            break
    assert seen == [r["id"] for r in expected]


@pytest.mark.parametrize("sort", list(SORT_KEYS))
@pytest.mark.parametrize("everywhere", [False, True], ids=["board", "all films"])
def test_a_deep_page_costs_what_page_one_costs(client, big_board, count_queries, sort,
                                               everywhere):  # fmt: skip
    film, _ = big_board
    url = f"/all?sort={sort}&t=all" if everywhere else f"/films/{film.slug}?sort={sort}&t=all"
    costs = []
    for page in range(1, 41):
        with count_queries() as queries:
            html = client.get(url).get_data(as_text=True)
        costs.append(len(queries))
        url = next_link(html)
        assert url, f"ran out of pages at page {page}"
    # Page one of a board's hot also reads the pinned threads and their tags: two more.
    pinned_queries = 2 if sort == "hot" and not everywhere else 0
    assert costs[0] == costs[1] + pinned_queries
    assert set(costs[1:]) == {costs[1]}


def _listing_statement(app, client, url: str, order_column: str):
    """The SQL and parameters the page at `url` ran to list its threads."""
    from sqlalchemy import event

    seen = []

    def record(conn, cursor, statement, params, *args):
        if re.search(rf"ORDER BY threads\.{order_column} DESC, threads\.id DESC", statement):
            seen.append((statement, params))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(seen) == 1
    return seen[0]


def _deep_url(client, url: str, pages: int) -> str:
    for _ in range(pages):
        url = next_link(client.get(url).get_data(as_text=True))
    return url


@pytest.mark.parametrize("sort", list(SORT_KEYS))
@pytest.mark.parametrize("everywhere", [False, True], ids=["board", "all films"])
def test_a_deep_page_is_an_index_range_scan_from_the_cursor(app, client, big_board, sort,
                                                             everywhere):  # fmt: skip
    """The plan of page 30: the database walks the sort's index starting at the cursor
    and reads one page of rows, with no sort step. On PostgreSQL EXPLAIN ANALYZE counts
    the rows the index scan really read; on SQLite the plan names the index and the
    cursor's row-value bound and shows no temporary B-tree for ORDER BY."""
    film, _ = big_board
    url = f"/all?sort={sort}&t=all" if everywhere else f"/films/{film.slug}?sort={sort}&t=all"
    statement, params = _listing_statement(app, client, _deep_url(client, url, 30),
                                           SORT_COLUMNS[sort])  # fmt: skip
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            plan = conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params
            ).scalar()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            nodes = list(_plan_nodes(plan[0]["Plan"]))
            scans = [n for n in nodes if n.get("Relation Name") == "threads"]
            assert [n["Node Type"] for n in scans] == ["Index Scan"], nodes
            assert "ROW(" in scans[0]["Index Cond"], scans[0]  # starts at the cursor
            assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
            assert scans[0]["Actual Rows"] <= 6  # one page (5) and the peek at the next
        else:
            plan = " | ".join(
                row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                        params)
            )  # fmt: skip
            # SQLite bounds the range scan by the cursor's first key (`hot<?`), then
            # checks the id tie-break on the few rows sharing that key.
            index = f"ix_threads_{'film_' if not everywhere else ''}"
            bound = rf"SEARCH threads USING INDEX {index}\w+ \((film_id=\? AND )?\w+<\?\)"
            assert re.search(bound, plan), plan
            assert "TEMP B-TREE" not in plan, plan


def _plan_nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def test_hot_puts_pinned_threads_first_on_page_one_only(client, make_film, make_thread, app):
    film = make_film()
    old_pinned = make_thread(film=film, pinned=True, title="Rules of the board")
    fresh = [make_thread(film=film) for _ in range(6)]
    hot = ids_in(client.get(f"/films/{film.slug}").get_data(as_text=True))
    assert hot[0] == old_pinned.id and len(hot) == 6  # pinned + a page of 5
    new = ids_in(client.get(f"/films/{film.slug}?sort=new").get_data(as_text=True))
    assert new[:5] == [t.id for t in reversed(fresh)][:5]
    assert old_pinned.id not in new  # on `new` it waits its turn (it is the oldest)


def test_the_sort_form_offers_every_sort_and_window(client, make_film):
    film = make_film()
    page = client.get(f"/films/{film.slug}?sort=controversial&t=month").get_data(as_text=True)
    for sort in SORT_KEYS:
        assert f'<option value="{sort}"' in page
    for window in ("day", "week", "month", "year", "all"):
        assert f'<option value="{window}"' in page
    assert '<option value="controversial" selected>' in page
    assert '<option value="month" selected>' in page


@pytest.mark.parametrize(("query", "field", "status"), [
    ("sort=best", "sort", 422), ("sort=", "sort", 422), ("t=decade", "t", 422),
    ("sort=top&t=forever", "t", 422), ("cursor=not-a-cursor", "cursor", 400),
])  # fmt: skip
@pytest.mark.parametrize("everywhere", [False, True], ids=["board", "all films"])
def test_bad_sorts_get_a_clear_error_not_a_500(client, make_film, query, field, status, everywhere):
    film = make_film()
    url = f"/all?{query}" if everywhere else f"/films/{film.slug}?{query}"
    response = client.get(url)
    assert response.status_code == status
    assert "not valid" in response.get_data(as_text=True) or "Unknown" in response.get_data(
        as_text=True
    )


def test_front_page_ranks_every_film_together(app, client, make_film, make_thread, make_user):
    films = [make_film(title="Ballerina"), make_film(title="Heat")]
    made = [make_thread(film=films[n % 2], title=f"Across films {n}") for n in range(4)]
    fans = [make_user() for _ in range(3)]
    with app.app_context():
        for n, thread in enumerate(made):
            for fan in fans[:n]:
                votes.cast_vote(db.session.get(User, fan.id), db.session.get(Thread, thread.id), 1)
    top = client.get("/all?sort=top").get_data(as_text=True)
    assert ids_in(top)[:4] == [made[3].id, made[2].id, made[1].id, made[0].id]
    assert "Ballerina</a>" in top and "Heat</a>" in top
    home = client.get("/").get_data(as_text=True)
    assert "Hot on every board" in home
    assert set(ids_in(home)) == {t.id for t in made}
    assert 'href="/all"' in home


def _count_page(client, count_queries, url):
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_board_and_front_page_queries_do_not_grow_with_threads_or_votes(
    app, client, login, make_user, make_film, make_thread, count_queries
):
    fan = make_user()
    small, full = make_film(), make_film()
    for film, n in ((small, 1), (full, 5)):
        for _ in range(n):
            thread = make_thread(film=film, tags=["mirrors", "rooney"])
            with app.app_context():
                votes.cast_vote(db.session.get(User, fan.id), db.session.get(Thread, thread.id), 1)
    login(fan)
    assert _count_page(client, count_queries, f"/films/{small.slug}") == _count_page(
        client, count_queries, f"/films/{full.slug}"
    )
    assert 'aria-pressed="true"' in client.get(f"/films/{full.slug}").get_data(as_text=True)
    one = _count_page(client, count_queries, f"/u/{fan.username}")
    assert one == _count_page(client, count_queries, "/u/" + fan.username + "?tab=replies")


def _reply_tree(app, make_reply, thread, fans, shape):
    """`shape`: [(votes, [child shapes])]; votes is a list of +1/-1, one per fan."""
    made = []

    def grow(items, parent):
        for vote_values, children in items:
            post = make_reply(thread, parent=parent)
            with app.app_context():
                for fan, value in zip(fans, vote_values, strict=False):
                    votes.cast_vote(db.session.get(User, fan.id), db.session.get(Post, post.id),
                                    value)  # fmt: skip
            made.append(post)
            grow(children, post)

    grow(shape, None)
    return made


def test_thread_page_queries_do_not_grow_with_replies_or_votes(
    app, client, login, make_user, make_thread, make_reply, count_queries
):
    fans = [make_user() for _ in range(2)]
    small, big = make_thread(), make_thread()
    _reply_tree(app, make_reply, small, fans, [([1], [])])
    _reply_tree(app, make_reply, big, fans, [([1, 1], [([-1], [([1], [])])]), ([1, -1], [])] * 3)
    login(fans[0])
    assert _count_page(client, count_queries, f"/threads/{small.id}") == _count_page(
        client, count_queries, f"/threads/{big.id}"
    )


def test_best_sorts_siblings_by_wilson_at_every_level(app, client, make_user, make_thread,
                                                      make_reply):  # fmt: skip
    fans = [make_user() for _ in range(10)]
    thread = make_thread()
    # Roots: a lucky single up-vote, a solid 9:1, a split 5:5. Under the first root,
    # three replies: 1:0, 4:0 and 0:2; under the 4:0 one, 2:1 and 3:0.
    shape = [
        ([1], [([1], []), ([1] * 4, [([1, 1, -1], []), ([1, 1, 1], [])]), ([-1, -1], [])]),
        ([1] * 9 + [-1], []),
        ([1] * 5 + [-1] * 5, []),
    ]
    p = _reply_tree(app, make_reply, thread, fans, shape)
    lucky, a10, a40, a21, a30, a02, solid, split = p

    def order(sort):
        html = client.get(f"/threads/{thread.id}?sort={sort}").get_data(as_text=True)
        return [int(i) for i in re.findall(r'<li class="post[^"]*" id="post-(\d+)"', html)]

    # Pre-order: a parent, then its children sorted, then the parent's next sibling.
    # 9:1 (0.72) > 1:0 (0.38) > 5:5 (0.31): one lucky vote beats an even split.
    assert order("best") == [solid.id, lucky.id, a40.id, a30.id, a21.id, a10.id, a02.id,
                             split.id]  # fmt: skip
    assert order("old") == [lucky.id, a10.id, a40.id, a21.id, a30.id, a02.id, solid.id,
                            split.id]  # fmt: skip
    assert order("new") == [split.id, solid.id, lucky.id, a02.id, a40.id, a30.id, a21.id,
                            a10.id]  # fmt: skip
    assert client.get(f"/threads/{thread.id}?sort=hot").status_code == 422


def test_votes_reorder_a_board_as_they_come_in(app, client, make_film, make_thread, make_user):
    film = make_film()
    first, second = make_thread(film=film), make_thread(film=film)
    fans = [make_user() for _ in range(12)]
    with app.app_context():
        for fan in fans:
            votes.cast_vote(db.session.get(User, fan.id), db.session.get(Thread, first.id), 1)
        for fan in fans[:6]:
            votes.cast_vote(db.session.get(User, fan.id), db.session.get(Thread, second.id), 1)
        for fan in fans[6:]:
            votes.cast_vote(db.session.get(User, fan.id), db.session.get(Thread, second.id), -1)

    def board(sort):
        return ids_in(client.get(f"/films/{film.slug}?sort={sort}").get_data(as_text=True))

    assert board("hot") == [first.id, second.id]
    assert board("top") == [first.id, second.id]
    assert board("controversial") == [second.id, first.id]
    with app.app_context():
        assert db.session.get(Film, film.id).thread_count == 2
