"""The full-text index of threads and replies: one definition, used by migration 0004 and
by `metadata.create_all` (the test suite), so both build the same objects.

PostgreSQL: expression GIN indexes over `to_tsvector('english', …)`; the search query
repeats the same expressions (THREAD_DOCUMENT, POST_DOCUMENT) so the planner uses them.
SQLite: FTS5 external-content tables over the rows, kept in step by triggers, with the
Porter stemmer so "mirror" finds "mirrors" as the English configuration does on PostgreSQL.
Either way a row is searchable as soon as its transaction commits.
"""

from __future__ import annotations

from sqlalchemy import Connection, event

from forum.extensions import db

THREAD_INDEX = "ix_threads_search"
POST_INDEX = "ix_posts_search"
FTS_TABLES = ("threads_fts", "posts_fts")


def thread_document(prefix: str = "") -> str:
    return f"to_tsvector('english', {prefix}title || ' ' || {prefix}body)"


def post_document(prefix: str = "") -> str:
    return f"to_tsvector('english', {prefix}body)"


_POSTGRESQL_UP = [
    f"CREATE INDEX IF NOT EXISTS {THREAD_INDEX} ON threads USING gin ({thread_document()})",
    f"CREATE INDEX IF NOT EXISTS {POST_INDEX} ON posts USING gin ({post_document()})",
]
_POSTGRESQL_DOWN = [f"DROP INDEX IF EXISTS {THREAD_INDEX}", f"DROP INDEX IF EXISTS {POST_INDEX}"]


def _sqlite_up(table: str, columns: list[str]) -> list[str]:
    """An FTS5 table over `table`'s `columns` and the triggers that keep it in step
    (updates only when the indexed text changes: votes don't touch the index)."""
    fts, cols = f"{table}_fts", ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    forget = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    learn = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {learn} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {forget} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {forget} {learn} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # index the rows already there
    ]


def _sqlite_down(table: str) -> list[str]:
    fts = f"{table}_fts"
    triggers = [f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in ("insert", "delete", "update")]
    return [*triggers, f"DROP TABLE IF EXISTS {fts}"]


def _statements(dialect: str, up: bool) -> list[str]:
    if dialect == "postgresql":
        return _POSTGRESQL_UP if up else _POSTGRESQL_DOWN
    if dialect == "sqlite":
        if up:
            return _sqlite_up("threads", ["title", "body"]) + _sqlite_up("posts", ["body"])
        return _sqlite_down("threads") + _sqlite_down("posts")
    raise NotImplementedError(f"No full-text search for {dialect}")


def create_search_index(conn: Connection) -> None:
    """Build the index (and index the rows already there)."""
    for statement in _statements(conn.dialect.name, up=True):
        conn.exec_driver_sql(statement)


def drop_search_index(conn: Connection) -> None:
    for statement in _statements(conn.dialect.name, up=False):
        conn.exec_driver_sql(statement)


@event.listens_for(db.metadata, "after_create")
def _after_create(metadata, conn: Connection, **kw) -> None:
    create_search_index(conn)


@event.listens_for(db.metadata, "before_drop")
def _before_drop(metadata, conn: Connection, **kw) -> None:
    drop_search_index(conn)


def include_object(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic's autogenerate hook: the search index lives outside the models (FTS5
    tables and their shadow tables, GIN expression indexes), so don't compare it."""
    if type_ == "table" and name and name.startswith(FTS_TABLES):
        return False
    return not (type_ == "index" and name in (THREAD_INDEX, POST_INDEX))
