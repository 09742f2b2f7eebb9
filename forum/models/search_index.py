"""The full-text index of threads and replies: one definition, used by migration 0004 and
by `metadata.create_all` (the test suite), so both build the same objects.

PostgreSQL: a stored, generated `search_vector` column on threads and posts
(`to_tsvector('english', …)` of the text below, computed once when a row is written) with a
GIN index over it. Versions 1 and 2 indexed the expression itself: matching was indexed,
but every row the index found had its vector computed again to check it and to rank it, so a
common word cost a `to_tsvector` per matching post (seconds at 40,000 posts); version 3
reads the stored vector.
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
# Version 3 (migration 0016) indexes the same text as version 2, from a stored vector on
# PostgreSQL; SQLite's FTS5 tables are unchanged.
CURRENT = 3
VECTOR = "search_vector"
_THREAD_TEXT = {
    1: ["title", "body"],
    2: ["title", "CASE WHEN {p}spoiler THEN '' ELSE {p}body_text END"],
}
_POST_TEXT = {1: ["body"], 2: ["body_text"]}
_FTS_COLUMNS = {1: (["title", "body"], ["body"]), 2: (["title", "body_text"], ["body_text"])}
_WATCHED = {1: (["title", "body"], ["body"]), 2: (["title", "body_text", "spoiler"], ["body_text"])}
for _text_of in (_THREAD_TEXT, _POST_TEXT, _FTS_COLUMNS, _WATCHED):
    _text_of[3] = _text_of[2]


def _text(parts: list[str], prefix: str) -> list[str]:
    return [part.format(p=prefix) if "{p}" in part else prefix + part for part in parts]


def thread_vector(prefix: str = "", version: int = CURRENT) -> str:
    """SQL for a thread's text as a tsvector."""
    text = " || ' ' || ".join(_text(_THREAD_TEXT[version], prefix))
    return f"to_tsvector('english', {text})"


def post_vector(prefix: str = "", version: int = CURRENT) -> str:
    return f"to_tsvector('english', {_text(_POST_TEXT[version], prefix)[0]})"


def thread_document(prefix: str = "") -> str:
    """What the search query matches and ranks a thread by: its stored vector (version 3)."""
    return f"{prefix}{VECTOR}"


def post_document(prefix: str = "") -> str:
    return f"{prefix}{VECTOR}"


def _postgresql_up(version: int) -> list[str]:
    if version < 3:  # the expression itself indexed
        return [
            f"CREATE INDEX IF NOT EXISTS {THREAD_INDEX} ON threads "
            f"USING gin ({thread_vector(version=version)})",
            f"CREATE INDEX IF NOT EXISTS {POST_INDEX} ON posts "
            f"USING gin ({post_vector(version=version)})",
        ]
    return [
        f"ALTER TABLE threads ADD COLUMN IF NOT EXISTS {VECTOR} tsvector "
        f"GENERATED ALWAYS AS ({thread_vector(version=version)}) STORED",
        f"ALTER TABLE posts ADD COLUMN IF NOT EXISTS {VECTOR} tsvector "
        f"GENERATED ALWAYS AS ({post_vector(version=version)}) STORED",
        f"CREATE INDEX IF NOT EXISTS {THREAD_INDEX} ON threads USING gin ({VECTOR})",
        f"CREATE INDEX IF NOT EXISTS {POST_INDEX} ON posts USING gin ({VECTOR})",
    ]


_POSTGRESQL_DOWN = [
    f"DROP INDEX IF EXISTS {THREAD_INDEX}",
    f"DROP INDEX IF EXISTS {POST_INDEX}",
    f"ALTER TABLE IF EXISTS threads DROP COLUMN IF EXISTS {VECTOR}",
    f"ALTER TABLE IF EXISTS posts DROP COLUMN IF EXISTS {VECTOR}",
]


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
    tables and their shadow tables, the stored vectors and their GIN indexes), so don't
    compare it."""
    if type_ == "table" and name and name.startswith(FTS_TABLES):
        return False
    if type_ == "column" and name == VECTOR:
        return False
    return not (type_ == "index" and name in (THREAD_INDEX, POST_INDEX))
