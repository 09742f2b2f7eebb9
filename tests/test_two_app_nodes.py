"""Growing past one machine: two app processes (gunicorn, as `make serve` runs it) on two
ports against one database and one Redis behave as one forum. A session made on one node is
valid on the other, a write through one is read through the other, rate limits count
together, the page cache is shared, and votes through both stay exact.

The database is the tests' own (PostgreSQL when TEST_DATABASE_URL is set, else a SQLite
file). A new shared thing (the page cache) gets its own test below, using `nodes` and
`Browser` the same way."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select

from bench.servers import Server
from forum.extensions import db
from forum.models import Thread, ThreadVote, User
from forum.services import tokens
from tests.conftest import PASSWORD

pytestmark = pytest.mark.xdist_group("redis")  # shares the Redis db that others empty

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nodes(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two gunicorn processes (one worker, four threads each) sharing a SECRET_KEY, the
    tests' database and one Redis database."""
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "one-secret-for-every-node-" + "x" * 16, "REDIS_URL": REDIS_URL,
           "SUBTEXT_ENV": "production", "SESSION_COOKIE_SECURE": "0",  # plain HTTP here
           "RATELIMIT_ENABLED": "1", "WORKERS": "1", "THREADS": "4",
           "SQL_COUNT_HEADER": "1"}  # fmt: skip
    argv = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
            "forum:create_app()"]  # fmt: skip
    logs = tmp_path_factory.mktemp("nodes")
    started = [Server(argv, env, "/healthz", logs / f"node{n}.log") for n in (1, 2)]
    yield tuple(server.base for server in started)
    for server in started:
        server.stop()


@pytest.fixture(autouse=True)
def _empty_redis() -> Iterator[None]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()
    client.close()


def _read(url: str) -> tuple[str, int]:
    """A signed-out reader's page, and how many SQL statements answering it took."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode(), int(response.headers["X-SQL-Count"])


class Browser:
    """Cookies and the page's CSRF token, like a fan's browser."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def post(self, url: str, form: dict, token_from: str) -> tuple[int, str]:
        _, page = self.get(token_from)
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**form, "csrf_token": token}).encode()
        try:
            with self.opener.open(url, data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def log_in(self, base: str, username: str, password: str = PASSWORD) -> int:
        form = {"username": username, "password": password}
        return self.post(f"{base}/login", form, f"{base}/login")[0]


def _api_vote(base: str, token: str, thread_id: int, value: int) -> int:
    call = urllib.request.Request(
        f"{base}/api/v1/threads/{thread_id}/vote", data=json.dumps({"value": value}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(call, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_a_session_made_on_one_node_is_valid_on_the_other(nodes, make_user):
    first, second = nodes
    fan = make_user()
    browser = Browser()
    assert browser.log_in(first, fan.username) == 200  # followed the redirect home
    _, page = browser.get(f"{second}/")
    assert f">{fan.username}</a>" in page and "Log out" in page
    assert browser.post(f"{second}/logout", {}, f"{second}/")[0] == 200
    _, page = browser.get(f"{first}/")
    assert "Log out" not in page  # logged out everywhere


def test_a_reply_through_one_node_is_read_through_the_other(nodes, make_user, make_thread):
    first, second = nodes
    thread, fan = make_thread(), make_user()
    browser = Browser()
    browser.log_in(second, fan.username)
    page = f"{first}/threads/{thread.id}"
    status, _ = browser.post(f"{page}/replies", {"body": "Seen from the other node."}, page)
    assert status == 200
    _, page = Browser().get(f"{second}/threads/{thread.id}")
    assert "Seen from the other node." in page


def test_failed_log_ins_on_both_nodes_count_toward_one_limit(nodes, make_user):
    first, second = nodes
    browser = Browser()
    statuses = [browser.log_in(nodes[n % 2], "nobody-here", "wrong-password-1") for n in range(6)]
    assert statuses == [422] * 6  # three failures on each node
    assert browser.log_in(first, "nobody-here", "wrong-password-1") == 429
    assert browser.log_in(second, make_user().username) == 429  # the address is held on both


def test_votes_through_both_nodes_at_once_stay_exact(app, nodes, make_user, make_thread):
    author = make_user()
    thread = make_thread(author=author)
    fans = [make_user() for _ in range(12)]
    with app.app_context():
        keys = [tokens.issue_token(db.session.get(User, fan.id)) for fan in fans]

    def vote_twice(n: int) -> list[int]:
        """Each fan votes through one node, then changes their mind through the other."""
        first, then = (1, -1, 0)[n % 3], (1, 0, -1, 1)[n % 4]
        return [_api_vote(nodes[n % 2], keys[n], thread.id, first),
                _api_vote(nodes[(n + 1) % 2], keys[n], thread.id, then)]  # fmt: skip

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = [s for pair in pool.map(vote_twice, range(12)) for s in pair]
    assert statuses == [200] * 24
    final = [(1, 0, -1, 1)[n % 4] for n in range(12)]
    with app.app_context():
        stored = db.session.get(Thread, thread.id)
        rows = db.session.scalar(select(func.count()).select_from(ThreadVote)
                                 .filter_by(thread_id=thread.id))  # fmt: skip
        karma = db.session.get(User, author.id).karma
    assert (stored.upvotes, stored.downvotes) == (final.count(1), final.count(-1))
    assert stored.score == final.count(1) - final.count(-1) == karma
    assert rows == final.count(1) + final.count(-1)


def test_the_page_cache_is_shared_and_a_write_on_one_node_refreshes_it_on_both(
    nodes, make_user, make_thread
):
    first, second = nodes
    thread, fan = make_thread(), make_user()
    page = f"/threads/{thread.id}"
    assert _read(first + page)[1] > 0
    _read(first + page)  # stored now (a page is kept from its second render on)
    assert _read(second + page)[1] == 0  # the other node's copy, from Redis: no SQL at all
    browser = Browser()
    browser.log_in(second, fan.username)
    browser.post(f"{second}{page}/replies", {"body": "Fresh from node two."}, second + page)
    body, statements = _read(first + page)
    assert "Fresh from node two." in body and statements > 0  # rendered again, not stale
    assert "Fresh from node two." in _read(second + page)[0]
