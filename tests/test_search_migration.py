"""Migration 0004 indexes the threads and replies written before it, and undoes cleanly."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.models import Film, Role, ThreadKind
from forum.services import accounts, replies, search, threads
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture


def _found(words: str) -> list[str]:
    bodies = [(hit.post or hit.thread).body for hit in search.search(words).items]
    db.session.rollback()  # end the read: a migration's DDL waits for open transactions
    return bodies


def test_upgrade_indexes_what_was_written_before_it(empty_database_url):  # noqa: F811
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0003_pinned_index")
        fan = accounts.sign_up("early_fan", "early@example.com", "a-long-passphrase!", Role.MEMBER)
        film = Film(slug="ballerina", title="Ballerina", year=2025)
        db.session.add(film)
        db.session.commit()
        thread = threads.start_thread(fan, film, "Old theory", "The mirrors again.",
                                      ThreadKind.THEORY)  # fmt: skip
        replies.reply(fan, thread, "Old mirrors reply.")
        upgrade()
        assert _found("mirrors") == ["Old mirrors reply.", "The mirrors again."]
        downgrade(revision="0003_pinned_index")
        upgrade()
        replies.reply(fan, thread, "New mirrors reply.")
        assert _found("mirrors") == ["New mirrors reply.", "Old mirrors reply.",
                                     "The mirrors again."]  # fmt: skip
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
