"""Scene timestamps: `[1:42:10]` links a film's scene index, which lists the posts citing
each moment in film order; the spoiler rule holds there and on the thread page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, Role, SceneCitation, User
from forum.services import markup, moderation, replies, seen

LINKS = markup.SceneLinks("/films/ballerina/scenes", 125 * 60)


@pytest.mark.parametrize(
    ("source", "linked", "text"),
    [
        ("at [1:42:10] she turns", {6130: "1:42:10"}, None),
        ("at [42:10] she turns", {2530: "42:10"}, None),
        ("at [2:42:10], past the end", {}, "[2:42:10]"),  # Ballerina runs 125 minutes
        ("`[1:42:10]` in code", {}, "<code>[1:42:10]</code>"),
        ("[42:70] is no moment", {}, "[42:70]"),
        ("[1:60:00] is no moment", {}, "[1:60:00]"),
        ("[42:10](https://example.com) is a link", {}, 'href="https://example.com"'),
        ("[see [42:10]](https://example.com)", {}, 'href="https://example.com"'),
    ],
)
def test_timestamps_link_the_scene_index_within_the_runtime(source, linked, text):
    rendered = markup.render(source, scenes=LINKS)
    for seconds, label in linked.items():
        assert f'<a href="/films/ballerina/scenes#t-{seconds}" class="timestamp"' in rendered.html
        assert f">{label}</a>" in rendered.html
    if not linked:
        assert 'class="timestamp"' not in rendered.html
    if text:
        assert text in rendered.html
    assert set(linked) <= {seconds for seconds, _ in rendered.moments}


def test_a_moment_past_the_runtime_stays_text_but_is_kept_for_a_longer_runtime():
    rendered = markup.render("at [2:42:10], past the end", scenes=LINKS)
    assert "<p>at [2:42:10], past the end</p>" == rendered.html
    assert rendered.moments == ((9730, False),)


def test_a_film_without_a_runtime_links_every_moment_and_no_film_links_none():
    assert markup.render("[3:59:59]", scenes=markup.SceneLinks("/films/x/scenes")).moments == (
        (14399, False),
    )
    assert markup.render("[3:59:59]").html == "<p>[3:59:59]</p>"


def test_a_timestamp_inside_a_spoiler_is_withheld_with_it():
    rendered = markup.render("Open [10:00], hidden ||at [1:00:00] she dies||", scenes=LINKS)
    assert rendered.moments == ((600, False), (3600, True))
    assert "t-3600" in rendered.html and "t-3600" not in rendered.safe_html
    assert "1:00:00" not in rendered.text


@pytest.fixture
def ballerina(make_film):
    return make_film("ballerina", title="Ballerina", year=2025, runtime_minutes=125)


def test_citations_are_stored_at_write_time_and_on_edit(ballerina, make_thread, make_reply, app):
    thread = make_thread(film=ballerina, body="The knot at [1:38:40].")
    reply = make_reply(thread, body="And the lacing at [14:05], and [14:05] again.")
    with app.app_context():
        rows = db.session.execute(select(SceneCitation.post_id, SceneCitation.seconds)
                                  .order_by(SceneCitation.seconds)).all()  # fmt: skip
        assert rows == [(reply.id, 845), (None, 5920)]
        replies.edit_post(db.session.get(User, reply.author_id),
                          db.session.get(type(reply), reply.id), "Now only [20:00].")  # fmt: skip
        seconds = db.session.scalars(select(SceneCitation.seconds)
                                     .where(SceneCitation.post_id == reply.id)).all()  # fmt: skip
        assert seconds == [1200]


def test_the_scene_index_lists_moments_in_film_order(client, ballerina, make_thread, make_reply):
    thread = make_thread(film=ballerina, title="The shoes", body="Watch [1:38:40].")
    make_reply(thread, body="First lacing at [14:05].")
    make_reply(thread, body="Past the end: [3:00:00].")
    page = client.get("/films/ballerina/scenes")
    assert page.status_code == 200
    text = page.text
    assert text.index('id="t-845"') < text.index('id="t-5920"')
    assert "14:05" in text and "1:38:40" in text and "3:00:00" not in text
    assert "First lacing at 14:05." in text
    thread_page = client.get(f"/threads/{thread.id}").text
    assert "Scenes discussed" in thread_page
    assert 'href="/films/ballerina/scenes#t-845"' in thread_page


def test_the_scene_index_follows_the_spoiler_rule(
    client, ballerina, make_thread, make_reply, make_user, login, app
):
    open_thread = make_thread(film=ballerina, title="Open talk", body="At [10:00].")
    make_reply(open_thread, body="The twist ||at [1:30:00] is the father||.")
    make_thread(film=ballerina, title="Flagged", body="At [20:00].", spoiler=True)
    anonymous = client.get("/films/ballerina/scenes").text
    assert 'id="t-600"' in anonymous
    assert 'id="t-5400"' not in anonymous and 'id="t-1200"' not in anonymous
    assert "2 citations inside spoilers" in anonymous
    revealed = client.get("/films/ballerina/scenes?reveal=spoilers").text
    assert 'id="t-5400"' in revealed and 'id="t-1200"' in revealed
    fan = make_user()
    login(fan)
    assert 'id="t-5400"' not in client.get("/films/ballerina/scenes").text
    with app.app_context():
        seen.mark_seen(db.session.get(User, fan.id), db.session.get(Film, ballerina.id))
    page = client.get("/films/ballerina/scenes").text
    assert 'id="t-5400"' in page and 'id="t-1200"' in page and "withheld" not in page
    api = client.get("/api/v1/films/ballerina/scenes").get_json()["scenes"]
    assert [s["timestamp"] for s in api] == ["10:00", "20:00", "1:30:00"]
    client.get("/logout")
    login(None)
    api = client.get("/api/v1/films/ballerina/scenes").get_json()["scenes"]
    assert [s["timestamp"] for s in api] == ["10:00"]
    # the thread page's list withholds the spoiler's moment too
    listed = client.get(f"/threads/{open_thread.id}").text
    assert "#t-600" in listed and "#t-5400" not in listed


def test_removed_replies_leave_the_scene_index(
    client, ballerina, make_thread, make_reply, make_user, app
):
    reply = make_reply(make_thread(film=ballerina), body="At [33:00].")
    assert 'id="t-1980"' in client.get("/films/ballerina/scenes").text
    with app.app_context():
        moderator = db.session.get(User, make_user(role=Role.MODERATOR).id)
        moderation.remove_post(moderator, db.session.get(type(reply), reply.id), "Spam")
    assert 'id="t-1980"' not in client.get("/films/ballerina/scenes").text


def test_an_empty_scene_index_says_how_to_cite(client, ballerina):
    page = client.get("/films/ballerina/scenes").text
    assert "No scene of Ballerina is cited yet" in page and "[1:42:10]" in page
    assert client.get("/films/no-such-film/scenes").status_code == 404


def test_admins_set_a_runtime_in_the_film_form(client, make_user, login, ballerina, app):
    admin = make_user(role=Role.ADMIN)
    login(admin)
    form = {"title": "Ballerina", "slug": "ballerina", "year": "2025", "universe": "",
            "runtime_minutes": "124", "spoiler_window_days": "30"}  # fmt: skip
    assert client.post("/admin/films/ballerina/edit", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Film, ballerina.id).runtime_minutes == 124
    bad = client.post("/admin/films/ballerina/edit", data={**form, "runtime_minutes": "0"})
    assert bad.status_code == 422 and "Number must be between 1 and 1440" in bad.text


def test_the_thread_scenes_api_lists_moments(client, ballerina, make_thread, make_reply):
    thread = make_thread(film=ballerina, body="At [10:00].")
    reply = make_reply(thread, body="Also [10:00] and [11:00].")
    found = client.get(f"/api/v1/threads/{thread.id}/scenes").get_json()["scenes"]
    assert found == [
        {"seconds": 600, "timestamp": "10:00", "count": 2, "post_id": None},  # the thread first
        {"seconds": 660, "timestamp": "11:00", "count": 1, "post_id": reply.id},
    ]


def test_changing_a_runtime_links_again_what_was_written(
    client, make_film, make_thread, make_reply, make_user, login, app
):
    film = make_film("heat", title="Heat", year=1995, runtime_minutes=100)
    reply = make_reply(make_thread(film=film), body="The diner scene at [1:50:00].")
    with app.app_context():
        assert "t-6600" not in db.session.get(type(reply), reply.id).body_html
    assert 'id="t-6600"' not in client.get("/films/heat/scenes").text
    login(make_user(role=Role.ADMIN))
    form = {"title": "Heat", "slug": "heat-1995", "year": "1995", "universe": "",
            "runtime_minutes": "170", "spoiler_window_days": "30"}  # fmt: skip
    assert client.post("/admin/films/heat/edit", data=form).status_code == 302
    with app.app_context():
        html = db.session.get(type(reply), reply.id).body_html
        assert 'href="/films/heat-1995/scenes#t-6600"' in html
    assert 'id="t-6600"' in client.get("/films/heat-1995/scenes").text
