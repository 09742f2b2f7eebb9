"""An opt-in SQL counter for the benchmark: with SQL_COUNT_HEADER on (off by default, never
in production), every response says in `X-SQL-Count` how many statements its request ran.
`make bench` reads it once per page; nothing else changes on the page's code path."""

from __future__ import annotations

from flask import Flask, Response, g, has_app_context
from sqlalchemy import event

from forum.extensions import db

HEADER = "X-SQL-Count"


def init_app(app: Flask) -> None:
    if not app.config.get("SQL_COUNT_HEADER"):
        return
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count)

    @app.after_request
    def sql_count_header(response: Response) -> Response:
        response.headers[HEADER] = str(g.get("sql_count", 0))
        return response


def _count(*_args) -> None:
    if has_app_context():
        g.sql_count = g.get("sql_count", 0) + 1
