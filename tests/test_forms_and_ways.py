"""Forms that keep what fans typed, report reasons, no tombstones for nothing, finding your
way between films, and one error answer for the site, the API and the limiter."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Report, Role, Universe, User, utcnow
from forum.services import replies
from tests.api.conftest import error_of

# --- report reasons ------------------------------------------------------------------------


def _reports(app: Flask) -> list[tuple]:
    with app.app_context():
        return [
            (r.category, r.reason) for r in db.session.scalars(select(Report).order_by(Report.id))
        ]


def test_a_fan_picks_a_report_reason_and_may_add_a_note(app, client, login, make_user, make_thread):
    first, second = make_thread(), make_thread()
    login(make_user())
    page = client.get(f"/threads/{first.id}/report").text
    for label in ("Untagged spoiler", "Off topic", "Harassment", "Spam", "Something else"):
        assert label in page
    sent = client.post(f"/threads/{first.id}/report", data={"category": "untagged_spoiler"})
    assert sent.status_code == 302
    noted = {"category": "spam", "reason": "Links to a shop"}
    assert client.post(f"/threads/{second.id}/report", data=noted).status_code == 302
    assert _reports(app) == [("untagged_spoiler", ""), ("spam", "Links to a shop")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category": "other"}, "Say why"),
        ({"category": "rude"}, "Not a valid choice"),
        ({"category": "spam", "reason": "x" * 501}, "longer than 500"),
    ],
)
def test_a_report_that_needs_more_says_so_beside_the_field(
    app, client, login, make_user, make_thread, data, message
):
    thread = make_thread()
    login(make_user())
    response = client.post(
        f"/threads/{thread.id}/report", data={**data, "reason": data.get("reason", "")}
    )
    assert response.status_code == 422
    assert message.lower() in response.text.lower()
    assert _reports(app) == []


def test_the_moderators_queue_groups_reports_by_reason(app, client, login, make_user, make_thread):
    reporter = make_user()
    threads = [make_thread(title=f"Thread {n}") for n in range(3)]
    login(reporter)
    for thread, category in zip(threads, ("spam", "harassment", "spam"), strict=True):
        data = {"category": category, "reason": ""}
        assert client.post(f"/threads/{thread.id}/report", data=data).status_code == 302
    login(make_user(role=Role.MODERATOR))
    page = client.get("/mod/reports").text
    assert page.index("Harassment") < page.index("Spam")
    spam = page[page.index('id="reason-spam"') :]
    assert spam.index("Thread 0") < spam.index("Thread 2")
    assert page.count('id="reason-spam"') == 1


# --- tombstones ----------------------------------------------------------------------------


def test_a_deleted_reply_with_nothing_under_it_leaves_no_tombstone(
    app, client, login, make_user, make_thread, make_reply
):
    thread = make_thread()
    author = make_user()
    lonely = make_reply(thread, author=author, body="Lonely words")
    parent = make_reply(thread, author=author, body="Parent words")
    make_reply(thread, parent=parent, body="A live answer")
    login(author)
    for post in (lonely, parent):
        assert client.post(f"/posts/{post.id}/delete").status_code == 302
    login(None)
    page = client.get(f"/threads/{thread.id}").text
    assert f'id="post-{lonely.id}"' not in page  # gone entirely, score and all
    assert f'id="post-{parent.id}"' in page and "[deleted]" in page  # its answer needs it
    assert "A live answer" in page
    login(make_user(role=Role.MODERATOR))
    assert f'id="post-{lonely.id}"' in client.get(f"/threads/{thread.id}").text


def test_a_chain_of_dead_replies_disappears_with_its_last_live_child(ctx, make_thread, make_reply):
    thread = make_thread()
    top = make_reply(thread)
    child = make_reply(thread, parent=top)
    for post in (top, child):
        replies.delete_post(post.author, post)
    assert replies.thread_tree(thread) == []
    assert len(replies.thread_tree(thread, keep_tombstones=True)) == 1


# --- finding your way ----------------------------------------------------------------------


def test_a_board_links_its_universe_and_the_films_before_and_after_it_in_story_order(
    app, client, make_film, make_thread
):
    with app.app_context():
        db.session.add(Universe(slug="john-wick", name="John Wick"))
        db.session.commit()
    make_film(
        slug="chapter-3", title="Chapter 3", universe="john-wick", timeline_order=3, year=2019
    )
    make_film(
        slug="chapter-4", title="Chapter 4", universe="john-wick", timeline_order=5, year=2023
    )
    make_film(
        slug="ballerina", title="Ballerina", universe="john-wick", timeline_order=4, year=2025
    )
    make_film(slug="heat", title="Heat")
    page = client.get("/films/ballerina").text
    assert '<a href="/universes/john-wick">John Wick</a>' in page  # the universe's own page
    assert (
        'rel="prev" href="/films/chapter-3"' in page
        and 'rel="next" href="/films/chapter-4"' in page
    )
    first = client.get("/films/chapter-3").text
    assert 'rel="prev"' not in first and 'rel="next" href="/films/ballerina"' in first
    assert 'rel="prev"' not in client.get("/films/heat").text
    thread = make_thread(film=_film(app, "ballerina"))
    assert 'href="/universes/john-wick"' in client.get(f"/threads/{thread.id}").text
    assert 'id="universe-john-wick"' in client.get("/").text
    assert 'href="/universes/john-wick"' in client.get("/").text


def _film(app, slug):
    from forum.models import Film

    with app.app_context():
        film = db.session.scalar(select(Film).filter_by(slug=slug))
        db.session.expunge(film)
        return film


def test_filters_apply_on_change_and_keep_a_button_without_javascript(client, make_film):
    make_film(slug="heat")
    page = client.get("/films/heat").text
    assert "data-apply-on-change" in page and ">Show</button>" in page


# --- forms that fail keep their place ------------------------------------------------------


def test_a_banned_fan_sees_the_reply_form_again_with_the_reason_beside_the_button(
    app, client, login, make_user, make_thread
):
    thread = make_thread()
    fan = make_user()
    with app.app_context():
        banned = db.session.get(User, fan.id)
        banned.banned_at, banned.ban_reason = utcnow(), "spoilers in titles"
        db.session.commit()
    login(fan)
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "My careful words"})
    assert response.status_code == 403
    assert "My careful words" in response.text
    assert 'class="error form-refusal"' in response.text


def test_a_reply_lands_with_its_confirmation_beside_it(client, login, make_user, make_thread, app):
    thread = make_thread()
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Here."})
    page = client.get(response.headers["Location"]).text
    post = page[page.index('class="post"') :]
    assert "data-just-posted" in post[:300] and 'role="status">Your reply is posted.' in post
    assert '<div class="flashes">' not in page


# --- one error answer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("/api/v1/nowhere", 404, "not_found"), ("/api/v1/films", 405, "method_not_allowed")],
)
def test_api_paths_answer_errors_in_json_and_the_site_in_html(client, path, status, code):
    response = client.delete(path) if status == 405 else client.get(path)
    assert response.status_code == status and error_of(response)["code"] == code
    page = client.get("/nowhere")
    assert page.status_code == 404 and "Not found" in page.text and page.mimetype == "text/html"


def test_a_crash_answers_json_on_the_api_and_a_page_on_the_site(app: Flask, monkeypatch):
    from forum.services import films

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(films, "home_listing", broken)
    monkeypatch.setattr(films, "all_films", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        client = app.test_client()
        api = client.get("/api/v1/films")
        assert api.status_code == 500 and error_of(api)["code"] == "server_error"
        site = client.get("/")
        assert site.status_code == 500 and "Something broke" in site.text and not site.is_json
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
