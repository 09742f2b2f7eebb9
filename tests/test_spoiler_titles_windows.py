"""Spoiler-free titles, per-film spoiler windows, and moderators who flag threads and wrap
a passage in spoiler markup instead of removing it."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, ModAction, Post, Revision, Role, Thread, ThreadKind, User
from forum.services import markup, moderation, seen
from forum.services.errors import Conflict, Invalid

TWIST = "Eve burns the village down"


@pytest.fixture
def mod(make_user):
    return make_user(role=Role.MODERATOR)


def _thread(app, thread_id: int) -> Thread:
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        db.session.expunge(thread)
        return thread


def _post(app, post_id: int) -> Post:
    with app.app_context():
        post = db.session.get(Post, post_id)
        db.session.expunge(post)
        return post


def _actions(app) -> list[tuple[str, str, int, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(ModAction).order_by(ModAction.id))
        return [(a.action, a.target_type, a.target_id, a.reason) for a in rows]


# ---- Spoiler windows -------------------------------------------------------------------

TODAY = date.today()


@pytest.mark.parametrize(
    "released, window, flagged",
    [
        (TODAY - timedelta(days=5), 30, True),  # inside the default window
        (TODAY - timedelta(days=30), 30, True),  # its last day
        (TODAY - timedelta(days=31), 30, False),  # the day after
        (TODAY - timedelta(days=400), 3650, True),  # a film with a long window
        (TODAY, 0, True),  # window 0: release day only
        (TODAY - timedelta(days=1), 0, False),
        (TODAY + timedelta(days=20), 30, True),  # not out yet: early screenings leak too
        (None, 30, False),  # no release date, no window
    ],
)
def test_threads_in_a_films_spoiler_window_are_flagged_by_default(
    make_film, make_thread, released, window, flagged
):
    film = make_film(release_date=released, spoiler_window_days=window)
    assert make_thread(film=film).spoiler is flagged
    assert make_thread(film=film, spoiler=False).spoiler is False  # the author unticked it
    assert make_thread(film=film, spoiler=True).spoiler is True


def test_the_new_thread_form_is_pre_ticked_inside_the_window(
    app, client, login, make_user, make_film
):
    make_film("ballerina", title="Ballerina", release_date=TODAY - timedelta(days=3))
    make_film("heat", title="Heat", release_date=date(1995, 12, 15))
    login(make_user())
    fresh = client.get("/films/ballerina/threads/new").text
    assert re.search(r'<input checked id="spoiler"|<input[^>]*id="spoiler"[^>]*checked', fresh)
    assert "within 30 days of its release are flagged as spoilers" in fresh
    old = client.get("/films/heat/threads/new").text
    assert not re.search(r'<input[^>]*checked[^>]*id="spoiler"|id="spoiler"[^>]*checked', old)
    form = {"title": "Rooney and the Ruska Roma", "kind": "theory", "body": "Hm."}
    # The author unticked the box: a browser sends no `spoiler` field.
    response = client.post("/films/ballerina/threads/new", data=form)
    assert response.status_code == 302
    thread_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert _thread(app, thread_id).spoiler is False
    response = client.post("/films/ballerina/threads/new", data={**form, "spoiler": "y"})
    assert _thread(app, int(response.headers["Location"].rsplit("/", 1)[1])).spoiler is True


@pytest.mark.parametrize(
    "window, status, saved",
    [("90", 302, 90), ("0", 302, 0), ("3650", 302, 3650), ("", 302, 30),
     ("3651", 422, None), ("-1", 422, None), ("soon", 422, None)],
)  # fmt: skip
def test_admins_set_a_films_spoiler_window(app, client, login, make_user, window, status, saved):
    login(make_user(role=Role.ADMIN))
    data = {"title": "Ballerina", "year": "2025", "universe": "", "spoiler_window_days": window}
    response = client.post("/admin/films/new", data=data)
    assert response.status_code == status
    with app.app_context():
        film = db.session.scalar(select(Film))
        assert (film.spoiler_window_days if film else None) == saved
    if status == 422:
        assert (
            "0 and 3650" in response.text
            or "Number must be between 0 and 3650" in (response.text)
            or "Not a valid integer" in response.text
        )


def test_editing_a_film_keeps_its_window_and_the_form_shows_it(
    app, client, login, make_user, make_film
):
    make_film("ballerina", title="Ballerina", year=2025, spoiler_window_days=400)
    login(make_user(role=Role.ADMIN))
    assert 'value="400"' in client.get("/admin/films/ballerina/edit").text
    data = {"title": "Ballerina", "year": "2025", "universe": "", "spoiler_window_days": ""}
    assert client.post("/admin/films/ballerina/edit", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Film.spoiler_window_days)) == 400


# ---- Spoiler-free titles --------------------------------------------------------------


def _start(client, slug: str, **extra) -> object:
    data = {"title": "What the finale says about Eve", "kind": "theory",
            "body": "She chooses.", "spoiler": "y", **extra}  # fmt: skip
    return client.post(f"/films/{slug}/threads/new", data=data)


def test_a_spoiler_title_is_shown_only_to_who_may_read_the_spoilers(
    app, client, login, make_user, make_film
):
    film = make_film("ballerina", title="Ballerina")
    author, fan, stranger = make_user(), make_user(), make_user()
    login(author)
    form = client.get("/films/ballerina/threads/new").text
    assert "Spoiler-free: everyone sees this title" in form
    assert "shown only to fans who have seen the film" in form
    response = _start(client, "ballerina", spoiler_title=TWIST)
    assert response.status_code == 302
    url = response.headers["Location"]
    assert TWIST in client.get(url).text  # the author reads their own title
    with app.app_context():
        seen.mark_seen(db.session.get(User, fan.id), db.session.get(Film, film.id))
    login(fan)
    page = client.get(url).text
    assert f"<h1>{TWIST}</h1>" in page and "Spoiler-free title, shown to everyone else" in page
    assert TWIST not in page.split("</title>")[0]  # never in the page's <title>
    for who in (stranger, None):
        login(who)
        page = client.get(url).text
        assert TWIST not in page and "What the finale says about Eve" in page
        assert TWIST in client.get(url + "?reveal=spoilers").text
    assert TWIST not in client.get("/films/ballerina").text  # listings show the title


def test_a_spoiler_title_needs_the_spoiler_flag_and_a_sane_length(
    app, client, login, make_user, make_film
):
    make_film("ballerina", title="Ballerina")
    login(make_user())
    response = _start(client, "ballerina", spoiler_title=TWIST, spoiler="")
    assert response.status_code == 422
    assert "needs the thread flagged as having spoilers" in response.text
    assert _start(client, "ballerina", spoiler_title="ab").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(Thread)) is None


def test_editing_the_spoiler_title_keeps_the_earlier_one(
    app, client, login, make_user, make_film, make_thread
):
    author = make_user()
    thread = make_thread(author=author, spoiler=True, spoiler_title=TWIST)
    login(author)
    page = client.get(f"/threads/{thread.id}/edit").text
    assert "Full title (spoilers allowed)" in page and TWIST in page
    data = {"title": thread.title, "body": thread.body, "spoiler_title": "John lets Eve go"}
    assert client.post(f"/threads/{thread.id}/edit", data=data).status_code == 302
    assert _thread(app, thread.id).spoiler_title == "John lets Eve go"
    with app.app_context():
        assert db.session.scalar(select(Revision.spoiler_title)) == TWIST
    assert client.post(f"/threads/{thread.id}/edit",
                       data={**data, "spoiler_title": ""}).status_code == 302  # fmt: skip
    assert _thread(app, thread.id).spoiler_title is None
    plain = make_thread(author=author)
    assert "Full title" not in client.get(f"/threads/{plain.id}/edit").text


# ---- Moderators flag threads and wrap spoilers ----------------------------------------


def test_a_moderator_flags_and_unflags_a_thread_changing_nothing_else(
    app, client, login, mod, make_thread
):
    thread = make_thread(body="The twist: ||she lives||.")
    before = _thread(app, thread.id)
    login(mod)
    page = client.get(f"/threads/{thread.id}").text
    assert "Flag as spoilers" in page and "Wrap a spoiler…" in page
    response = client.post(f"/threads/{thread.id}/spoiler",
                           data={"spoiler": "yes", "reason": "Ballerina's ending"})  # fmt: skip
    assert response.status_code == 302
    after = _thread(app, thread.id)
    assert after.spoiler is True
    for name in ("title", "body", "body_html", "edited_at", "score", "locked", "pinned"):
        assert getattr(after, name) == getattr(before, name), name
    assert client.post(f"/threads/{thread.id}/spoiler", data={"spoiler": "yes"}).status_code == (
        409
    )
    assert client.post(f"/threads/{thread.id}/spoiler", data={"spoiler": "no"}).status_code == 302
    assert _thread(app, thread.id).spoiler is False
    assert _actions(app) == [("flag_spoiler", "thread", thread.id, "Ballerina's ending"),
                             ("unflag_spoiler", "thread", thread.id, None)]  # fmt: skip
    log = client.get("/modlog").text
    assert "flag spoiler" in log and "unflag spoiler" in log
    assert client.post(f"/threads/{thread.id}/spoiler", data={"spoiler": "?"}).status_code == 422


def test_wrapping_a_passage_keeps_history_and_logs_without_the_passage(
    app, client, login, mod, make_thread, make_reply
):
    thread = make_thread(body="Great film. Eve burns the village down at the end.")
    post = make_reply(thread, body="Agreed: Eve burns the village down, and twice over.")
    login(mod)
    page = client.get(f"/posts/{post.id}/wrap-spoiler").text
    assert "Agreed: Eve burns the village down" in page  # the source to copy from
    for url in (f"/threads/{thread.id}", f"/posts/{post.id}"):
        response = client.post(f"{url}/wrap-spoiler",
                               data={"passage": "Eve burns the village down"})  # fmt: skip
        assert response.status_code == 302
    wrapped_thread, wrapped_post = _thread(app, thread.id), _post(app, post.id)
    assert wrapped_thread.body == "Great film. ||Eve burns the village down|| at the end."
    assert wrapped_post.body == "Agreed: ||Eve burns the village down||, and twice over."
    rendered = markup.render(wrapped_post.body)  # all three outputs kept in step
    assert (wrapped_post.body_html, wrapped_post.body_text, wrapped_post.body_safe_html) == (
        rendered.html,
        rendered.text,
        rendered.safe_html,
    )
    assert '<span class="spoiler"' in wrapped_post.body_html
    assert wrapped_thread.title == thread.title and wrapped_post.score == post.score
    assert _actions(app) == [("wrap_spoiler", "thread", thread.id, None),
                             ("wrap_spoiler", "post", post.id, None)]  # fmt: skip
    history = client.get(f"/posts/{post.id}/history?reveal=spoilers").text
    assert "Agreed: Eve burns the village down, and twice over." in history  # the earlier text
    history = client.get(f"/posts/{post.id}/history").text  # the mod has not seen the film
    assert "Eve burns" not in history and "This version is withheld" in history
    assert f"by {mod.username}" in history
    assert "Eve burns" not in client.get("/modlog").text
    assert "edited" in client.get(f"/threads/{thread.id}").text


def test_every_occurrence_of_the_passage_is_wrapped(ctx, mod, make_thread):
    thread = db.session.get(Thread, make_thread(body="Rooney lives. Yes, Rooney lives!").id)
    moderation.wrap_spoiler(db.session.get(User, mod.id), thread, "Rooney lives")
    assert thread.body == "||Rooney lives||. Yes, ||Rooney lives||!"
    assert thread.body_html.count('<span class="spoiler"') == 2


@pytest.mark.parametrize(
    "body, passage, message",
    [
        ("Eve wins.", "Eve loses", "not in the text"),
        ("Eve wins.", "   ", "Which passage"),
        ("Eve wins.", "x" * 2001, "too long"),
        ("Eve wins.\n\nJohn lets her go.", "wins.\n\nJohn", "can't be wrapped"),
        ("Eve ||wins|| here.", "||wins||", "can't be wrapped"),
        ("Eve >!wins!< here.", "wins!<", "can't be wrapped"),
        ("Run `eve --wins` now.", "eve --wins", "can't be wrapped"),  # inside code
        ("    indented code wins\n", "code wins", "can't be wrapped"),
    ],
)
def test_passages_that_cannot_be_wrapped_are_refused_clearly(
    app, mod, make_thread, body, passage, message
):
    thread = make_thread(body=body)
    with app.app_context():
        item = db.session.get(Thread, thread.id)
        with pytest.raises(Invalid, match=message) as refused:
            moderation.wrap_spoiler(db.session.get(User, mod.id), item, passage)
        assert "passage" in refused.value.fields
        db.session.rollback()
    assert _thread(app, thread.id).body == body
    assert _actions(app) == []


def test_the_wrap_page_shows_the_refusal_on_the_form(app, client, login, mod, make_thread):
    thread = make_thread(body="Eve wins.")
    login(mod)
    response = client.post(f"/threads/{thread.id}/wrap-spoiler", data={"passage": "Eve loses"})
    assert response.status_code == 422
    assert "That passage is not in the text." in response.text
    assert 'aria-invalid="true"' in response.text
    assert _actions(app) == []


def test_members_cannot_flag_or_wrap(app, client, login, make_user, make_thread, make_reply):
    author = make_user()
    thread = make_thread(author=author, body="Eve wins.")
    post = make_reply(thread, body="Eve wins again.")
    login(author)
    assert "Flag as spoilers" not in client.get(f"/threads/{thread.id}").text
    for url, data in ((f"/threads/{thread.id}/spoiler", {"spoiler": "yes"}),
                      (f"/threads/{thread.id}/wrap-spoiler", {"passage": "Eve"}),
                      (f"/posts/{post.id}/wrap-spoiler", {"passage": "Eve"})):  # fmt: skip
        assert client.post(url, data=data).status_code == 403
    assert _thread(app, thread.id).body == "Eve wins." and not _thread(app, thread.id).spoiler
    assert _actions(app) == []


# ---- Two moderators at once -----------------------------------------------------------


def _slow_render(monkeypatch) -> None:
    """Widen the gap between reading the text and writing it back, as a busy server would."""
    render = markup.render

    def slow(source: str, *args, **kw) -> str:
        threading.Event().wait(0.3)
        return render(source, *args, **kw)

    monkeypatch.setattr(markup, "render", slow)


def _at_once(app, jobs) -> list:
    start = threading.Barrier(len(jobs))

    def run(job):
        with app.app_context():
            start.wait()
            try:
                return job()
            except Conflict as err:
                db.session.rollback()
                return err
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [f.result(timeout=60) for f in [pool.submit(run, job) for job in jobs]]


def test_two_moderators_wrapping_one_reply_at_once_both_count(
    app, monkeypatch, make_user, make_thread, make_reply
):
    first, second = make_user(role=Role.MODERATOR), make_user(role=Role.MODERATOR)
    post = make_reply(make_thread(), body="Rooney is Winston's granddaughter. Eve lives.")
    _slow_render(monkeypatch)

    def wrap(moderator, passage):
        def job():
            item = db.session.get(Post, post.id)  # read before the other commits
            return moderation.wrap_spoiler(db.session.get(User, moderator.id), item, passage)

        return job

    _at_once(app, [wrap(first, "Winston's granddaughter"), wrap(second, "Eve lives")])
    body = _post(app, post.id).body
    assert body == "Rooney is ||Winston's granddaughter||. ||Eve lives||."
    with app.app_context():
        kept = db.session.scalars(select(Revision.body).where(Revision.post_id == post.id))
        assert len(list(kept)) == 2
    assert [a[0] for a in _actions(app)] == ["wrap_spoiler", "wrap_spoiler"]


def test_two_moderators_flagging_at_once_log_it_once(app, make_user, make_thread):
    moderators = [make_user(role=Role.MODERATOR) for _ in range(2)]
    thread = make_thread(kind=ThreadKind.QUESTION)

    def flag(moderator):
        def job():
            item = db.session.get(Thread, thread.id)
            return moderation.flag_spoiler(db.session.get(User, moderator.id), item)

        return job

    results = _at_once(app, [flag(m) for m in moderators])
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert [a[0] for a in _actions(app)] == ["flag_spoiler"]
    assert _thread(app, thread.id).spoiler is True
