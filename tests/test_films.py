"""The home page, universes in timeline order, and admins managing films."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum import demo
from forum.extensions import db
from forum.models import Film, Role, Thread, Universe


def test_home_lists_a_universe_in_timeline_order_and_standalone_films(app, client):
    with app.app_context():
        demo.seed()
    page = client.get("/").text
    titles = re.findall(r'href="/films/[^"]+">([^<]+)</a> <span class="year">\((\d{4})\)', page)
    assert titles[:5] == [
        ("John Wick", "2014"),
        ("John Wick: Chapter 2", "2017"),
        ("John Wick: Chapter 3 – Parabellum", "2019"),
        ("Ballerina", "2025"),  # in-story order: before Chapter 4, released after it
        ("John Wick: Chapter 4", "2023"),
    ]
    assert "Standalone films" in page and "Heat" in page


def test_demo_data_is_loaded_once(app):
    with app.app_context():
        assert demo.seed() is True
        counts = (db.session.query(Film).count(), db.session.query(Thread).count())
        assert demo.seed() is False
        assert (db.session.query(Film).count(), db.session.query(Thread).count()) == counts
        assert counts[1] >= 5


def test_seed_demo_command(app):
    runner = app.test_cli_runner()
    assert "Demo data loaded." in runner.invoke(args=["seed-demo"]).output
    assert "already present" in runner.invoke(args=["seed-demo"]).output


def test_an_admin_adds_a_universe_and_a_film_in_it(client, make_user, login, app):
    login(make_user(role=Role.ADMIN))
    response = client.post("/admin/universes/new", data={"name": "The Matrix", "description": ""})
    assert response.status_code == 302
    response = client.post(
        "/admin/films/new",
        data={"title": "The Matrix Reloaded", "year": "2003", "universe": "the-matrix",
              "timeline_order": "2", "release_date": "2003-05-15", "synopsis": "Zion."},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == "/films/the-matrix-reloaded"
    with app.app_context():
        film = db.session.scalar(select(Film).filter_by(slug="the-matrix-reloaded"))
        assert film.universe.name == "The Matrix" and film.timeline_order == 2
    assert "The Matrix Reloaded" in client.get("/").text


def test_an_admin_edits_a_film(client, make_user, make_film, login, app):
    film = make_film(slug="ballerina", title="Balerina")
    login(make_user(role=Role.ADMIN))
    form = client.get(f"/admin/films/{film.slug}/edit")
    assert form.status_code == 200 and 'value="Balerina"' in form.text
    response = client.post(
        f"/admin/films/{film.slug}/edit",
        data={"title": "Ballerina", "slug": "ballerina", "year": "2025", "universe": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Film, film.id).title == "Ballerina"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "year": "2025"}, "This field is required."),
        ({"title": "Ballerina", "year": "twenty"}, "Not a valid integer value."),
        ({"title": "Ballerina", "year": "1200"}, "between 1870 and 2200"),
        ({"title": "Ballerina", "year": "2025", "release_date": "06/06/2025"},
         "Not a valid date value."),
        ({"title": "Ballerina", "year": "2025", "universe": "nowhere"}, "Not a valid choice."),
        ({"title": "Ballerina", "year": "2025", "slug": "taken"}, "That slug is taken."),
        ({"title": "Ballerina", "year": "2025", "slug": "!!!"}, "Use letters or digits."),
    ],
)  # fmt: skip
def test_film_form_explains_bad_input(client, make_user, make_film, login, data, message):
    make_film(slug="taken")
    login(make_user(role=Role.ADMIN))
    response = client.post("/admin/films/new", data={"universe": "", **data})
    assert response.status_code == 422
    assert message in response.text


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/films/new", "/admin/universes/new", "/admin/films/x/edit"]
)
@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
def test_only_admins_manage_films(client, make_user, login, url, role):
    login(make_user(role=role))
    assert client.get(url).status_code == 403
    if url != "/admin/":
        hack = {"title": "Hack", "year": "2020", "name": "Hack"}
        assert client.post(url, data=hack).status_code == 403


def test_an_admin_edits_a_universe_and_a_taken_slug_is_refused(client, make_user, login, app):
    with app.app_context():
        db.session.add_all([Universe(slug="wick", name="Wick"), Universe(slug="taken", name="T")])
        db.session.commit()
    login(make_user(role=Role.ADMIN))
    ok = client.post("/admin/universes/wick/edit", data={"name": "John Wick", "slug": "wick"})
    assert ok.status_code == 302
    taken = client.post("/admin/universes/wick/edit", data={"name": "John Wick", "slug": "taken"})
    assert taken.status_code == 422 and "That slug is taken." in taken.text


def test_missing_film_is_a_404_page(client):
    response = client.get("/films/no-such-film")
    assert response.status_code == 404
    assert "No such film." in response.text
