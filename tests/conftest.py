"""Fixtures shaped like the Flask tutorial's: `app`, `client`, `login`, and `make_*`
factories that create content through the services (so stored HTML and counters are
right). The database is SQLite, or PostgreSQL when TEST_DATABASE_URL is set; under
pytest-xdist (`make test` runs `-n auto`) each worker has its own: a SQLite file in its own
temporary folder, or a PostgreSQL database made on the fly (`<name>_gw0`, `<name>_gw1`…).
No test sends mail beyond this machine, whatever MAIL_SERVER says, and `serve(app)` is
the one live server (browser tests, schemathesis).

An app context is pushed only for setup and for checking the database, never around
client calls (a held context makes requests share `g`: the wrong user stays logged in).
"""

from __future__ import annotations

import ipaddress
import itertools
import os
import smtplib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, make_url, text
from werkzeug.serving import make_server

from config import TestConfig
from forum import create_app
from forum.extensions import db, limiter
from forum.models import Film, Post, Role, Thread, ThreadKind, Universe, User
from forum.services import accounts, moderation, replies, threads

PASSWORD = "a-long-test-passphrase"
_counter = itertools.count(1)


def pytest_report_header() -> str:
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite'}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup` each worker tags an `xdist_group` test's id (`…@redis`) so the
    scheduler keeps the group on one worker. Where the tag is missing (pytest 9 with
    pytest-xdist 3.8) the Redis tests would run on two workers and empty each other's db."""
    if not getattr(config.option, "loadgroup", False):
        return
    lost = [item.nodeid for item in items if item.get_closest_marker("xdist_group")
            and "@" not in item.nodeid]  # fmt: skip
    if lost:
        raise pytest.UsageError(f"{lost[0]} lost its xdist_group (see the pytest pin)")


def worker_database(url: str, suffix: str = "", fresh: bool = False) -> str:
    """On PostgreSQL, the database `<name>_<xdist worker><suffix>` next to `url`'s, made
    when missing (dropped first when `fresh`), so parallel workers never share one. With no
    worker and no suffix, `url` itself."""
    base = make_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = base.database + (f"_{worker}" if worker else "") + suffix
    if name == base.database:
        return url
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if fresh:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database `worker_database` made (connecting to the server's `postgres`)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = os.environ.get("TEST_DATABASE_URL")

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = (
            worker_database(url)
            if url
            else f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        )
        # Writers queue on SQLite's write lock; on a busy machine running workers side by
        # side a wait can pass the driver's default 5 seconds.
        SQLALCHEMY_ENGINE_OPTIONS = {
            **TestConfig.SQLALCHEMY_ENGINE_OPTIONS,
            **({} if url else {"connect_args": {"timeout": 60}}),
        }

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


LOOPBACK = {"localhost", "localhost.localdomain"}


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() in LOOPBACK


@pytest.fixture(autouse=True)
def _no_outgoing_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sends mail beyond this machine, even with MAIL_SERVER set in the
    environment: SMTP may only reach a loopback server (aiosmtpd in the mail tests)."""
    connect = smtplib.SMTP.connect

    def loopback_only(smtp: smtplib.SMTP, host: str = "localhost", *args, **kw):
        if not _is_loopback(host):
            raise ConnectionRefusedError(f"tests send no mail beyond this machine ({host})")
        return connect(smtp, host, *args, **kw)

    monkeypatch.setattr(smtplib.SMTP, "connect", loopback_only)


class LiveServer:
    """werkzeug's threaded server on 127.0.0.1, port chosen by the OS."""

    def __init__(self, app: Flask) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Flask], LiveServer]]:
    """`serve(app)`: that app served over HTTP on a free loopback port until the session
    ends, one server per app (the browser's CSRF-guarded app, the API's schemathesis run)."""
    servers: dict[int, LiveServer] = {}

    def start(app: Flask) -> LiveServer:
        if id(app) not in servers:
            servers[id(app)] = LiveServer(app)
        return servers[id(app)]

    yield start
    for server in servers.values():
        server.stop()


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


MODERATED = {  # make_thread's flags, set as a moderator would: counters and log stay true
    "locked": lambda mod, thread: moderation.lock_thread(mod, thread, "Locked in a test"),
    "pinned": lambda mod, thread: moderation.pin_thread(mod, thread),
    "removed": lambda mod, thread: moderation.remove_thread(mod, thread, "Removed in a test"),
}


@pytest.fixture
def make_thread(app: Flask, make_user, make_film) -> Callable[..., Thread]:
    """A thread started through the service; `locked=True`, `pinned=True` or `removed=True`
    go through the moderation services (a removed thread leaves its film's count and its
    author's karma), by `moderator` when given."""

    def make(author: User | None = None, film: Film | None = None, **kw) -> Thread:
        author = author or make_user()
        film = film or make_film()
        flags = [name for name in MODERATED if kw.pop(name, False)]
        moderator = kw.pop("moderator", None)
        if flags and moderator is None:
            moderator = make_user(role=Role.MODERATOR)
        with _setup(app) as own:
            thread = threads.start_thread(
                db.session.get(User, author.id),
                db.session.get(Film, film.id),
                kw.pop("title", f"A theory number {next(_counter)}"),
                kw.pop("body", "The coin is a **contract**."),
                kw.pop("kind", ThreadKind.THEORY),
                **kw,
            )
            for name in flags:
                thread = MODERATED[name](db.session.get(User, moderator.id), thread)
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
    return lambda user: log_in_as(client, app, user)


def log_in_as(client: FlaskClient, app: Flask, user: User | None) -> None:
    """Sign `user` in on a test client of `app` (None: sign out), as a log-in would: the
    session names the user and their current session version."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            with app.app_context():
                session["_user_id"] = db.session.get(User, user.id).get_id()
            session["_fresh"] = True


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement `app`'s engine runs inside the block."""
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


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Iterator[list[str]]]:
    """`with count_queries() as queries:` records every SQL statement run inside."""
    return lambda: counting_statements(app)
