"""Each moderation action as a moderator does it in the browser (through the test
client), with what members then see, and every way it can be refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModAction, Role, TheoryStatus, Thread, ThreadKind
from forum.services import moderation
from forum.services.errors import Invalid


def last_action(app) -> tuple:
    with app.app_context():
        entry = db.session.scalars(select(ModAction).order_by(ModAction.id.desc())).first()
        return entry.action, entry.target_type, entry.target_id, entry.reason


def fetch(app, model, row_id):
    with app.app_context():
        row = db.session.get(model, row_id)
        db.session.expunge(row)
        return row


@pytest.fixture
def mod(make_user):
    return make_user(role=Role.MODERATOR)


def test_locking_says_why_and_stops_member_replies_and_edits(
    app, client, login, mod, make_user, make_thread
):
    author = make_user()
    thread = make_thread(author=author)
    login(mod)
    response = client.post(f"/threads/{thread.id}/lock", data={"reason": "Heated; cooling off"})
    assert response.status_code == 302
    assert last_action(app) == ("lock", "thread", thread.id, "Heated; cooling off")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "This thread is locked: Heated; cooling off" in page
    assert (
        client.post(f"/threads/{thread.id}/replies", data={"body": "mod note"}).status_code == 302
    )

    login(author)
    assert client.post(f"/threads/{thread.id}/replies", data={"body": "hi"}).status_code == 423
    assert client.get(f"/threads/{thread.id}/edit").status_code == 423

    login(mod)
    assert client.post(f"/threads/{thread.id}/unlock").status_code == 302
    assert fetch(app, Thread, thread.id).lock_reason is None
    assert last_action(app)[0] == "unlock"


@pytest.mark.parametrize(
    "action, flags, message",
    [
        ("lock", {"locked": True}, "already locked"),
        ("unlock", {}, "not locked"),
        ("pin", {"pinned": True}, "already pinned"),
        ("unpin", {}, "not pinned"),
        ("restore", {}, "not removed"),
    ],
)
def test_repeating_an_action_is_a_conflict_and_logs_nothing(
    app, client, login, mod, make_thread, action, flags, message
):
    thread = make_thread(**flags)  # a locked or pinned one: locked or pinned by a moderator
    with app.app_context():
        logged = db.session.query(ModAction).count()
    login(mod)
    response = client.post(f"/threads/{thread.id}/{action}")
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(ModAction).count() == logged


def test_pinned_threads_come_first_on_the_board(app, client, login, mod, make_film, make_thread):
    film = make_film()
    older = make_thread(film=film, title="An older theory")
    make_thread(film=film, title="A newer theory")
    login(mod)
    assert client.post(f"/threads/{older.id}/pin").status_code == 302
    board = client.get(f"/films/{film.slug}").get_data(as_text=True)
    assert board.index("An older theory") < board.index("A newer theory")
    assert 'aria-label="Pinned threads"' in board
    assert client.post(f"/threads/{older.id}/unpin").status_code == 302
    board = client.get(f"/films/{film.slug}").get_data(as_text=True)
    assert board.index("A newer theory") < board.index("An older theory")


@pytest.mark.parametrize(
    "reason, error",
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 501, "500 characters"),
    ],
)
def test_removal_needs_a_reason_and_the_page_says_so(
    app, client, login, mod, make_thread, reason, error
):
    thread = make_thread()
    login(mod)
    response = client.post(f"/threads/{thread.id}/remove", data={"reason": reason})
    assert response.status_code == 422
    assert error in response.get_data(as_text=True)
    assert not fetch(app, Thread, thread.id).removed


def test_removal_asks_for_confirmation_first(client, login, mod, make_thread):
    thread = make_thread(title="A theory about the coins")
    login(mod)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert f'href="/threads/{thread.id}/remove"' in page
    confirm = client.get(f"/threads/{thread.id}/remove").get_data(as_text=True)
    assert "Remove “A theory about the coins”?" in confirm
    assert "Nothing is deleted" in confirm


def test_a_removed_reply_is_a_tombstone_whose_children_stay(
    app, client, login, mod, make_user, make_thread, make_reply
):
    thread = make_thread()
    parent = make_reply(thread, body="Something nasty")
    make_reply(thread, parent=parent, body="A calm answer underneath")
    login(mod)
    assert client.post(f"/posts/{parent.id}/remove", data={"reason": "insults"}).status_code == 302
    assert last_action(app) == ("remove", "post", parent.id, "insults")
    moderator_view = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Something nasty" in moderator_view and "insults" in moderator_view

    login(make_user())
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "[removed by moderator]" in page
    assert "Something nasty" not in page
    assert "A calm answer underneath" in page

    login(mod)
    assert client.post(f"/posts/{parent.id}/restore").status_code == 302
    login(make_user())
    assert "Something nasty" in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_theory_status_shows_on_thread_board_filter_and_profile(
    app, client, login, mod, make_user, make_film, make_thread
):
    film, author = make_film(), make_user()
    theory = make_thread(author=author, film=film, title="Rooney is the Director's daughter")
    make_thread(film=film, title="Still an open question")
    login(mod)
    response = client.post(
        f"/threads/{theory.id}/status", data={"status": "confirmed", "note": "Chapter 5 says so"}
    )
    assert response.status_code == 302
    assert last_action(app) == ("set_status", "thread", theory.id, "confirmed: Chapter 5 says so")
    page = client.get(f"/threads/{theory.id}").get_data(as_text=True)
    record = page.split("The theory's record", 1)[1]  # the status, who set it, the note
    assert '<p class="status-note">Chapter 5 says so</p>' in record
    assert 'class="badge status-confirmed"' in record

    board = client.get(f"/films/{film.slug}?status=confirmed").get_data(as_text=True)
    assert "Rooney is the Director" in board and "Still an open question" not in board
    assert 'class="badge status-confirmed"' in board
    assert client.get(f"/films/{film.slug}?status=proven").status_code == 422

    profile = client.get(f"/u/{author.username}")
    assert ">1 confirmed</a>, " in profile.get_data(as_text=True)  # of its author's theories


@pytest.mark.parametrize(
    "kind, data, status, message",
    [
        (ThreadKind.DISCUSSION, {"status": "confirmed"}, 422, "Only theories have a status"),
        (ThreadKind.THEORY, {"status": "proven"}, 422, "Not a valid choice"),
        (ThreadKind.THEORY, {"status": "debunked", "note": "n" * 481}, 422, "480 characters"),
    ],
)
def test_bad_theory_status_changes_are_refused_clearly(
    app, client, login, mod, make_thread, kind, data, status, message
):
    thread = make_thread(kind=kind)
    login(mod)
    response = client.post(f"/threads/{thread.id}/status", data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert fetch(app, Thread, thread.id).status == (
        TheoryStatus.OPEN if kind == ThreadKind.THEORY else None
    )


def test_status_can_go_back_to_open(ctx, make_user, make_thread):
    mod, thread = make_user(role=Role.MODERATOR), make_thread()
    moderation.set_theory_status(mod, thread, "debunked", "Ballerina contradicts it")
    moderation.set_theory_status(mod, thread, TheoryStatus.OPEN)
    assert (thread.status, thread.status_note) == (TheoryStatus.OPEN, None)
    reasons = db.session.scalars(select(ModAction.reason).order_by(ModAction.id)).all()
    assert reasons == ["debunked: Ballerina contradicts it", "open"]


@pytest.mark.parametrize(
    "reason, required, message",
    [(None, True, "Please give a reason."), (7, False, "Please fix the reason."),
     ("x" * 501, False, "Please shorten the reason.")],
)  # fmt: skip
def test_reasons_are_checked_for_the_api_too(app, reason, required, message):
    with pytest.raises(Invalid, match=message):
        moderation.check_reason(reason, required=required)
