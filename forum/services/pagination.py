"""Keyset pagination: a page is `WHERE (key, id) < (last key, last id) ORDER BY key, id`
with an opaque, signed cursor, so page 1,000 costs what page 1 costs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select, and_, literal, or_, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from forum.extensions import db
from forum.services.errors import BadRequest

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cursor")


def encode_cursor(kind: str, values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return _serializer().dumps([kind, plain])


def decode_cursor(cursor: str, kind: str) -> list[Any]:
    try:
        found_kind, values = _serializer().loads(cursor)
    except (BadSignature, ValueError, TypeError) as err:
        raise BadRequest("That page link is not valid.", {"cursor": "not a valid cursor"}) from err
    if found_kind != kind or not isinstance(values, list):
        raise BadRequest("That page link is not valid.", {"cursor": "not a valid cursor"})
    return values


def keyset_page(
    query: Select,
    kind: str,
    keys: list[tuple[InstrumentedAttribute, bool]],
    cursor: str | None,
    limit: int,
    row_key=None,
) -> Page:
    """Order `query` by `keys` ((column, descending) pairs, the last one unique) and
    return one page after `cursor`. `row_key(item)` gives the values of the keys."""
    query = after_cursor(query, kind, keys, cursor)
    order = [col.desc() if desc else col.asc() for col, desc in keys]
    rows = list(db.session.scalars(query.order_by(*order).limit(limit + 1)).unique())
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        vals = row_key(last) if row_key else [getattr(last, col.key) for col, _ in keys]
        next_cursor = encode_cursor(kind, vals)
    return Page(items, next_cursor)


def after_cursor(
    query: Select, kind: str, keys: list[tuple[InstrumentedAttribute, bool]], cursor: str | None
) -> Select:
    """`query` narrowed to the rows after `cursor` (a signed cursor of this `kind`)."""
    if not cursor:
        return query
    values = decode_cursor(cursor, kind)
    if len(values) != len(keys):
        raise BadRequest("That page link is not valid.", {"cursor": "not a valid cursor"})
    values = [_coerce(col, v) for (col, _), v in zip(keys, values, strict=True)]
    return query.where(_after(keys, values))


def _after(keys: list[tuple[InstrumentedAttribute, bool]], values: list[Any]):
    """(k1, k2, …) strictly after (v1, v2, …) in the given orders. When every key runs the
    same way this is one row-value comparison, which PostgreSQL and SQLite use as the
    start of an index range scan (a deep page starts at the cursor, it doesn't scan to it)."""
    if len({desc for _, desc in keys}) == 1:
        row = tuple_(*(col for col, _ in keys))
        given = tuple_(*(literal(v, col.type) for (col, _), v in zip(keys, values, strict=True)))
        return row < given if keys[0][1] else row > given
    clauses = []
    for i, (col, desc) in enumerate(keys):
        equal_before = [keys[j][0] == values[j] for j in range(i)]
        beyond = col < values[i] if desc else col > values[i]
        clauses.append(and_(*equal_before, beyond))
    return or_(*clauses)


def _coerce(col: InstrumentedAttribute, value: Any) -> Any:
    python_type = col.type.python_type
    try:
        if python_type is datetime:
            return datetime.fromisoformat(value)
        if python_type is float:
            return float(value)
        if python_type is int:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError
            return int(value)
        if python_type is bool:
            return bool(value)
    except (TypeError, ValueError) as err:
        raise BadRequest("That page link is not valid.", {"cursor": "not a valid cursor"}) from err
    return value
