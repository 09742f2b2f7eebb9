"""A theorist's record: each status change of a theory kept (who, when, the note, the film
and moment that settled it), shown on the thread; profiles count theories by status."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, Role, StatusChange, Thread, ThreadKind, User
from forum.services import moderation


@pytest.fixture
def films(make_film):
    return (
        make_film("chapter-2", title="John Wick: Chapter 2", year=2017, runtime_minutes=122),
        make_film("parabellum", title="Parabellum", year=2019, runtime_minutes=131),
    )


def test_a_moderator_confirms_a_theory_naming_the_film_and_moment(
    client, films, make_thread, make_user, login, app
):
    chapter2, parabellum = films
    theory = make_thread(film=chapter2, title="The Ruska Roma raised John")
    login(make_user("charon", role=Role.MODERATOR))
    form = {"status": "confirmed", "note": "The Director takes him in.",
            "film": "parabellum", "timestamp": "0:38:20"}  # fmt: skip
    assert client.post(f"/threads/{theory.id}/status", data=form).status_code == 302
    assert client.post(f"/threads/{theory.id}/status", data={"status": "open"}).status_code == 302
    page = client.get(f"/threads/{theory.id}").text
    assert "The theory's record" in page
    record = page.split("status-history-heading", 1)[1].split("</section>", 1)[0]
    assert record.index("confirmed") < record.index("(was confirmed)")
    assert 'href="/films/parabellum/scenes#t-2300">38:20</a>' in record
    assert "The Director takes him in." in record and "<time datetime=" in record
    with app.app_context():
        changes = db.session.scalars(select(StatusChange).order_by(StatusChange.id)).all()
        assert [(c.status.value, c.previous.value) for c in changes] == [
            ("confirmed", "open"),
            ("open", "confirmed"),
        ]
        assert changes[0].film_id == parabellum.id and changes[0].seconds == 2300


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"timestamp": "3:00:00", "film": "parabellum"}, 422, "Parabellum runs 131 minutes"),
        ({"timestamp": "soon"}, 422, "That moment is not a timestamp."),
        ({"film": "no-such-film"}, 404, "No such film"),
    ],
)
def test_a_settling_moment_that_is_not_in_the_film_is_refused(
    client, films, make_thread, make_user, login, app, form, status, message
):
    theory = make_thread(film=films[0])
    login(make_user(role=Role.MODERATOR))
    response = client.post(f"/threads/{theory.id}/status", data={"status": "debunked", **form})
    assert response.status_code == status and message in response.text
    with app.app_context():
        assert db.session.scalar(select(StatusChange)) is None
        assert db.session.get(Thread, theory.id).status.value == "open"


def test_the_note_of_a_spoiler_theory_is_withheld_from_who_has_not_seen_it(
    client, films, make_thread, make_user, login, app
):
    theory = make_thread(film=films[0], title="Spoiler theory", spoiler=True)
    with app.app_context():
        moderator = db.session.get(User, make_user(role=Role.MODERATOR).id)
        settled_by = db.session.get(Film, films[1].id)
        thread = db.session.get(Thread, theory.id)
        moderation.set_theory_status(moderator, thread, "debunked", "Santino dies in the museum",
                                     settled_by)  # fmt: skip
    page = client.get(f"/threads/{theory.id}").text
    assert "debunked" in page and "Santino dies" not in page
    assert "The note is withheld: it has spoilers for John Wick: Chapter 2." in page
    api = client.get(f"/api/v1/threads/{theory.id}/status-history").get_json()["changes"]
    assert api[0]["status"] == "debunked" and api[0]["note"] is None and api[0]["note_withheld"]
    shown = client.get(f"/api/v1/threads/{theory.id}/status-history?reveal=spoilers").get_json()
    assert shown["changes"][0]["note"] == "Santino dies in the museum"
    assert shown["changes"][0]["film"] == "parabellum"
    assert "Santino dies" in client.get(f"/threads/{theory.id}?reveal=spoilers").text


def test_a_profile_shows_theories_by_status_with_links(client, make_thread, make_user, app):
    author = make_user("tarot_reader")
    made = [make_thread(author=author, title=f"Theory {n}") for n in range(5)]
    make_thread(author=author, title="A question", kind=ThreadKind.QUESTION)
    with app.app_context():
        moderator = db.session.get(User, make_user(role=Role.MODERATOR).id)
        for thread, status in zip(made, ["confirmed", "confirmed", "debunked"], strict=False):
            moderation.set_theory_status(moderator, db.session.get(Thread, thread.id), status)
    page = client.get("/u/tarot_reader").text
    assert ">2 confirmed</a>, " in page and ">1 debunked</a>, " in page and ">2 open</a>" in page
    assert 'href="/u/tarot_reader?status=confirmed"' in page
    confirmed = client.get("/u/tarot_reader?status=confirmed").text
    assert "Theory 0" in confirmed and "Theory 1" in confirmed
    assert "Theory 2" not in confirmed and "A question" not in confirmed
    assert "No debunked theories." not in client.get("/u/tarot_reader?status=debunked").text
    assert client.get("/u/tarot_reader?status=maybe").status_code == 422
    api = client.get("/api/v1/users/tarot_reader/theories?status=debunked").get_json()
    assert api["counts"] == {"open": 2, "confirmed": 2, "debunked": 1}
    assert [t["title"] for t in api["threads"]] == ["Theory 2"]
    every = client.get("/api/v1/users/tarot_reader/theories").get_json()["threads"]
    assert len(every) == 5  # theories only


def test_a_profile_without_theories_says_so(client, make_user):
    make_user("quiet_fan")
    assert "No theories yet." in client.get("/u/quiet_fan").text
