"""Fixtures shaped like the Flask tutorial's: `app`, `client`, `login`, and `make_*`
factories that create content through the services (so stored HTML and counters are
right). The database is SQLite, or PostgreSQL when TEST_DATABASE_URL is set.

An app context is pushed only for setup and for checking the database, never around
client calls (a held context makes requests share `g`: the wrong user stays logged in).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event

from config import TestConfig
from forum import create_app
from forum.extensions import db, limiter
from forum.models import Film, Post, Role, Thread, ThreadKind, Universe, User
from forum.services import accounts, replies, threads

PASSWORD = "a-long-test-passphrase"
_counter = itertools.count(1)


def pytest_report_header() -> str:
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or (
            f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        )

    app = create_app(Config)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="session")
def csrf_app(app: Flask) -> Iterator[Flask]:
    """The same database with CSRF protection on, as in production: for real forms
    (the browser's live server) and for the CSRF refusal tests."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = True

    guarded = create_app(Config)
    yield guarded
    with guarded.app_context():
        db.engine.dispose()


@pytest.fixture
def csrf_client(csrf_app: Flask) -> FlaskClient:
    return csrf_app.test_client()


@pytest.fixture
def limited_app(app: Flask) -> Iterator[Flask]:
    """The app with rate limits on (in-process counters), on the tests' database."""

    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"

    limited = create_app(Limited)
    yield limited
    limiter.reset()
    limiter.enabled = False  # the shared extension: the session's `app` runs unlimited
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(app: Flask) -> Iterator[None]:
    """Every test starts with empty tables."""
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An app context for service tests (never combine with client calls)."""
    with app.app_context():
        yield
        db.session.remove()


@contextmanager
def _setup(app: Flask) -> Iterator[bool]:
    """An app context for a factory (True), unless the test already holds one (False)."""
    if has_app_context():
        yield False
        return
    with app.app_context():
        yield True


def _done(obj, own_context: bool):
    """In the factory's own context: load every column and detach the object, so the
    test can read it after the context ends. In the test's context: leave it attached."""
    if own_context:
        db.session.refresh(obj)
        db.session.expunge(obj)
    return obj


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    def make(username: str | None = None, role: Role = Role.MEMBER, **kw) -> User:
        username = username or f"fan{next(_counter)}"
        with _setup(app) as own:
            user = accounts.sign_up(username, kw.get("email", f"{username}@example.com"),
                                    kw.get("password", PASSWORD), role)  # fmt: skip
            return _done(user, own)

    return make


@pytest.fixture
def make_film(app: Flask) -> Callable[..., Film]:
    def make(slug: str | None = None, **kw) -> Film:
        n = next(_counter)
        with _setup(app) as own:
            universe = kw.pop("universe", None)
            if isinstance(universe, str):
                universe = db.session.scalar(db.select(Universe).filter_by(slug=universe))
            film = Film(slug=slug or f"film-{n}", title=kw.pop("title", f"Film {n}"),
                        year=kw.pop("year", 2020), universe=universe, **kw)  # fmt: skip
            db.session.add(film)
            db.session.commit()
            return _done(film, own)

    return make


@pytest.fixture
def make_thread(app: Flask, make_user, make_film) -> Callable[..., Thread]:
    def make(author: User | None = None, film: Film | None = None, **kw) -> Thread:
        author = author or make_user()
        film = film or make_film()
        flags = {k: kw.pop(k) for k in ("locked", "pinned", "removed") if k in kw}
        with _setup(app) as own:
            thread = threads.start_thread(
                db.session.get(User, author.id), db.session.get(Film, film.id),
                kw.pop("title", f"A theory number {next(_counter)}"),
                kw.pop("body", "The coin is a **contract**."),
                kw.pop("kind", ThreadKind.THEORY), **kw,
            )  # fmt: skip
            for name, value in flags.items():
                setattr(thread, name, value)
            db.session.commit()
            return _done(thread, own)

    return make


@pytest.fixture
def make_reply(app: Flask, make_user) -> Callable[..., Post]:
    def make(thread: Thread, author: User | None = None, parent: Post | None = None,
             body: str = "I think it's the mirrors.") -> Post:  # fmt: skip
        author = author or make_user()
        with _setup(app) as own:
            post = replies.reply(
                db.session.get(User, author.id), db.session.get(Thread, thread.id), body,
                db.session.get(Post, parent.id) if parent else None,
            )  # fmt: skip
            return _done(post, own)

    return make


@pytest.fixture
def login(client: FlaskClient, app: Flask) -> Callable[[User | None], None]:
    """Sign `user` in on the test client (None: sign out)."""

    def do(user: User | None) -> None:
        with client.session_transaction() as session:
            session.clear()
            if user is not None:
                with app.app_context():
                    fresh = db.session.get(User, user.id)
                    session["_user_id"] = fresh.get_id()
                session["_fresh"] = True

    return do


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Iterator[list[str]]]:
    """`with count_queries() as queries:` records every SQL statement run inside."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(conn, cursor, statement, *args) -> None:
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting
