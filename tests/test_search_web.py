"""The search page and the header's search box, through the test client."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import Post, Role, Thread, ThreadKind, User
from forum.services import moderation, threads


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    return response.get_data(as_text=True)


def hits(html: str) -> list[str]:
    """The ids of the result rows, in order (`thread-3`, `post-7`)."""
    return re.findall(r'class="thread-row search-hit" id="([a-z]+-\d+)"', html)


def test_every_page_has_a_labelled_search_box_without_javascript(client):
    html = page(client, "/")
    form = re.search(r'<form [^>]*role="search" class="site-search">(.*?)</form>', html, re.DOTALL)
    assert form, html
    assert '<label for="site-search"' in form.group(1) and 'name="q"' in form.group(1)


def test_results_show_threads_and_replies_with_their_context(
    client, make_film, make_user, make_thread, make_reply
):
    film = make_film("ballerina", title="Ballerina")
    author, replier = make_user("tarot_reader"), make_user("ruska_fan")
    thread = make_thread(author=author, film=film, title="Broken mirrors",
                         kind=ThreadKind.SYMBOLISM,
                         body="Every **mirror** breaks when Eve learns the truth.")  # fmt: skip
    reply = make_reply(thread, author=replier, body="The mirrors are the Ruska Roma's eyes.")
    html = page(client, "/search?q=mirror")
    assert hits(html) == [f"post-{reply.id}", f"thread-{thread.id}"]
    assert f'href="/threads/{thread.id}/replies/{reply.id}"' in html
    assert f'href="/threads/{thread.id}"' in html and "Broken mirrors" in html
    assert 'href="/films/ballerina">Ballerina</a>' in html
    assert "tarot_reader" in html and "ruska_fan" in html and "just now" in html
    assert '<span class="badge kind-symbolism">symbolism</span>' in html
    assert "Every <mark>mirror</mark> breaks" in html
    assert "The <mark>mirrors</mark> are the Ruska Roma&#39;s eyes." in html
    assert 'value="mirror"' in html  # the words stay in the box


def test_the_page_shows_what_the_api_shows(client, make_thread, make_reply):
    for i in range(3):
        make_reply(make_thread(title=f"High Table {i}"), body="the High Table again")
    api = client.get("/api/v1/search?q=high table&limit=5").get_json()["results"]
    expected = [f"{r['type']}-{(r['post'] or r['thread'])['id']}" for r in api]
    assert hits(page(client, "/search?q=high+table")) == expected


def test_empty_query_and_no_results_say_so(client, make_thread):
    make_thread(title="Rooney")
    assert "Type a word" in page(client, "/search")
    assert "Type a word" in page(client, "/search?q=")
    html = page(client, "/search?q=excommunicado")
    assert hits(html) == [] and "Nothing matches “excommunicado”" in html
    html = page(client, "/search?q=rooney&kind=question")
    assert "Nothing matches “rooney” with these filters" in html


def test_filters_by_film_and_kind(client, make_film, make_thread):
    ballerina, heat = make_film("ballerina"), make_film("heat")
    theory = make_thread(film=ballerina, title="Coin theory", kind=ThreadKind.THEORY)
    question = make_thread(film=ballerina, title="Coin question", kind=ThreadKind.QUESTION)
    diner = make_thread(film=heat, title="Coin at the diner", kind=ThreadKind.THEORY)
    assert hits(page(client, "/search?q=coin&film=ballerina")) == [
        f"thread-{question.id}", f"thread-{theory.id}"
    ]  # fmt: skip
    html = page(client, "/search?q=coin&kind=theory")
    assert hits(html) == [f"thread-{diner.id}", f"thread-{theory.id}"]
    assert '<option value="theory" selected>' in html
    assert hits(page(client, "/search?q=coin&film=heat&kind=theory")) == [f"thread-{diner.id}"]


def test_spoilers_never_show_in_results(client, make_thread, make_reply):
    thread = make_thread(title="Rooney's fate", body="In the end ||Rooney betrays Eve||, sadly.")
    make_reply(thread, body="Rooney >!was her father all along!<.")
    flagged = make_thread(title="Rooney spoiler thread", body="Rooney survives the fire.",
                          spoiler=True)  # fmt: skip
    make_reply(flagged, body="Rooney escapes by boat.")
    html = page(client, "/search?q=rooney")
    assert len(hits(html)) == 3  # the spoiler thread by its title; its reply not at all
    for secret in ("betrays", "father all along", "survives the fire", "escapes by boat"):
        assert secret not in html
    assert html.count("This thread has spoilers: open it to read.") == 1
    assert "░░░" in html
    assert hits(page(client, "/search?q=betrays")) == []


def test_removed_and_deleted_writing_is_absent_even_for_members(
    client, login, make_user, make_thread, make_reply, app
):
    moderator, member = make_user(role=Role.MODERATOR), make_user()
    kept = make_thread(author=member, title="Marker kept")
    removed = make_thread(title="Marker removed")
    deleted = make_thread(author=member, title="Marker deleted")
    orphan = make_reply(removed, body="marker in a removed thread")
    gone = make_reply(kept, body="marker reply removed")
    with app.app_context():
        moderation.remove_thread(db.session.get(User, moderator.id),
                                 db.session.get(Thread, removed.id), "spam")  # fmt: skip
        moderation.remove_post(db.session.get(User, moderator.id),
                               db.session.get(Post, gone.id), "spam")  # fmt: skip
        threads.delete_thread(db.session.get(User, member.id), db.session.get(Thread, deleted.id))
    login(member)
    html = page(client, "/search?q=marker")
    assert hits(html) == [f"thread-{kept.id}"]
    for text in ("Marker removed", "Marker deleted", "removed thread", "reply removed"):
        assert text not in html
    assert f"post-{orphan.id}" not in html


def test_more_results_pages_by_cursor(client, make_thread):
    made = [make_thread(title=f"Mirror theory {i}") for i in range(7)]  # PAGE_SIZE is 5
    first = page(client, "/search?q=mirror&kind=theory")
    assert hits(first) == [f"thread-{t.id}" for t in made[::-1][:5]]
    more = re.search(r'<a class="button" rel="next" href="([^"]+)">More results', first)
    assert more, first
    link = more.group(1).replace("&amp;", "&")
    assert "q=mirror" in link and "kind=theory" in link
    second = page(client, link)
    assert hits(second) == [f"thread-{made[1].id}", f"thread-{made[0].id}"]
    assert "More results" not in second


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("q=*", 422, "Give at least one word to look for."),
        ("q=-rooney", 422, "Give at least one word to look for."),
        ("q=%22", 422, "Give at least one word to look for."),
        ("q=" + "x" * 201, 422, "What are you looking for?"),
        ("q=rooney&kind=rumour", 422, "kind"),
        ("q=rooney&cursor=forged", 400, "That page link is not valid."),
        ("q=rooney&film=nope", 404, "No such film."),
    ],
)
def test_bad_input_gets_a_clear_page(client, query, status, message):
    html = page(client, f"/search?{query}", status)
    assert message in html
    if status != 404:
        assert 'role="alert"' in html and 'id="search-q"' in html  # the form, to try again


@pytest.mark.parametrize(("query", "status"), [
    ('"ruska', 200), ("NEAR(ruska roma)", 200), ("ruska*", 200), ("ruska AND", 200),
    ("title:ruska", 200), ("ruska\\", 200), ("%_%", 200),
    ("(", 422), (")", 422), ("-", 422), ('"', 422),  # no word left to look for
])  # fmt: skip
def test_search_syntax_never_breaks_the_page(client, make_thread, query, status):
    make_thread(title="The Ruska Roma")
    assert client.get("/search", query_string={"q": query}).status_code == status
    assert client.get("/api/v1/search", query_string={"q": query}).status_code == status


def test_the_page_costs_constant_queries(client, make_thread, make_reply, count_queries):
    def cost() -> int:
        with count_queries() as queries:
            page(client, "/search?q=mirror")
        return len(queries)

    make_reply(make_thread(title="Mirror 0", tags=["mirrors"]), body="mirror reply")
    few = cost()
    for i in range(1, 6):
        make_reply(make_thread(title=f"Mirror {i}", tags=["mirrors"]), body="mirror reply")
    assert cost() == few


def test_best_match_first_is_a_choice_on_the_page(client, make_thread):
    strong = make_thread(title="Mirror, mirror", body="The mirror maze and every mirror in it.")
    weak = make_thread(title="Coats", body="One mirror.")
    html = page(client, "/search?q=mirror&sort=relevance")
    assert '<option value="relevance" selected>' in html
    assert html.index(f"/threads/{strong.id}") < html.index(f"/threads/{weak.id}")
    newest = page(client, "/search?q=mirror")
    assert newest.index(f"/threads/{weak.id}") < newest.index(f"/threads/{strong.id}")
    assert "sort" in page(client, "/search?q=mirror&sort=best", 422)
