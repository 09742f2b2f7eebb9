"""Searching the forum from the site: the header's box and the results page."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import Thread


@pytest.fixture
def forum(make_film, make_user, make_thread, make_reply):
    ballerina, heat = make_film(slug="ballerina", title="Ballerina"), make_film(slug="heat")
    eve = make_user("eve_fan")
    mirrors = make_thread(author=eve, film=ballerina, title="Broken mirrors and Eve",
                          body="Every mirror breaks when she learns the truth.")  # fmt: skip
    make_reply(mirrors, body="The MIRRORS are the Ruska Roma's eyes.")
    make_thread(film=heat, title="The coffee scene", body="No mirrors here, only coffee.")
    make_thread(film=ballerina, title="Spoilers about the mirrors", spoiler=True,
                body="The last mirror shows ||the Chancellor||.")  # fmt: skip
    return {"mirrors": mirrors}


def test_every_page_has_a_search_box(client):
    page = client.get("/").text
    assert 'role="search"' in page and 'action="/search"' in page and 'name="q"' in page


def test_search_finds_threads_and_replies_whatever_the_case(client, forum):
    page = client.get("/search?q=mirrors").text
    assert "Broken mirrors and Eve" in page
    assert "a reply by" in page and "Ruska Roma" in page
    assert "The coffee scene" in page


def test_search_filters_by_film_and_kind(client, forum):
    page = client.get("/search?q=mirrors&film=heat").text
    assert "The coffee scene" in page and "Broken mirrors and Eve" not in page
    assert "Nothing matches" in client.get("/search?q=mirrors&kind=question").text


def test_search_never_shows_the_text_of_a_spoiler_thread(client, forum):
    page = client.get("/search?q=mirror").text
    assert "Spoilers about the mirrors" in page  # the title is the author's warning
    assert "Chancellor" not in page
    assert "This thread has spoilers: open it to read." in page


def test_removed_threads_are_not_found(client, forum, app):
    with app.app_context():
        db.session.get(Thread, forum["mirrors"].id).removed = True
        db.session.commit()
    page = client.get("/search?q=Broken").text
    assert "Broken mirrors and Eve" not in page and "Nothing matches" in page


def test_search_pages_with_more_results(client, make_film, make_thread, make_user):
    film, author = make_film(), make_user()
    for n in range(7):  # TestConfig.PAGE_SIZE is 5
        make_thread(film=film, author=author, title=f"Rooney theory {n}")
    first = client.get("/search?q=rooney").text
    assert len(re.findall(r"Rooney theory \d", first)) == 5
    more = re.search(r'href="([^"]+)">More results', first).group(1).replace("&amp;", "&")
    second = client.get(more).text
    assert len(re.findall(r"Rooney theory \d", second)) == 2


def test_an_empty_search_asks_for_words(client):
    response = client.get("/search?q=+")
    assert response.status_code == 200 and "Type a word or two" in response.text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [("q=" + "x" * 201, 422, "What are you looking for?"),
     ("q=mirrors&kind=rumour", 422, "Unknown kind."),
     ("q=mirrors&film=nope", 404, "No such film."),
     ("q=mirrors&cursor=forged", 400, "That page link is not valid.")],
)  # fmt: skip
def test_bad_search_input_gets_a_clear_page(client, query, status, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == status and message in response.text
