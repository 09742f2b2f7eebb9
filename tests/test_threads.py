"""Starting, listing, reading, editing and deleting threads."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, Revision, Thread, ThreadKind, User


def new_thread(client, slug, **data):
    form = {"title": "The Director raised Eve", "kind": "theory",
            "body": "Every lesson mirrors John's.", "tags": "", **data}  # fmt: skip
    return client.post(f"/films/{slug}/threads/new", data=form)


def test_a_member_starts_a_theory_with_tags_and_a_spoiler_flag(
    client, make_user, make_film, login, app
):
    film = make_film(slug="ballerina")
    login(make_user("eve_fan"))
    response = new_thread(client, "ballerina", tags="ruska-roma #Mirrors", spoiler="y",
                          body="It was **Winston** ||all along||.")  # fmt: skip
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "The Director raised Eve" in page
    assert "<strong>Winston</strong>" in page and 'class="spoiler"' in page
    assert "Spoilers withheld" not in page  # authors always read their own writing
    assert "#mirrors" in page and "#ruska-roma" in page
    with app.app_context():
        thread = db.session.scalar(select(Thread))
        assert thread.kind == ThreadKind.THEORY and thread.status.value == "open"
        assert thread.tags == ["mirrors", "ruska-roma"]
        assert db.session.get(Film, film.id).thread_count == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "ab"}, "between 3 and 200"),
        ({"title": "   "}, "This field is required."),
        ({"body": ""}, "This field is required."),
        ({"body": "x" * 40_001}, "between 1 and 40000"),
        ({"kind": "rumour"}, "Not a valid choice."),
        ({"tags": "a, b, c, d, e, f"}, "Up to 5 tags"),
        ({"tags": "Bad_Tag!"}, "“Bad_Tag!”: use letters"),
        ({"tags": "rooney, 七人の侍"}, "“七人の侍”: use letters"),
    ],
)
def test_starting_a_thread_explains_bad_input(client, make_user, make_film, login, data, message):
    make_film(slug="ballerina")
    login(make_user())
    response = new_thread(client, "ballerina", **data)
    assert response.status_code == 422
    assert message in response.text
    assert "Start a thread" in response.text  # the form comes back with what was typed


def test_starting_a_thread_in_a_missing_board_is_404(client, make_user, login):
    login(make_user())
    assert new_thread(client, "nope").status_code == 404


def test_board_lists_threads_with_badges_author_age_and_replies(
    client, make_thread, make_reply, make_film, make_user
):
    film = make_film(slug="ballerina")
    eve = make_user("eve_fan")
    thread = make_thread(
        author=eve, film=film, title="Blood-tied ballet shoes", kind=ThreadKind.SYMBOLISM
    )
    make_reply(thread)
    page = client.get("/films/ballerina").text
    assert "Blood-tied ballet shoes" in page
    assert "kind-symbolism" in page and "eve_fan" in page and "1 reply" in page
    assert "just now" in page


def test_board_filters_by_kind_and_tag(client, make_thread, make_film):
    film = make_film(slug="ballerina")
    make_thread(film=film, title="A theory about Rooney", kind=ThreadKind.THEORY, tags=["rooney"])
    make_thread(film=film, title="What do the mirrors mean", kind=ThreadKind.QUESTION)
    theories = client.get("/films/ballerina?kind=theory").text
    assert "A theory about Rooney" in theories and "What do the mirrors mean" not in theories
    tagged = client.get("/films/ballerina?tag=rooney").text
    assert "A theory about Rooney" in tagged and "What do the mirrors mean" not in tagged


def test_board_pages_newest_first_by_keyset(client, make_thread, make_film, make_user):
    film, author = make_film(slug="ballerina"), make_user()
    for n in range(12):  # TestConfig.PAGE_SIZE is 5
        make_thread(film=film, author=author, title=f"Theory number {n:02d}")
    seen, url = [], "/films/ballerina?sort=new"
    while url:
        page = client.get(url).text
        seen += re.findall(r"Theory number (\d\d)", page)
        found = re.search(r'href="([^"]+)">Older', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == [f"{n:02d}" for n in range(11, -1, -1)]


@pytest.mark.parametrize(
    ("query", "status"),
    [("sort=sideways", 422), ("t=decade&sort=top", 422), ("kind=rumour", 422),
     ("status=maybe", 422), ("cursor=forged", 400), ("cursor=" + "A" * 500, 400)],
)  # fmt: skip
def test_board_explains_bad_listing_parameters(client, make_film, query, status):
    make_film(slug="ballerina")
    response = client.get(f"/films/ballerina?{query}")
    assert response.status_code == status
    assert "Subtext" in response.text


def test_the_author_edits_a_thread_and_the_earlier_text_is_kept(
    client, make_thread, make_user, login, app
):
    eve = make_user()
    thread = make_thread(author=eve, title="Mirrors mean lies", body="First reading.")
    login(eve)
    assert client.get(f"/threads/{thread.id}/edit").status_code == 200
    response = client.post(
        f"/threads/{thread.id}/edit", data={"title": "Mirrors mean truth", "body": "Second."}
    )
    assert response.status_code == 302
    page = client.get(f"/threads/{thread.id}").text
    assert "Mirrors mean truth" in page and "edited" in page
    with app.app_context():
        revision = db.session.scalar(select(Revision).filter_by(thread_id=thread.id))
        assert (revision.title, revision.body) == ("Mirrors mean lies", "First reading.")


def test_edit_with_bad_input_keeps_the_thread_unchanged(client, make_thread, make_user, login, app):
    eve = make_user()
    thread = make_thread(author=eve, title="Mirrors mean lies")
    login(eve)
    response = client.post(f"/threads/{thread.id}/edit", data={"title": "x", "body": "b"})
    assert response.status_code == 422 and "between 3 and 200" in response.text
    with app.app_context():
        assert db.session.get(Thread, thread.id).title == "Mirrors mean lies"


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_edits_or_deletes_someone_elses_thread(
    client, make_thread, make_user, login, method
):
    thread = make_thread()
    login(make_user())
    call = getattr(client, method)
    assert (
        call(f"/threads/{thread.id}/edit", data={"title": "Hijacked", "body": "x"}).status_code
        == 403
    )
    if method == "post":
        assert client.post(f"/threads/{thread.id}/delete").status_code == 403


def test_deleting_a_thread_hides_it_but_keeps_it(
    client, make_thread, make_user, make_film, make_reply, login, app
):
    eve, film = make_user(), make_film(slug="ballerina")
    thread = make_thread(author=eve, film=film, title="A theory I regret")
    make_reply(thread, body="Still a good point.")
    login(eve)
    assert client.post(f"/threads/{thread.id}/delete").status_code == 302
    assert "A theory I regret" not in client.get("/films/ballerina").text
    login(make_user())
    assert client.get(f"/threads/{thread.id}").status_code == 404
    with app.app_context():
        kept = db.session.get(Thread, thread.id)
        assert kept.deleted and kept.title == "A theory I regret" and kept.reply_count == 1
        assert db.session.get(Film, kept.film_id).thread_count == 0


def test_missing_thread_is_a_404_page(client):
    response = client.get("/threads/424242")
    assert response.status_code == 404 and "No such thread." in response.text


def test_anonymous_visitors_read_but_are_asked_to_log_in_to_post(client, make_thread):
    thread = make_thread()
    page = client.get(f"/threads/{thread.id}").text
    assert "Log in</a> to reply" in page
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "hi"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_thread_by_a_user_page_escapes_titles(client, make_thread):
    thread = make_thread(title="<script>alert(1)</script> theory")
    page = client.get(f"/threads/{thread.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; theory" in page


def test_user_count_is_unchanged_by_reading(client, make_thread, app):
    thread = make_thread()
    client.get(f"/threads/{thread.id}")
    with app.app_context():
        assert db.session.query(User).count() == 1
