"""Films you have seen: the spoiler rule, the marks, the "Seen it" toggles and the account
page's list."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from forum import demo
from forum.extensions import db
from forum.models import Film, ModAction, Post, Seen, Thread, Universe, User, utcnow
from forum.services import seen
from forum.services.errors import Invalid
from forum.services.permissions import can_read_spoilers, can_read_thread_spoilers


@pytest.fixture
def john_wick(app, make_film) -> dict[str, Film]:
    """The universe in story order: Ballerina sits between Chapter 3 and Chapter 4,
    though it was released after Chapter 4."""
    with app.app_context():
        db.session.add(Universe(slug="john-wick", name="John Wick"))
        db.session.commit()
    films = {}
    for slug, title, year, order in [
        ("chapter-1", "John Wick", 2014, 1),
        ("chapter-2", "Chapter 2", 2017, 2),
        ("parabellum", "Parabellum", 2019, 3),
        ("ballerina", "Ballerina", 2025, 4),
        ("chapter-4", "Chapter 4", 2023, 5),
    ]:
        films[slug] = make_film(slug, title=title, year=year, universe="john-wick",
                                timeline_order=order)  # fmt: skip
    return films


def _seen_slugs(app, user: User) -> set[str]:
    with app.app_context():
        return {f.slug for f in seen.seen_films(db.session.get(User, user.id))}


# (signed in, marked seen, reveal=spoilers) → may read the film's spoilers
@pytest.mark.parametrize(
    "signed_in, marked, reveal, allowed",
    [
        (False, False, False, False),  # anonymous
        (False, False, True, True),  # anonymous, with explicit consent for this request
        (True, False, False, False),  # signed in, not seen
        (True, True, False, True),  # signed in, seen
        (True, False, True, True),  # signed in, not seen, reveal=spoilers
    ],
)
def test_who_may_read_a_films_spoilers(
    ctx, make_user, make_film, signed_in, marked, reveal, allowed
):
    film, other = make_film(), make_film()
    user = db.session.get(User, make_user().id)
    if marked:
        seen.mark_seen(user, db.session.get(Film, film.id))
    seen.mark_seen(user, db.session.get(Film, other.id))  # another film opens nothing here
    viewer = user if signed_in else None
    ids = seen.seen_film_ids(viewer)
    assert can_read_spoilers(viewer, film, reveal, ids) is allowed


def test_without_the_seen_ids_the_rule_withholds(ctx, make_user, make_film, make_thread):
    film, fan = make_film(), make_user()
    seen.mark_seen(db.session.get(User, fan.id), db.session.get(Film, film.id))
    assert can_read_spoilers(fan, film) is False  # the caller forgot to ask: no leak
    thread = db.session.get(Thread, make_thread(film=film).id)
    assert can_read_thread_spoilers(thread.author, thread) is True  # authors read their own
    assert can_read_thread_spoilers(fan, thread) is False
    assert can_read_thread_spoilers(fan, thread, seen_film_ids={film.id}) is True


def test_marks_are_idempotent_both_ways(app, ctx, make_user, make_film):
    film, fan = db.session.get(Film, make_film().id), db.session.get(User, make_user().id)
    seen.mark_seen(fan, film)
    seen.mark_seen(fan, film)
    assert db.session.scalars(select(Seen)).all()[0].film_id == film.id
    assert len(db.session.scalars(select(Seen)).all()) == 1
    seen.unmark_seen(fan, film)
    seen.unmark_seen(fan, film)
    assert seen.seen_film_ids(fan) == frozenset()


def test_seen_up_to_a_film_follows_story_order_not_release_order(app, john_wick, make_user):
    fan = make_user()
    with app.app_context():
        user, ballerina = (
            db.session.get(User, fan.id),
            db.session.get(Film, john_wick["ballerina"].id),
        )
        marked = [f.slug for f in seen.mark_seen_up_to(user, ballerina)]
    assert marked == ["chapter-1", "chapter-2", "parabellum", "ballerina"]
    assert _seen_slugs(app, fan) == set(marked)  # Chapter 4 (released 2023) comes after


def test_seen_up_to_needs_a_place_in_a_universe(ctx, make_user, make_film):
    with pytest.raises(Invalid, match="story order"):
        seen.mark_seen_up_to(db.session.get(User, make_user().id),
                             db.session.get(Film, make_film().id))  # fmt: skip


def test_a_fans_seen_films_are_one_query(app, make_user, make_film, count_queries):
    fan = make_user()
    with app.app_context():
        user = db.session.get(User, fan.id)
        for _ in range(20):
            seen.mark_seen(user, db.session.get(Film, make_film().id))
        assert user.username  # loaded, as the signed-in viewer is
        with count_queries() as queries:
            ids = seen.seen_film_ids(user)
        assert len(ids) == 20 and len(queries) == 1
        with count_queries() as queries:
            assert seen.seen_film_ids(None) == frozenset()
        assert queries == []


def test_the_seen_toggle_on_a_board_marks_and_unmarks(app, client, login, make_user, make_film):
    film, fan = make_film("heat", title="Heat"), make_user()
    login(fan)
    page = client.get("/films/heat").text
    assert 'action="/films/heat/seen"' in page and 'aria-pressed="false"' in page
    response = client.post("/films/heat/seen", data={"seen": "yes", "next": "/films/heat?sort=new"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/films/heat?sort=new"
    assert _seen_slugs(app, fan) == {"heat"}
    page = client.get("/films/heat").text
    assert 'aria-pressed="true"' in page and "Heat is marked seen" in page
    assert client.post("/films/heat/seen", data={"seen": "no"}).status_code == 302
    assert _seen_slugs(app, fan) == set()
    assert film.slug == "heat"


def test_home_lists_toggles_and_up_to_buttons_in_every_universe(
    app, client, login, make_user, john_wick, make_film
):
    make_film("heat", title="Heat", year=1995)  # a standalone film gets a toggle too
    fan = make_user()
    login(fan)
    page = client.get("/").text
    for slug in [*john_wick, "heat"]:
        assert f'action="/films/{slug}/seen"' in page
    assert 'action="/films/parabellum/seen-up-to"' in page
    assert 'action="/films/heat/seen-up-to"' not in page  # no story order to follow
    response = client.post("/films/parabellum/seen-up-to", data={"next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _seen_slugs(app, fan) == {"chapter-1", "chapter-2", "parabellum"}
    page = client.get("/").text
    assert "Marked seen: John Wick, Chapter 2, Parabellum." in page
    assert page.count('aria-pressed="true"') == 3


def test_the_account_page_lists_the_films_you_have_seen(app, client, login, make_user, make_film):
    make_film("heat", title="Heat", year=1995)
    make_film("ballerina", title="Ballerina", year=2025)
    fan = make_user()
    login(fan)
    assert "No films marked seen yet" in client.get("/account").text
    client.post("/films/ballerina/seen", data={"seen": "yes"})
    page = client.get("/account").text
    assert "Ballerina" in page and "Heat" not in page
    assert 'action="/films/ballerina/seen"' in page and 'value="no"' in page
    client.post("/films/ballerina/seen", data={"seen": "no", "next": "/account"})
    assert "No films marked seen yet" in client.get("/account").text


def test_anonymous_visitors_are_asked_to_log_in(client, make_film):
    make_film("heat", title="Heat")
    page = client.get("/films/heat").text
    assert "to mark Heat seen" in page and 'action="/films/heat/seen"' not in page
    assert 'action="/films/heat/seen"' not in client.get("/").text
    for url in ("/films/heat/seen", "/films/heat/seen-up-to", "/account"):
        response = client.open(url, method="GET" if url == "/account" else "POST",
                               data={"seen": "yes"})  # fmt: skip
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "url, data, status, message",
    [
        ("/films/heat/seen", {"seen": "maybe"}, 422, "Say whether you have seen it"),
        ("/films/nope/seen", {"seen": "yes"}, 404, "No such film"),
        ("/films/heat/seen-up-to", {}, 422, "no place in a universe"),
        ("/films/heat/seen", {"seen": "yes", "next": "https://evil.example/"}, 302, ""),
    ],
)
def test_bad_seen_requests_get_clear_answers(
    app, client, login, make_user, make_film, url, data, status, message
):
    make_film("heat", title="Heat")
    fan = make_user()
    login(fan)
    response = client.post(url, data=data)
    assert response.status_code == status
    if status == 302:  # an outside next= is ignored: back to the board
        assert response.headers["Location"] == "/films/heat"
    else:
        assert message in response.text
        assert _seen_slugs(app, fan) == set()


def test_seen_forms_need_their_csrf_token(app, csrf_client, make_user, make_film, john_wick):
    fan = make_user()
    with csrf_client.session_transaction() as session, app.app_context():
        session["_user_id"] = db.session.get(User, fan.id).get_id()
    for url in ("/films/ballerina/seen", "/films/ballerina/seen-up-to"):
        response = csrf_client.post(url, data={"seen": "yes"})
        assert response.status_code == 400
    assert _seen_slugs(app, fan) == set()


def test_the_home_page_asks_for_seen_films_once(
    app, client, login, make_user, make_film, count_queries
):
    fan = make_user()
    login(fan)
    make_film("first", title="First")
    few = _count(client, count_queries, "/")
    for _ in range(15):
        film = make_film()
        client.post(f"/films/{film.slug}/seen", data={"seen": "yes"})
    assert _count(client, count_queries, "/") == few


def _count(client, count_queries, url: str) -> int:
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_demo_shows_spoilers_on_first_run(app, client, login):
    with app.app_context():
        demo.seed()
        finale = db.session.scalar(
            select(Thread).where(Thread.title.startswith("What the village"))
        )
        assert finale.spoiler is True  # flagged by Ballerina's spoiler window, not by hand
        assert finale.film.spoiler_window_days == 3 * 365
        assert finale.film.in_spoiler_window(utcnow())
        assert '<span class="spoiler"' in finale.body_html and finale.spoiler_title
        wrapped = db.session.scalar(select(ModAction).where(ModAction.action == "wrap_spoiler"))
        post = db.session.get(Post, wrapped.target_id)
        assert "||Rooney is Winston's granddaughter||" in post.body
        eve = db.session.scalar(select(User).filter_by(username="eve_macarro_fan"))
        high_table = db.session.scalar(select(User).filter_by(username="high_table"))
        assert finale.film_id in seen.seen_film_ids(eve)
        assert finale.film_id not in seen.seen_film_ids(high_table)
        full_title, thread_id = str(escape(finale.spoiler_title)), finale.id
        wrapped_thread = post.thread_id
    twist, reply_twist, wrapped_twist = "walks away", "no longer", "granddaughter"
    page = client.get(f"/threads/{thread_id}").text
    assert full_title not in page and twist not in page and reply_twist not in page
    assert "Show spoilers for this thread" in page and "I've seen Ballerina" in page
    assert wrapped_twist not in client.get(f"/threads/{wrapped_thread}").text
    login(eve)
    page = client.get(f"/threads/{thread_id}").text
    assert full_title in page and twist in page and reply_twist in page
    assert wrapped_twist in client.get(f"/threads/{wrapped_thread}").text
    login(high_table)
    page = client.get(f"/threads/{thread_id}").text
    assert full_title not in page and twist not in page and "I've seen Ballerina</button>" in page


def test_the_toggles_script_gets_json(app, client, login, make_user, make_film):
    make_film("heat", title="Heat")
    fan = make_user()
    login(fan)
    json = {"Accept": "application/json"}
    response = client.post("/films/heat/seen", data={"seen": "yes"}, headers=json)
    assert response.status_code == 200 and response.get_json() == {"seen": True}
    assert client.post("/films/heat/seen", data={"seen": "no"}, headers=json).get_json() == {
        "seen": False
    }
    assert _seen_slugs(app, fan) == set()
