"""What a page shows, and what a commit changed, as version names.

Reading: every row a page loads through the ORM names what it depends on (a reply → its
thread `t:<id>`, a user → `u:<id>`, a film → `f:<id>`, anything else → its table).
Writing: SQLAlchemy session events collect the names a transaction changes — rows flushed
by the ORM and ORM-enabled `update()`/`insert()`/`delete()` statements, such as the
`col = col + 1` counters of votes — and raise those versions after the commit (never
after a rollback). A statement whose rows can't be told (no `id = …` in its WHERE, raw
SQL) raises `site`, which every page depends on: when unsure, everything is stale.

Names:
  site      every page (films and universes added or removed, anything unknown)
  t:<id>    thread <id>: its row, its replies, its tags
  l:<film>  the listing of one board (which threads, their order, the board's counts)
  l         the listing of every board (home, /all)
  a:<user>  what a user wrote (their profile's lists)
  u:<user>  a user as shown beside what they wrote (name, karma, role, ban)
  f:<film>  a film as shown (title, synopsis, ...)
  <table>   a whole table: changed by any write to it; read by a page that shows a
            table's values rather than its rows (`count(*)`), or a table with no rule
            above (the moderation log, revisions, ...)
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList
from sqlalchemy.sql.expression import TextClause
from sqlalchemy.sql.util import find_tables

READS = "page_cache_reads"  # session.info: names a page being rendered depends on
CHANGES = "page_cache_changes"  # session.info: names this transaction changes
SITE = "site"

# Columns no page shows: changing only these changes no page.
UNSHOWN = {
    "users": {
        "email", "password_hash", "session_version",
        # a fan's notification switches and marks: only their own signed-in pages show them
        "notify_reply", "notify_mention", "notify_status", "notify_moderation",
        "notify_activity", "auto_follow", "email_digest", "digest_sent_at", "following_seen_at",
    }
}  # fmt: skip


def read_names(table: str, row: Callable[[str], object]) -> tuple[str, ...]:
    """What a page that shows this row depends on."""
    if table == "threads":
        return (f"t:{row('id')}",)
    if table in ("posts", "thread_tags"):
        return (f"t:{row('thread_id')}",)
    if table == "users":
        return (f"u:{row('id')}",)
    if table == "films":
        return (f"f:{row('id')}",)
    if table == "universes":
        return ()  # any change to a universe changes `site`
    return (table,)


def write_names(table: str, row: Callable[[str], object], kind: str, changed: set[str] | None):
    """What changing this row (kind: insert, update or delete) changes. `row(column)` raises
    LookupError when the value is not known: then everything (`site`) is stale."""
    if changed is not None and changed <= UNSHOWN.get(table, set()):
        return set()
    if table == "threads":
        film = row("film_id")
        return {f"t:{row('id')}", f"l:{film}", "l", f"a:{row('author_id')}"}
    if table == "posts":
        return {f"t:{row('thread_id')}", f"a:{row('author_id')}"}
    if table == "thread_tags":  # (a known thread's tags count as a change of the thread)
        return {f"t:{row('thread_id')}", SITE}
    if table == "users":
        return {f"u:{row('id')}"}
    if table == "films":
        if kind != "update":
            return {SITE}
        film = row("id")
        counts_only = changed is not None and changed <= {"thread_count"}
        return {f"l:{film}", "l"} | (set() if counts_only else {f"f:{film}"})
    if table == "universes":
        return {SITE}
    return {table}


# --- reading: rows loaded while a page renders ---------------------------------------------


def _on_load(target, context) -> None:
    reads = context.session.info.get(READS)
    if reads is None:
        return
    values = inspect(target).dict
    reads.update(read_names(target.__table__.name, values.__getitem__))


# --- writing: rows a transaction changes ---------------------------------------------------


def _record(session: Session, names: set[str]) -> None:
    if names:
        session.info.setdefault(CHANGES, set()).update(names)


def _row_names(
    session: Session, table: str, values: dict, kind: str, changed: set[str] | None
) -> set[str]:
    if table == "thread_tags" and "thread_id" in values:  # a tag moves its thread in listings
        table, values, kind, changed = (
            "threads",
            _known_row(session, "threads", values["thread_id"]),
            "update",
            None,
        )
    try:
        return write_names(table, values.__getitem__, kind, changed) | {table}
    except LookupError:
        return {SITE}


def _after_flush(session: Session, flush_context) -> None:
    names: set[str] = set()
    for kind, objects in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            state = inspect(obj)
            changed = None
            if kind == "update":
                changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
                if not changed:
                    continue
            names |= _row_names(session, obj.__table__.name, state.dict, kind, changed)
    _record(session, names)


def _on_execute(orm_execute_state) -> None:
    statement = orm_execute_state.statement
    if orm_execute_state.is_select:
        _on_select(orm_execute_state.session, statement)
        return
    if isinstance(statement, TextClause):
        if statement.text.lstrip()[:6].lower() in ("insert", "update", "delete"):
            _record(orm_execute_state.session, {SITE})
        return
    kind = next(
        (k for k in ("insert", "update", "delete") if getattr(orm_execute_state, f"is_{k}")), None
    )
    if kind is None:
        return
    table = statement.table
    changed = _set_columns(statement) if kind == "update" else None
    if changed is not None and not changed:
        return  # `SET col = col`: a row lock, not a change
    session = orm_execute_state.session
    ids = _ids(statement, table) if kind != "insert" else None
    if ids is None:  # rows unknown: a table-wide name, or `site` for the tables with rows
        names = _row_names(session, table.name, {}, kind, changed)
    else:
        names = set()
        for row_id in ids:
            row = _known_row(session, table.name, row_id)
            names |= _row_names(session, table.name, row, kind, changed)
    _record(session, names)


def _on_select(session: Session, statement) -> None:
    """A page that reads values rather than rows (`count(*)`, `select(User.id)`) depends
    on the whole tables it reads from."""
    reads = session.info.get(READS)
    if reads is None:
        return
    columns = getattr(statement, "column_descriptions", None)  # None: a UNION, say
    if columns and all(
        each.get("entity") is not None and each.get("expr") is each.get("entity")
        for each in columns
    ):
        return  # rows of models: each row names its own dependency as it loads
    reads.update(table.name for table in find_tables(statement, include_joins=True))


def _set_columns(statement) -> set[str] | None:
    """The columns an UPDATE really changes (None: can't tell)."""
    values = getattr(statement, "_values", None)
    if not values:
        return None
    changed = set()
    for column, value in values.items():
        name = getattr(column, "key", column)
        if getattr(value, "key", None) == name and not isinstance(value, BinaryExpression):
            continue  # SET col = col
        changed.add(name)
    return changed


def _ids(statement, table) -> list | None:
    """The ids in `WHERE … id = :x AND …` or `id IN (…)`; None if the rows can't be told."""
    where = statement.whereclause
    if where is None:
        return None
    parts = (
        where.clauses
        if isinstance(where, BooleanClauseList) and where.operator is operators.and_
        else [where]
    )
    for part in parts:
        if not isinstance(part, BinaryExpression) or not isinstance(part.right, BindParameter):
            continue
        left = part.left
        if getattr(left, "key", None) != "id" or getattr(left, "table", None) is None:
            continue
        if left.table.name != table.name:
            continue
        value = part.right.effective_value
        if part.operator is operators.eq:
            return [value]
        if part.operator is operators.in_op and isinstance(value, list | tuple):
            return list(value)
    return None


def _known_row(session: Session, table: str, row_id) -> dict:
    """The row's values as this session last saw them (never a query), with its id."""
    if not _models and _base is not None:
        _models.update({m.local_table.name: m.class_ for m in _base.registry.mappers})
    model = _models.get(table)
    obj = None
    if model is not None:
        obj = session.identity_map.get(inspect(model).identity_key_from_primary_key((row_id,)))
    return {**(inspect(obj).dict if obj is not None else {}), "id": row_id}


def _after_commit(session: Session) -> None:
    names = session.info.pop(CHANGES, None)
    if not names or not has_app_context():
        return
    store = current_app.extensions.get("page_cache")
    if store is not None:
        store.bump(names)


def _after_rollback(session: Session) -> None:
    session.info.pop(CHANGES, None)


_listening = False
_base: type | None = None
_models: dict[str, type] = {}  # table name → model, for rows known only by id


def listen(model_base: type, session_factory) -> None:
    """Install the listeners once per process (every app shares the models and sessions)."""
    global _listening, _base
    if _listening:
        return
    _listening, _base = True, model_base
    event.listen(model_base, "load", _on_load, propagate=True)
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "do_orm_execute", _on_execute)
    event.listen(session_factory, "after_commit", _after_commit)
    event.listen(session_factory, "after_rollback", _after_rollback)
