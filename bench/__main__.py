"""`make bench`: the forum as production serves it, under load, beside a bare Flask
hello-world from the same venv in the same run.

1. A fresh database (a SQLite file, or BENCH_DATABASE_URL: a PostgreSQL database whose name
   contains "bench"; everything in it is replaced), migrated, filled by `flask bench-data`.
2. The forum served by `python -m forum.serve` (what `make serve` runs: production
   configuration, gunicorn.conf.py; WORKERS default 2, THREADS 1) on a free loopback port,
   with the SQL counter header on and rate limits off (one account votes many times a
   second). The hello-world under the same gunicorn settings.
3. wrk (16 connections, BENCH_SECONDS per page) on every page; for each: requests/s, the
   share of hello-world's, p50, p99, SQL statements per request, the size, worker memory.
4. bench/results.json, bench/results.md and bench/results.png (BENCH_OUT: another stem).

QUICK=1 (BENCH_QUICK): the `quick` data size and 3-second runs. BENCH_SIZE: default | large.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from bench import fanout, load, report, servers
from bench.load import Request

ROOT = Path(__file__).resolve().parent.parent
SORTS = ("hot", "new", "top", "controversial", "active")
DEEP_PAGE = 200
BOARD = "bench-film-1"
PASSWORD = "bench-data-passphrase"  # forum/benchdata.py's
# The typical thread: 10 replies (or the nearest count on small data).
TYPICAL = "SELECT id, reply_count FROM threads ORDER BY abs(reply_count - 10), id LIMIT 1"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def main() -> int:
    quick = _flag("BENCH_QUICK")
    size = os.environ.get("BENCH_SIZE") or ("quick" if quick else "default")
    seconds = int(os.environ.get("BENCH_SECONDS") or (3 if quick else 10))
    out = Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "results")
    work = Path(tempfile.mkdtemp(prefix="subtext-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{work / 'bench.db'}"
    engine = _fresh_database(url)
    env = _server_env(url)
    _flask(env, "db", "upgrade")
    _flask(env, "bench-data", "--size", size)
    print(f"logs in {work}", flush=True)

    results = {
        "date": report.now(),
        "machine": report.machine(),
        "quick": quick,
        "database": _database_name(engine),
        "data": f"bench-data --size {size}",
        "server": f"gunicorn, {env['WORKERS']} workers x {env['THREADS']} threads",
        "load": f"16 connections, {seconds} s per page, loopback",
        "notes": [],
    }
    hello = servers.hello(env, work / "hello.log")
    forum = servers.forum(env, work / "forum.log")
    try:
        first = _measure(hello, Request("/"), seconds)
        pages = _plan(forum.base, engine)
        results["pages"] = [_measure(forum, request, seconds, name) for name, request in pages]
        results["pages"] += _vote(forum, engine, seconds, results["notes"])
        results["pages"].append(_reply_to_followed(forum, engine))
        last = _measure(hello, Request("/"), seconds)
    finally:
        forum.stop()
        hello.stop()
    results["hello"] = {**first, "rps": round((first["rps"] + last["rps"]) / 2, 1)}
    results["notes"].append(
        f"hello-world measured before and after: {first['rps']:,} and "
        f"{last['rps']:,} requests/s; shares use the mean."
    )
    for page in results["pages"]:
        if page.get("rps"):
            page["ratio"] = round(page["rps"] / results["hello"]["rps"], 4)
    results["pages"].append(_worst_render())
    report.write(results, out)
    print(report.table(results))
    engine.dispose()
    return 0


# --- set-up -------------------------------------------------------------------------------


def _fresh_database(url: str):
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        name = make_url(url).database or ""
        if "bench" not in name:
            raise SystemExit(
                f"BENCH_DATABASE_URL names {name!r}: make bench replaces "
                "everything in it, so its name must contain 'bench'."
            )
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:  # made on the first run
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    return engine


def _server_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "REDIS_URL", "MAIL_"))}
    env |= {
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "SUBTEXT_ENV": "production",
        "BASE_URL": "http://127.0.0.1",
        "WORKERS": os.environ.get("WORKERS") or "2",
        "THREADS": os.environ.get("THREADS") or "1",
        "SQL_COUNT_HEADER": "1",
        "RATELIMIT_ENABLED": "0",
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
    }
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return env


def _flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "forum", *args], cwd=ROOT, env=env, check=True
    )


def _database_name(engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return "PostgreSQL " + conn.execute(text("SHOW server_version")).scalar().split()[0]
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


# --- the pages ----------------------------------------------------------------------------


def _plan(base: str, engine) -> list[tuple[str, Request]]:
    with engine.connect() as conn:
        typical, count = conn.execute(text(TYPICAL)).one()
        biggest, replies = conn.execute(
            text("SELECT id, reply_count FROM threads ORDER BY reply_count DESC, id LIMIT 1")
        ).one()
    cookie = _log_in(base, "fan00003")
    pages = [("home", Request("/"))]
    for sort in SORTS:
        first = f"/films/{BOARD}?sort={sort}"
        number, deep = _deep_page(base, first)
        pages.append((f"board {sort}, page 1", Request(first)))
        if number > 1:
            pages.append((f"board {sort}, page {number}", Request(deep)))
    for label, thread in (
        (f"thread of {count} replies", typical),
        (f"thread of {replies:,} replies", biggest),
    ):
        pages += [
            (f"{label}, signed out", Request(f"/threads/{thread}")),
            (f"{label}, signed in", Request(f"/threads/{thread}", cookie)),
        ]
    fanout.add_notifications(engine, "fan00003")  # the signed-in fan's: keyset-paged
    pages += [
        (f"notifications, {fanout.NOTIFICATIONS:,} of them", Request("/notifications", cookie)),
        ("JSON thread list", Request(f"/api/v1/films/{BOARD}/threads")),
        ("search for a common word", Request("/search?q=mirror")),
    ]
    return pages


def _deep_page(base: str, path: str) -> tuple[int, str]:
    """Follow "Older" links to page DEEP_PAGE, or to the last page if the board is shorter."""
    number = 1
    while number < DEEP_PAGE:
        with urllib.request.urlopen(base + path, timeout=30) as page:  # nosec B310
            found = re.search(r'href="([^"]+)">Older', page.read().decode())
        if not found:
            break
        path, number = found.group(1).replace("&amp;", "&"), number + 1
    return number, path


def _log_in(base: str, username: str) -> str:
    """A signed-in session cookie, through the log-in form as a browser gets it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(base + "/login", timeout=30) as page:
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.read().decode())
        token = token.group(1)
    form = {"csrf_token": token, "username": username, "password": PASSWORD}
    opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=30).close()
    cookies = [h for h in opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)]
    session = [f"{c.name}={c.value}" for c in cookies[0].cookiejar if c.name == "session"]
    if not session:
        raise SystemExit(f"could not log in as {username}")
    return session[0]


def _measure(server: servers.Server, request: Request, seconds: int, name: str = "") -> dict:
    probe = load.probe(server.base, request)
    if probe["status"] >= 400:
        raise SystemExit(f"{name or request.path} answered {probe['status']}")
    workers = int(server.env.get("WORKERS", "2"))
    for _ in range(2 * workers):  # warm-up: every worker has compiled its templates
        load.probe(server.base, request)
    # A slow page runs long enough that each connection completes a few requests.
    seconds = min(5 * seconds, max(seconds, math.ceil(probe["seconds"] * 16 / workers * 3)))
    measured = load.run(server.base, request, seconds)
    row = {
        "name": name,
        "path": request.path,
        **measured,
        "sql": probe["sql"],
        "kb": probe["kb"],
        "rss_mb": server.worker_rss_mb(),
    }
    print(
        f"{name or 'hello-world':<40}{row['rps']:>10,.1f} req/s  p50 {row['p50_ms']} ms  "
        f"p99 {row['p99_ms']} ms  SQL {row['sql']}",
        flush=True,
    )
    return row


def _vote(forum: servers.Server, engine, seconds: int, notes: list[str]) -> list[dict]:
    """Votes through the API on one thread from 32 accounts at once (PostgreSQL only), then
    the counts and the author's karma checked against the vote rows."""
    if engine.dialect.name != "postgresql":
        notes.append("The vote is measured on PostgreSQL only (BENCH_DATABASE_URL).")
        return []
    with engine.connect() as conn:
        thread = conn.execute(text(TYPICAL)).one()[0]
        author = conn.execute(text("SELECT author_id FROM threads WHERE id = :t"), {"t": thread})
        author = author.scalar()
    names = [f"fan{i:05d}" for i in range(10, 50) if i != author][:32]
    tokens = [_token(forum.base, name) for name in names]
    row = _measure(
        forum,
        Request(f"/api/v1/threads/{thread}/vote", vote_tokens=tokens),
        seconds,
        "vote (API, 32 accounts, one thread)",
    )
    exact = _votes_exact(engine, thread, author)
    row["exact"] = exact
    notes.append(
        f"After {row['requests']:,} votes the thread's counts and its author's karma "
        f"{'match' if exact else 'DO NOT match'} the vote rows."
    )
    if not exact:
        raise SystemExit("votes are not exact")
    return [row]


def _token(base: str, username: str) -> str:
    import json

    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    call = urllib.request.Request(
        base + "/api/v1/tokens", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(call, timeout=30) as response:  # nosec B310
        return json.loads(response.read())["token"]


def _votes_exact(engine, thread: int, author: int) -> bool:
    with engine.connect() as conn:
        counts = conn.execute(
            text("SELECT upvotes, downvotes, score FROM threads WHERE id = :t"), {"t": thread}
        ).one()
        rows = conn.execute(
            text(
                "SELECT coalesce(sum(CASE WHEN value = 1 THEN 1 ELSE 0 END), 0), "
                "coalesce(sum(CASE WHEN value = -1 THEN 1 ELSE 0 END), 0) "
                "FROM thread_votes WHERE thread_id = :t"
            ),
            {"t": thread},
        ).one()
        karma = conn.execute(text("SELECT karma FROM users WHERE id = :a"), {"a": author}).scalar()
        earned = conn.execute(
            text(
                "SELECT (SELECT coalesce(sum(score), 0) FROM threads WHERE author_id = :a) + "
                "(SELECT coalesce(sum(score), 0) FROM posts WHERE author_id = :a)"
            ),
            {"a": author},
        ).scalar()
    ups, downs = rows
    return (counts.upvotes, counts.downvotes, counts.score) == (ups, downs, ups - downs) and (
        karma == earned
    )


def _reply_to_followed(forum: servers.Server, engine) -> dict:
    """Replies (API, one after another) to a thread with 10,000 followers: each writes a
    notification per follower in one INSERT … SELECT (README "Notifications")."""
    with engine.connect() as conn:
        thread = conn.execute(text(TYPICAL)).one()[0]
    fanout.add_followers(engine, thread)
    found = fanout.reply_cost(forum.base, _token(forum.base, "fan00004"), thread)
    name = f"reply to a thread with {fanout.FOLLOWERS:,} followers (API, one at a time)"
    print(f"{name:<40}  p50 {found['p50_ms']} ms  SQL {found['sql']}", flush=True)
    return {"name": name, **found}


def _worst_render() -> dict:
    from bench.render_corpus import worst_render

    worst = worst_render()
    return {
        "name": f"worst render: {worst['shape']} ({worst['chars']:,} chars)",
        "p50_ms": round(worst["seconds"] * 1000, 1),
    }


if __name__ == "__main__":
    sys.exit(main())
