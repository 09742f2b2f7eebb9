"""Tags across films: one normalized name for the whole site, a tag page gathering every
film's threads, suggestions as you type, and the moderators' rename and merge."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModAction, Role, Tag, TheoryStatus, Thread, ThreadKind, User
from forum.services import moderation, tags
from forum.services.errors import Invalid


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("Ruska Roma", "ruska-roma"),
        ("ruska_roma", "ruska-roma"),
        ("ruska-roma", "ruska-roma"),
        ("#Ruska  Roma", "ruska-roma"),
        ("Ruska-Róma", "ruska-roma"),
        ("  RUSKA__ROMA-- ", "ruska-roma"),
        ("Caine's blindness", "caines-blindness"),
        ("Zoë", "zoe"),
        ("1:42", None),
        ("七人の侍", None),
        ("-", None),
        ("x" * 41, None),
    ],
)
def test_tag_names_are_normalized_so_spellings_are_one_tag(typed, tag):
    if tag is None:
        with pytest.raises(Invalid):
            tags.normalize(typed)
    else:
        assert tags.normalize(typed) == tag


def test_three_spellings_in_three_films_are_one_tag_page(client, make_thread, make_film, app):
    films = [make_film(title=f"Chapter {n}", year=2014 + n) for n in range(3)]
    for film, spelling in zip(films, ["Ruska Roma", "ruska-roma", "ruska_roma"], strict=True):
        make_thread(film=film, title=f"The family in {film.title}", tags=[spelling])
    with app.app_context():
        assert db.session.scalars(select(Tag.name)).all() == ["ruska-roma"]
        assert db.session.scalar(select(Tag.thread_count)) == 3
    page = client.get("/tags/ruska-roma")
    assert page.status_code == 200
    for film in films:
        assert f"The family in {film.title}" in page.text
    assert "3 threads tagged #ruska-roma, across 3 films" in page.text
    # another spelling of the address leads to the tag's own page, query kept
    moved = client.get("/tags/Ruska%20Roma?sort=new")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/tags/ruska-roma?sort=new")


def test_the_thread_form_takes_tags_separated_by_commas(client, make_user, make_film, login, app):
    make_film(slug="ballerina")
    login(make_user())
    form = {"title": "Mirrors and markers", "kind": "symbolism", "body": "Both contracts.",
            "tags": "Ruska Roma, #Mirrors, broken_mirror"}  # fmt: skip
    assert client.post("/films/ballerina/threads/new", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Thread)).tags == ["broken-mirror", "mirrors", "ruska-roma"]


def test_a_tag_page_filters_by_film_status_and_kind_and_sorts(
    client, make_thread, make_film, make_user, app
):
    one, two = make_film(title="John Wick: Chapter 2"), make_film(title="Ballerina")
    confirmed = make_thread(film=one, title="The marker binds both", tags=["markers"])
    make_thread(film=two, title="The shoes are a marker", tags=["markers"])
    make_thread(film=two, title="Markers as symbols", tags=["markers"], kind=ThreadKind.SYMBOLISM)
    make_thread(film=two, title="Untagged theory")
    with app.app_context():
        moderator = db.session.get(User, make_user(role=Role.MODERATOR).id)
        moderation.set_theory_status(moderator, db.session.get(Thread, confirmed.id), "confirmed")
    by_film = client.get(f"/tags/markers?film={two.slug}").text
    assert "The shoes are a marker" in by_film and "Markers as symbols" in by_film
    assert "The marker binds both" not in by_film and "Untagged theory" not in by_film
    by_status = client.get("/tags/markers?status=confirmed").text
    assert "The marker binds both" in by_status and "The shoes are a marker" not in by_status
    by_kind = client.get("/tags/markers?kind=symbolism").text
    assert "Markers as symbols" in by_kind and "The shoes are a marker" not in by_kind
    for sort in ("hot", "new", "top", "controversial", "active"):
        assert "The marker binds both" in client.get(f"/tags/markers?sort={sort}").text
    assert client.get("/tags/markers?sort=sideways").status_code == 422
    empty = client.get(f"/tags/markers?film={one.slug}&kind=question").text
    assert "No threads tagged #markers match these filters" in empty


@pytest.mark.parametrize("path", ["/tags/nothing-here", "/tags/%E4%B8%83", "/tags/-"])
def test_an_unknown_tag_is_404(client, path):
    assert client.get(path).status_code == 404


def test_a_tag_counts_live_threads_only(make_thread, make_user, app):
    thread = make_thread(tags=["mirrors"])
    make_thread(tags=["mirrors"])
    with app.app_context():
        count = lambda: db.session.scalar(select(Tag.thread_count).where(Tag.name == "mirrors"))  # noqa: E731
        moderator = db.session.get(User, make_user(role=Role.MODERATOR).id)
        moderation.remove_thread(moderator, db.session.get(Thread, thread.id), "Off topic")
        assert count() == 1
        moderation.restore_thread(moderator, db.session.get(Thread, thread.id))
        assert count() == 2


def test_suggestions_come_most_used_first(client, make_thread):
    for _ in range(3):
        make_thread(tags=["mirrors"])
    make_thread(tags=["mirror-room"])
    make_thread(tags=["markers"])
    found = client.get("/api/v1/tags?prefix=MIR").get_json()["tags"]
    assert found == [{"name": "mirrors", "thread_count": 3},
                     {"name": "mirror-room", "thread_count": 1}]  # fmt: skip
    assert [t["name"] for t in client.get("/api/v1/tags").get_json()["tags"]][0] == "mirrors"
    assert client.get("/api/v1/tags?prefix=%E4%B8%83").get_json() == {"tags": []}
    assert client.get("/api/v1/tags?prefix=" + "x" * 41).status_code == 422


def test_the_thread_form_offers_suggestions_over_the_tags_api(client, make_user, make_film, login):
    film = make_film()
    login(make_user())
    page = client.get(f"/films/{film.slug}/threads/new").text
    assert "data-tag-suggest" in page and "separated by commas" in page


def test_a_moderator_renames_a_tag_and_the_old_name_leads_to_it(
    client, make_thread, make_user, login, app
):
    make_thread(title="Who is the girl?", tags=["rooney"])
    login(make_user("charon", role=Role.MODERATOR))
    response = client.post(
        "/tags/rooney/rename", data={"name": "Rooney Wick", "reason": "Full name"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/tags/rooney-wick"
    )
    assert "Who is the girl?" in client.get("/tags/rooney-wick").text
    assert client.get("/tags/rooney").headers["Location"].endswith("/tags/rooney-wick")
    with app.app_context():
        entry = db.session.scalar(select(ModAction).where(ModAction.action == "rename_tag"))
        assert entry.target_type == "tag" and entry.reason == "#rooney → #rooney-wick: Full name"
    log = client.get("/modlog").text
    assert "rename tag" in log and "#rooney-wick" in log
    # a new thread using the old name lands on the renamed tag
    with app.app_context():
        assert [t.name for t in tags.tags_for(["rooney"])] == ["rooney-wick"]


def test_renaming_onto_another_tag_says_to_merge(client, make_thread, make_user, login):
    make_thread(tags=["rooney"])
    make_thread(tags=["winstons-granddaughter"])
    login(make_user(role=Role.MODERATOR))
    response = client.post("/tags/rooney/rename", data={"name": "winstons granddaughter"})
    assert response.status_code == 422
    assert "#winstons-granddaughter is another tag: merge #rooney into it instead." in response.text
    assert client.post("/tags/rooney/rename", data={"name": "!!"}).status_code == 422


def test_a_moderator_merges_a_tag_and_its_threads_move(client, make_thread, make_user, login, app):
    both = make_thread(title="Mirror and glass", tags=["mirrors", "glass"])
    make_thread(title="Only glass", tags=["glass"])
    make_thread(title="Only mirrors", tags=["mirrors"])
    login(make_user(role=Role.MODERATOR))
    response = client.post("/tags/glass/merge", data={"into": "mirrors", "reason": "Same motif"})
    assert response.headers["Location"].endswith("/tags/mirrors")
    page = client.get("/tags/mirrors").text
    assert "Mirror and glass" in page and "Only glass" in page and "Only mirrors" in page
    with app.app_context():
        mirrors = db.session.scalar(select(Tag).where(Tag.name == "mirrors"))
        assert mirrors.thread_count == 3
        assert db.session.get(Thread, both.id).tags == ["mirrors"]
        entry = db.session.scalar(select(ModAction).where(ModAction.action == "merge_tag"))
        assert entry.reason == "#glass → #mirrors: Same motif" and entry.target_id == mirrors.id
    assert client.get("/tags/glass").headers["Location"].endswith("/tags/mirrors")
    assert client.get("/api/v1/tags?prefix=gla").get_json() == {"tags": []}


@pytest.mark.parametrize(
    ("into", "status", "message"),
    [
        ("nowhere", 404, "There is no tag #nowhere."),
        ("Glass", 422, "A tag can&#39;t be merged into itself."),
    ],
)
def test_a_merge_that_cannot_be_says_why(
    client, make_thread, make_user, login, into, status, message
):
    make_thread(tags=["glass"])
    login(make_user(role=Role.MODERATOR))
    response = client.post("/tags/glass/merge", data={"into": into})
    assert response.status_code == status
    assert message in response.text


def test_members_cannot_rename_or_merge_tags(client, make_thread, make_user, login, app):
    make_thread(tags=["glass"])
    make_thread(tags=["mirrors"])
    login(make_user())
    assert "Moderate #glass" not in client.get("/tags/glass").text
    assert client.post("/tags/glass/rename", data={"name": "panes"}).status_code == 403
    assert client.post("/tags/glass/merge", data={"into": "mirrors"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Tag.name).where(Tag.name == "glass")) == "glass"


def test_a_tag_with_no_live_threads_says_what_to_do(client, make_thread, make_user, app):
    thread = make_thread(tags=["finale"])
    with app.app_context():
        moderator = db.session.get(User, make_user(role=Role.MODERATOR).id)
        moderation.remove_thread(moderator, db.session.get(Thread, thread.id), "Spam")
    page = client.get("/tags/finale").text
    assert "No live threads are tagged #finale yet. Start a thread" in page


def test_the_board_filter_still_takes_a_tag_by_any_spelling(client, make_thread, make_film):
    film = make_film()
    make_thread(film=film, title="The family", tags=["ruska-roma"])
    make_thread(film=film, title="Something else")
    page = client.get(f"/films/{film.slug}?tag=Ruska%20Roma").text
    assert "The family" in page and "Something else" not in page
    assert "#Ruska Roma in every film" in page
    assert "Something else" not in client.get(f"/films/{film.slug}?tag=%21%21").text


def test_status_filter_on_a_board_lists_confirmed_theories(
    client, make_thread, make_film, make_user, app
):
    film = make_film()
    settled = make_thread(film=film, title="Settled by the sequel")
    make_thread(film=film, title="Still open")
    with app.app_context():
        moderator = db.session.get(User, make_user(role=Role.MODERATOR).id)
        moderation.set_theory_status(
            moderator, db.session.get(Thread, settled.id), TheoryStatus.CONFIRMED
        )
    page = client.get(f"/films/{film.slug}?status=confirmed").text
    assert "Settled by the sequel" in page and "Still open" not in page
