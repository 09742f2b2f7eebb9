"""The factories make what the application would: a "removed" or "locked" test thread is
one a moderator removed or locked, so counters and the public log agree with it."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, ModAction, Thread


def test_flagged_test_threads_go_through_the_moderators_services(app, make_film, make_thread):
    film = make_film()
    make_thread(film=film)
    removed = make_thread(film=film, removed=True)
    kept = make_thread(film=film, locked=True, pinned=True)
    with app.app_context():
        assert db.session.get(Film, film.id).thread_count == 2  # the removed one is not counted
        assert db.session.get(Thread, removed.id).removed_reason == "Removed in a test"
        assert (kept.locked, kept.pinned) == (True, True)
        actions = db.session.scalars(select(ModAction.action).order_by(ModAction.id)).all()
        assert actions == ["remove", "lock", "pin"]
