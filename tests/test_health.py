"""`GET /healthz` (API.md): what a load balancer asks before sending fans to a node."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event

from config import TestConfig
from forum import create_app
from forum.extensions import db, limiter

# Its apps point the shared limiter at the tests' Redis db; a later `limiter.reset()` in the
# same process would empty the counters the two-process tests are reading: one worker.
pytestmark = pytest.mark.xdist_group("redis")

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def make_app(app: Flask) -> Iterator:
    """An app on the tests' database (or another), with or without Redis."""
    made = []

    def make(redis_url: str | None, database: str | None = None, **settings) -> Flask:
        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = database or app.config["SQLALCHEMY_DATABASE_URI"]
            REDIS_URL = redis_url

        for name, value in settings.items():
            setattr(Config, name, value)
        made.append(create_app(Config))
        return made[-1]

    yield make
    for each in made:
        with each.app_context():
            db.engine.dispose()


@pytest.mark.parametrize(
    ("redis_url", "database", "status", "checks"),
    [
        (None, None, 200, {"database": "ok", "redis": "not configured"}),
        (REDIS_URL, None, 200, {"database": "ok", "redis": "ok"}),
        (NOWHERE, None, 503, {"database": "ok", "redis": "unreachable"}),
        (
            None,
            "sqlite:////nonexistent-dir/x/forum.db",
            503,
            {"database": "unreachable", "redis": "not configured"},
        ),
        (
            REDIS_URL,
            "postgresql+psycopg://postgres@127.0.0.1:1/nothing",
            503,
            {"database": "unreachable", "redis": "ok"},
        ),
    ],
)
def test_health_names_the_check_that_fails(make_app, redis_url, database, status, checks):
    response = make_app(redis_url, database).test_client().get("/healthz")
    assert response.status_code == status
    assert response.get_json() == {
        "status": "ok" if status == 200 else "unavailable",
        "checks": checks,
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_health_is_one_query_no_cookie_and_no_rate_limit(make_app, monkeypatch):
    # The limiter is one shared extension: its default limit and switch go back afterwards.
    monkeypatch.setattr(limiter.limit_manager, "_default_limits", [])
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    limited = make_app(
        None,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_DEFAULT="2 per minute",
    )
    client = limited.test_client()
    with limited.app_context():
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    responses = [client.get("/healthz") for _ in range(5)]
    assert [r.status_code for r in responses] == [200] * 5  # a default limit doesn't apply
    assert statements == ["SELECT 1"] * 5
    assert "Set-Cookie" not in responses[0].headers


def test_the_benchmarks_sql_counter_is_off_unless_asked_for(make_app):
    assert "X-SQL-Count" not in make_app(None).test_client().get("/healthz").headers
    counted = make_app(None, SQL_COUNT_HEADER=True).test_client().get("/healthz")
    assert counted.headers["X-SQL-Count"] == "1"
