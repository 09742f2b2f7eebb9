"""Migration 0004 indexes the threads and replies written before it, and undoes cleanly."""

from __future__ import annotations

from datetime import timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.models import Role, Thread, utcnow
from forum.services import accounts, replies, search
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture


def _found(words: str) -> list[str]:
    bodies = [(hit.post or hit.thread).body for hit in search.search(words).items]
    db.session.rollback()  # end the read: a migration's DDL waits for open transactions
    return bodies


def _write_before_0004() -> int:
    """A fan, a film, a thread and a reply written in SQL: the models describe the newest
    schema, which has columns 0003's tables don't."""
    fan = accounts.sign_up("early_fan", "early@example.com", "a-long-passphrase!", Role.MEMBER)
    now = utcnow() - timedelta(seconds=2)  # before the replies written after it
    film_id = _insert("films", slug="ballerina", title="Ballerina", year=2025, synopsis="",
                      thread_count=1)  # fmt: skip
    common = {"author_id": fan.id, "upvotes": 0, "downvotes": 0, "score": 0, "removed": False,
              "deleted": False, "created_at": now}  # fmt: skip
    thread_id = _insert(
        "threads", **common, film_id=film_id, kind="theory", status="open", title="Old theory",
        body="The mirrors again.", body_html="<p>The mirrors again.</p>", spoiler=False, hot=0.0,
        controversy=0.0, reply_count=1, locked=False, pinned=False, last_activity_at=now,
    )  # fmt: skip
    later = {**common, "created_at": now + timedelta(seconds=1)}
    _insert("posts", **later, thread_id=thread_id, depth=0, body="Old mirrors reply.",
            body_html="<p>Old mirrors reply.</p>", best=0.0)  # fmt: skip
    db.session.commit()
    return thread_id


def _insert(table: str, **values) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    statement = text(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id")  # noqa: S608
    return db.session.execute(statement, values).scalar_one()


def test_upgrade_indexes_what_was_written_before_it(empty_database_url):  # noqa: F811
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0003_pinned_index")
        thread_id = _write_before_0004()
        upgrade()
        assert _found("mirrors") == ["Old mirrors reply.", "The mirrors again."]
        downgrade(revision="0003_pinned_index")
        upgrade()
        fan = accounts.get_user("early_fan")
        replies.reply(fan, db.session.get(Thread, thread_id), "New mirrors reply.")
        assert _found("mirrors") == ["New mirrors reply.", "Old mirrors reply.",
                                     "The mirrors again."]  # fmt: skip
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
