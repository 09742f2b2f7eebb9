"""A universe's page: story order beside release order, each film's top and confirmed
theories, the busiest tags, and admins ordering the films."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum import demo
from forum.extensions import db
from forum.models import Film, ModAction, Role


def _story(page: str) -> list[str]:
    section = page.split('id="story-order"', 1)[1].split('id="release-order"', 1)[0]
    return re.findall(r'<h3><a href="/films/[^"]+">([^<]+)</a>', section)


def _release(page: str) -> list[str]:
    section = page.split('id="release-order"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<a href="#film-[^"]+">([^<]+)</a>', section)


def test_the_universe_page_shows_ballerina_set_before_chapter_4_but_released_after(app, client):
    with app.app_context():
        demo.seed()
    home = client.get("/").text
    assert 'href="/universes/john-wick"' in home
    page = client.get("/universes/john-wick")
    assert page.status_code == 200
    story, release = _story(page.text), _release(page.text)
    assert story.index("Ballerina") == story.index("John Wick: Chapter 4") - 1
    assert story.index("Ballerina") == story.index("John Wick: Chapter 3 – Parabellum") + 1
    assert release[-1] == "Ballerina" and release[-2] == "John Wick: Chapter 4"
    ballerina = page.text.split('id="film-ballerina"', 1)[1].split("</li>", 1)[0]
    assert "released 5th" in ballerina and "set 4th" in ballerina
    # the busiest tags of the universe, linking their pages
    assert 'href="/tags/ruska-roma"' in page.text and 'href="/tags/mirrors"' in page.text
    # a confirmed theory under the film it is about, the top theory of each film
    assert "John&#39;s childhood with the Ruska Roma will come back to save him" in page.text
    assert "Top theory:" in page.text
    assert client.get("/universes/no-such-universe").status_code == 404


def test_a_universe_without_films_says_what_to_do(client, app, make_user, login):
    with app.app_context():
        from forum.models import Universe

        db.session.add(Universe(slug="heat-verse", name="Heat"))
        db.session.commit()
    assert (
        "Come back when the admins have added its films" in client.get("/universes/heat-verse").text
    )
    login(make_user(role=Role.ADMIN))
    assert "Add a film" in client.get("/universes/heat-verse").text


@pytest.fixture
def wick(app):
    with app.app_context():
        demo.seed()
        films = {f.slug: f.id for f in db.session.scalars(select(Film))}
    return films


def test_an_admin_orders_the_films_by_number(client, wick, make_user, login, app):
    login(make_user(role=Role.ADMIN))
    page = client.get("/universes/john-wick").text
    assert 'id="order"' in page and "Save story order" in page
    # Ballerina first, the others in their order after it
    places = {f"place-{fid}": str(n) for n, fid in enumerate(wick.values(), start=2)}
    places.pop(f"place-{wick['heat']}")
    places[f"place-{wick['ballerina']}"] = "1"
    response = client.post("/universes/john-wick/order", data=places)
    assert response.status_code == 302
    assert _story(client.get("/universes/john-wick").text)[0] == "Ballerina"
    with app.app_context():
        orders = dict(db.session.execute(select(Film.slug, Film.timeline_order)).all())
        assert orders["ballerina"] == 1 and orders["john-wick"] == 2
        entry = db.session.scalar(select(ModAction).where(ModAction.action == "order_films"))
        assert entry.target_type == "universe" and entry.reason.startswith("story order: Ballerina")
    assert "order films" in client.get("/modlog").text


def test_a_bad_place_is_explained_on_the_page(client, wick, make_user, login):
    login(make_user(role=Role.ADMIN))
    places = {f"place-{fid}": "1" for slug, fid in wick.items() if slug != "heat"}
    places[f"place-{wick['ballerina']}"] = "soon"
    response = client.post("/universes/john-wick/order", data=places)
    assert response.status_code == 422
    assert "Give Ballerina a place: a whole number." in response.text
    assert 'value="soon"' in response.text  # what was typed stays


def test_members_cannot_order_a_universe(client, wick, make_user, login):
    login(make_user())
    assert 'id="order"' not in client.get("/universes/john-wick").text
    places = {f"place-{fid}": "1" for fid in wick.values()}
    assert client.post("/universes/john-wick/order", data=places).status_code == 403


def test_ordering_needs_the_csrf_token(csrf_client, wick, make_user, csrf_app):
    from tests.conftest import log_in_as

    log_in_as(csrf_client, csrf_app, make_user(role=Role.ADMIN))
    places = {f"place-{fid}": "1" for fid in wick.values()}
    assert csrf_client.post("/universes/john-wick/order", data=places).status_code in (400, 422)
