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

# What is indexed: a thread's title and the plain, spoiler-free text of its body (none for a
# thread flagged as spoilers: only its title is found); a reply's plain, spoiler-free text
# (the search query leaves out the replies of spoiler threads). Version 1 (migration 0004)
# indexed the Markdown source, spoilers included; migration 0006 moves to version 2.
CURRENT = 2
_THREAD_TEXT = {
    1: ["title", "body"],
    2: ["title", "CASE WHEN {p}spoiler THEN '' ELSE {p}body_text END"],
}
_POST_TEXT = {1: ["body"], 2: ["body_text"]}
_FTS_COLUMNS = {1: (["title", "body"], ["body"]), 2: (["title", "body_text"], ["body_text"])}
_WATCHED = {1: (["title", "body"], ["body"]), 2: (["title", "body_text", "spoiler"], ["body_text"])}


def _text(parts: list[str], prefix: str) -> list[str]:
    return [part.format(p=prefix) if "{p}" in part else prefix + part for part in parts]


def thread_document(prefix: str = "", version: int = CURRENT) -> str:
    text = " || ' ' || ".join(_text(_THREAD_TEXT[version], prefix))
    return f"to_tsvector('english', {text})"


def post_document(prefix: str = "", version: int = CURRENT) -> str:
    return f"to_tsvector('english', {_text(_POST_TEXT[version], prefix)[0]})"


def _postgresql_up(version: int) -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {THREAD_INDEX} ON threads "
        f"USING gin ({thread_document(version=version)})",
        f"CREATE INDEX IF NOT EXISTS {POST_INDEX} ON posts "
        f"USING gin ({post_document(version=version)})",
    ]


_POSTGRESQL_DOWN = [f"DROP INDEX IF EXISTS {THREAD_INDEX}", f"DROP INDEX IF EXISTS {POST_INDEX}"]


def _sqlite_up(table: str, columns: list[str], texts: list[str], watched: list[str]) -> list[str]:
    """An FTS5 table over `table` (its `columns` hold the `texts`, SQL over the row) and the
    triggers that keep it in step (updates only when a `watched` column changes: votes
    don't touch the index)."""
    fts, cols = f"{table}_fts", ", ".join(columns)
    new, old = ", ".join(_text(texts, "new.")), ", ".join(_text(texts, "old."))
    forget = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    learn = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {learn} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {forget} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {', '.join(watched)} "
        f"ON {table} BEGIN {forget} {learn} END",
        # index the rows already there
        f"INSERT INTO {fts}(rowid, {cols}) SELECT id, {', '.join(_text(texts, ''))} FROM {table}",
    ]


def _sqlite_down(table: str) -> list[str]:
    fts = f"{table}_fts"
    triggers = [f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in ("insert", "delete", "update")]
    return [*triggers, f"DROP TABLE IF EXISTS {fts}"]


def _statements(dialect: str, up: bool, version: int) -> list[str]:
    if dialect == "postgresql":
        return _postgresql_up(version) if up else _POSTGRESQL_DOWN
    if dialect == "sqlite":
        if not up:
            return _sqlite_down("threads") + _sqlite_down("posts")
        (thread_cols, post_cols), (thread_watch, post_watch) = (
            _FTS_COLUMNS[version],
            _WATCHED[version],
        )
        return _sqlite_up("threads", thread_cols, _THREAD_TEXT[version], thread_watch) + _sqlite_up(
            "posts", post_cols, _POST_TEXT[version], post_watch
        )
    raise NotImplementedError(f"No full-text search for {dialect}")


def create_search_index(conn: Connection, version: int = CURRENT) -> None:
    """Build the index (and index the rows already there)."""
    for statement in _statements(conn.dialect.name, up=True, version=version):
        conn.exec_driver_sql(statement)


def drop_search_index(conn: Connection) -> None:
    for statement in _statements(conn.dialect.name, up=False, version=CURRENT):
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
