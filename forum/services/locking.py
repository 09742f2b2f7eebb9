"""Row locks for read-then-write services: take the row, then read it, then change it."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import update

from forum.extensions import db

Row = TypeVar("Row")


def lock_row(item: Row) -> Row:
    """Re-read a row under a write lock, so concurrent writers act one after another and
    each sees what the one before it committed. The no-op UPDATE takes PostgreSQL's row
    lock and SQLite's write lock alike (a SELECT … FOR UPDATE alone is ignored by SQLite)."""
    model = type(item)
    db.session.execute(
        update(model)
        .where(model.id == item.id)
        .values(id=model.id)
        .execution_options(synchronize_session=False)
    )
    return db.session.get(model, item.id, with_for_update=True, populate_existing=True)
