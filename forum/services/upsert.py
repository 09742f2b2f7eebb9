"""INSERT … ON CONFLICT on both databases: idempotent marks (follows, mutes) without a
read-then-write race."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.extensions import db


def insert_or_update(model, values: dict, keys: list[str], update: dict | None = None) -> None:
    """Insert a row, or (the unique index on `keys` taken) update it with `update`, or
    leave it as it is when `update` is empty."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**values)
    if update:
        statement = statement.on_conflict_do_update(index_elements=keys, set_=update)
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    db.session.execute(statement)
