"""Migration 0016 moves per-thread tags into site-wide ones (normalized, so two spellings
become one), links the timestamps written before it and keeps what the moderation log knew
of theories' statuses; its downgrade gives the old tags back."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.models import Post, SceneCitation, StatusChange, Tag, Thread
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)

THREAD = (
    "INSERT INTO threads (id, film_id, author_id, kind, status, title, body, body_html, "
    "body_text, body_safe_html, spoiler, upvotes, downvotes, score, hot, controversy, "
    "reply_count, locked, pinned, removed, deleted, created_at, last_activity_at) VALUES "
    "(:id, :film, :fan, 'theory', 'confirmed', 'Old theory', :body, '<p>x</p>', '', '', "
    "false, 0, 0, 0, 0, 0, 1, false, false, :removed, false, '2025-01-01 00:00:00', "
    "'2025-01-01 00:00:00')"
)


def _write_before_0016() -> None:
    db.session.execute(text("INSERT INTO users (id, username, email, password_hash, role, karma, "
                            "session_version, created_at) VALUES (1, 'charon', 'c@example.com', "
                            "'x', 'moderator', 0, 1, '2025-01-01 00:00:00')"))  # fmt: skip
    db.session.execute(text("INSERT INTO films (id, slug, title, year, synopsis, thread_count, "
                            "spoiler_window_days) VALUES (1, 'ballerina', 'Ballerina', 2025, "
                            "'', 2, 30)"))  # fmt: skip
    for thread_id, body, removed in ((1, "At [1:42:10] she ||turns [5:00]||.", False),
                                     (2, "No moment here: [ok].", True)):  # fmt: skip
        db.session.execute(text(THREAD), {"id": thread_id, "film": 1, "fan": 1, "body": body,
                                          "removed": removed})  # fmt: skip
    db.session.execute(text("INSERT INTO posts (id, thread_id, author_id, depth, body, "
                            "body_html, body_text, body_safe_html, upvotes, downvotes, score, "
                            "best, removed, deleted, created_at) VALUES (1, 1, 1, 0, "
                            "'Also [42:10].', '<p>x</p>', '', '', 0, 0, 0, 0, false, false, "
                            "'2025-01-02 00:00:00')"))  # fmt: skip
    for thread_id, tag in ((1, "ruska-roma"), (1, "ruska--roma"), (1, "mirrors"),
                           (2, "mirrors-")):  # fmt: skip
        db.session.execute(text("INSERT INTO thread_tags (thread_id, tag) VALUES (:t, :g)"),
                           {"t": thread_id, "g": tag})  # fmt: skip
    db.session.execute(text("INSERT INTO mod_actions (action, moderator_id, target_type, "
                            "target_id, reason, created_at) VALUES ('set_status', 1, "
                            "'thread', 1, 'confirmed: Chapter 4 shows it', "
                            "'2025-02-01 00:00:00')"))  # fmt: skip
    db.session.commit()


def test_upgrade_moves_tags_links_timestamps_and_keeps_statuses(empty_database_url):  # noqa: F811
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0014_paging")
        _write_before_0016()
        upgrade()
        names = {t.name: t.thread_count for t in db.session.scalars(db.select(Tag))}
        assert names == {"ruska-roma": 1, "mirrors": 1}  # the removed thread isn't counted
        assert db.session.get(Thread, 1).tags == ["mirrors", "ruska-roma"]
        assert db.session.get(Thread, 2).tags == ["mirrors"]
        thread = db.session.get(Thread, 1)
        assert 'href="/films/ballerina/scenes#t-6130"' in thread.body_html
        assert "t-300" in thread.body_html and "t-300" not in thread.body_safe_html
        assert 'href="/films/ballerina/scenes#t-2530"' in db.session.get(Post, 1).body_html
        cited = db.session.execute(db.select(SceneCitation.post_id, SceneCitation.seconds,
                                             SceneCitation.in_spoiler)
                                   .order_by(SceneCitation.seconds)).all()  # fmt: skip
        assert cited == [(None, 300, True), (1, 2530, False), (None, 6130, False)]
        assert (thread.cited_moments, db.session.get(Thread, 2).cited_moments) == (3, 0)
        change = db.session.scalar(db.select(StatusChange))
        assert (change.status.value, change.note) == ("confirmed", "Chapter 4 shows it")
        db.session.rollback()
        downgrade(revision="0014_paging")
        old = db.session.execute(text("SELECT thread_id, tag FROM thread_tags ORDER BY 1, 2"))
        assert old.all() == [(1, "mirrors"), (1, "ruska-roma"), (2, "mirrors")]
        db.session.rollback()
        upgrade()
        assert db.session.get(Thread, 1).tags == ["mirrors", "ruska-roma"]
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
