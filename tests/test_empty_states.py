"""An empty list says what happened and what to do next, with one way to do it."""

from __future__ import annotations

from forum.models import Role


def test_no_films_yet_says_who_can_add_one(client, make_user, login):
    page = client.get("/").text
    assert "No films yet." in page and "/admin/films/new" not in page
    login(make_user(role=Role.ADMIN))
    page = client.get("/").text
    assert "Add the first film" in page and 'href="/admin/films/new">Add a film</a>' in page


def test_an_empty_board_offers_its_first_thread_once(client, make_film, make_user, login):
    make_film(slug="heat", title="Heat")
    page = client.get("/films/heat").text
    assert "No threads here yet." in page and page.count(">Log in to start a thread<") == 1
    login(make_user())
    page = client.get("/films/heat").text
    assert "Be the first" in page and page.count(">Start a thread<") == 1


def test_filters_that_match_nothing_offer_every_thread(client, make_film, make_thread):
    film = make_film(slug="heat", title="Heat")
    make_thread(film=film)
    page = client.get("/films/heat?kind=question").text
    assert "No threads match these filters." in page
    assert 'href="/films/heat">Show every thread</a>' in page


def test_a_search_that_finds_nothing_suggests_what_next(client, make_thread):
    make_thread(title="The ballet shoes")
    page = client.get("/search?q=excommunicado").text
    assert "Nothing matches “excommunicado”." in page and ">Browse every board</a>" in page


def test_an_empty_profile_speaks_to_its_owner_and_about_others(client, make_user, login):
    owner, other = make_user("eve_fan"), make_user("visitor_fan")
    assert "eve_fan hasn’t started a thread yet." in client.get("/u/eve_fan").text
    login(owner)
    page = client.get("/u/eve_fan").text
    assert "You haven’t started a thread yet." in page and ">Choose a film</a>" in page
    assert "You haven’t replied yet." in client.get("/u/eve_fan?tab=replies").text
    assert "visitor_fan hasn’t replied yet." in client.get(f"/u/{other.username}?tab=replies").text


def test_the_account_page_says_how_to_mark_films_seen(client, make_user, login):
    login(make_user())
    page = client.get("/account").text
    assert "No films marked seen yet." in page and ">Go to the film list</a>" in page
    assert "You have no API tokens." in page
