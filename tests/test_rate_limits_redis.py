"""With REDIS_URL set, every process counts toward the same limits: two app processes
on one Redis stop credential stuffing that is spread between them."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from config import TestConfig
from forum import create_app
from forum.extensions import db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
pytestmark = pytest.mark.xdist_group("redis")  # under `-n`, one worker owns the Redis db
ROOT = Path(__file__).resolve().parent.parent
SERVE = """
import sys
from werkzeug.serving import make_server
from forum import create_app

server = make_server("127.0.0.1", 0, create_app(), threaded=True)
sys.stdout.write(f"{server.server_port}\\n")
sys.stdout.flush()
server.serve_forever()
"""


@pytest.fixture
def redis_db() -> Iterator[None]:
    """Our own Redis database, empty before and after."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield
    client.flushdb()
    client.close()


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'forum.db'}"

    class Setup(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Setup)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


def _serve(database: str, redis_url: str | None) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "two-processes-one-secret",
           "RATELIMIT_ENABLED": "1"}  # fmt: skip
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    port = process.stdout.readline().strip()
    assert port.isdigit(), "the app process did not start"
    return process, f"http://127.0.0.1:{port}"


class Browser:
    """Cookies and CSRF tokens, like a browser on the log-in form."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def fail_log_in(self, base: str, n: int) -> tuple[int, dict]:
        with self.opener.open(f"{base}/login") as page:
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                              page.read().decode()).group(1)  # fmt: skip
        form = {"csrf_token": token, "username": f"victim{n}", "password": "wrong-password-1"}
        try:
            with self.opener.open(f"{base}/login", urllib.parse.urlencode(form).encode()) as r:
                return r.status, dict(r.headers)
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers)


@pytest.mark.parametrize(("shared", "seventh"), [(True, 429), (False, 422)])
def test_two_app_processes_count_failed_log_ins_together_on_redis(
    redis_db, database, shared, seventh
):
    servers = [_serve(database, REDIS_URL if shared else None) for _ in range(2)]
    try:
        (_, first), (_, second) = servers
        browser = Browser()
        for n in range(6):  # three failures on each process
            status, _ = browser.fail_log_in(first if n % 2 else second, n)
            assert status == 422
        status, headers = browser.fail_log_in(first, 7)
        assert status == seventh
        if shared:
            assert 1 <= int(headers["Retry-After"]) <= 60
            assert redis.Redis.from_url(REDIS_URL).keys("*subtext*login*")  # the counters are there
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=10)
