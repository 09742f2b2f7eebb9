"""Migrations 0004 and 0006 index the threads and replies written before them (0006 from
their plain, spoiler-free text), and undo cleanly."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.models import Post, Thread
from forum.services import markup, replies, search
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture

# SQLite can't reflect the expression index on lower(email): batch mode reflects the tables
# a migration alters (and those they refer to) and says so; the index itself is untouched.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)


def _found(words: str) -> list[str]:
    bodies = [(hit.post or hit.thread).body for hit in search.search(words).items]
    db.session.rollback()  # end the read: a migration's DDL waits for open transactions
    return bodies


def _write_before_0006() -> None:
    """A fan, a film, a thread and a reply, as the schema before 0006 stores them."""
    fan = db.session.execute(  # in SQL: today's User has columns 0003's table doesn't
        text(
            "INSERT INTO users (username, email, password_hash, role, karma, session_version, "
            "created_at) VALUES ('early_fan', 'early@example.com', 'x', 'member', 0, 1, "
            "'2025-01-01 00:00:00') RETURNING id"
        )
    ).scalar_one()
    film = db.session.execute(  # in SQL: today's Film has columns 0003's table doesn't
        text(
            "INSERT INTO films (slug, title, year, synopsis, thread_count) "
            "VALUES ('ballerina', 'Ballerina', 2025, '', 1) RETURNING id"
        )
    ).scalar_one()
    ids = {"fan": fan, "film": film}
    statements = [
        "INSERT INTO threads (id, film_id, author_id, kind, title, body, body_html, spoiler, "
        "upvotes, downvotes, score, hot, controversy, reply_count, locked, pinned, removed, "
        "deleted, created_at, last_activity_at) VALUES (900, :film, :fan, 'theory', 'Old theory', "
        "'The mirrors again. ||Rooney lies||', '<p>x</p>', false, 0, 0, 0, 0, 0, 1, false, "
        "false, false, false, '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
        "INSERT INTO posts (id, thread_id, author_id, depth, body, body_html, upvotes, "
        "downvotes, score, best, removed, deleted, created_at) VALUES (900, 900, :fan, 0, "
        "'Old mirrors reply.', '<p>x</p>', 0, 0, 0, 0, false, false, '2025-01-02 00:00:00')",
    ]
    for statement in statements:
        db.session.execute(text(statement), ids)
    db.session.commit()


def test_upgrade_indexes_what_was_written_before_it(empty_database_url):  # noqa: F811
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0003_pinned_index")
        _write_before_0006()
        upgrade()
        assert _found("mirrors") == ["Old mirrors reply.", "The mirrors again. ||Rooney lies||"]
        assert _found("lies") == []  # the spoiler was never in the plain text
        assert db.session.get(Thread, 900).body_text == "The mirrors again. ░░░"
        old = db.session.get(Thread, 900)  # 0015 rendered both HTMLs again from the body
        rendered = markup.render(old.body)
        assert (old.body_html, old.body_safe_html) == (rendered.html, rendered.safe_html)
        assert "Rooney lies" in old.body_html and "Rooney lies" not in old.body_safe_html
        assert db.session.get(Post, 900).body_safe_html == "<p>Old mirrors reply.</p>"
        db.session.rollback()
        downgrade(revision="0004_full_text_search")
        downgrade(revision="0003_pinned_index")
        upgrade()
        db.session.remove()
        replies.reply(db.session.get(Post, 900).author, db.session.get(Thread, 900), "New mirrors.")
        assert _found("mirrors") == ["New mirrors.", "Old mirrors reply.",
                                     "The mirrors again. ||Rooney lies||"]  # fmt: skip
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
