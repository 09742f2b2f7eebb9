"""Fan-out on write or on read? Both measured on the same data (README "Notifications").

`python -m bench.fanout` (BENCH_DATABASE_URL: a PostgreSQL database whose name contains
"bench"; default a temporary SQLite file) builds a thread followed by 10,000 fans and a fan
who follows 500 threads holding 10,000 replies, then times:

- on write: one reply's notifications as the forum writes them — one INSERT … SELECT of a
  row per follower (10,000 rows);
- on read: what each signed-in page would run instead — the newest 25 replies in the
  fan's followed threads since each follow's last look, and the header's unread count
  (capped at 100) — a join over follows and posts on every page view.

`make bench` also measures the forum itself: a reply (API) to a thread with 10,000
followers, and the notifications page of a fan with 10,000 notifications (`extra_pages`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

FOLLOWERS = 10_000
NOTIFICATIONS = 10_000
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def add_followers(engine, thread_id: int, n: int = FOLLOWERS) -> None:
    """`n` new fans following `thread_id` (bulk SQL: the forum's own tables)."""
    from forum.models import Follow, User

    with engine.begin() as conn:
        start = conn.execute(text("SELECT coalesce(max(id), 0) FROM users")).scalar() + 1
        users = [{"id": start + i, "username": f"follower{start + i}",
                  "email": f"follower{start + i}@example.com", "password_hash": "x",
                  "role": "member", "karma": 0, "session_version": 1, "created_at": NOW}
                 for i in range(n)]  # fmt: skip
        conn.execute(insert(User.__table__), users)
        conn.execute(
            insert(Follow.__table__),
            [
                {"user_id": u["id"], "thread_id": thread_id, "active": True, "created_at": NOW}
                for u in users
            ],  # fmt: skip
        )
        _fix_sequences(conn, ("users", "follows"))


def add_notifications(engine, username: str, n: int = NOTIFICATIONS) -> None:
    """`n` unread notifications for `username`, about the newest threads and replies."""
    from forum.models import Notification

    with engine.begin() as conn:
        user = conn.execute(text("SELECT id FROM users WHERE username = :u"), {"u": username})
        user_id = user.scalar()
        posts = conn.execute(
            text("SELECT id, thread_id, author_id FROM posts ORDER BY id DESC LIMIT :n"), {"n": n}
        ).all()
        rows = [{"user_id": user_id, "kind": "activity", "actor_id": p.author_id,
                 "thread_id": p.thread_id, "post_id": p.id, "read": False,
                 "created_at": NOW + timedelta(seconds=i)}
                for i, p in enumerate(posts[i % len(posts)] for i in range(n))]  # fmt: skip
        conn.execute(insert(Notification.__table__), rows)
        _fix_sequences(conn, ("notifications",))


def _fix_sequences(conn, tables) -> None:
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))  # fmt: skip


def reply_cost(base: str, token: str, thread_id: int, times: int = 10) -> dict:
    """Replies through the API to one thread, one after another: median time and SQL."""
    took, sql = [], None
    for i in range(times):
        call = urllib.request.Request(
            f"{base}/api/v1/threads/{thread_id}/posts",
            data=f'{{"body": "bench reply {i}"}}'.encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(call, timeout=60) as response:  # nosec B310
            response.read()
            sql = response.headers.get("X-SQL-Count")
        took.append(time.perf_counter() - start)
    return {"p50_ms": round(statistics.median(took) * 1000, 1), "sql": int(sql) if sql else None}


# --- the standalone comparison --------------------------------------------------------------


def compare(url: str) -> dict:
    from config import TestConfig
    from forum import create_app
    from forum.extensions import db

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        engine = db.engine
        thread_id, reader = _world(engine)
        write = _time_write(engine, thread_id)
        read = _time_read(engine, reader)
        db.session.remove()
        if not os.environ.get("FANOUT_KEEP"):
            db.drop_all()
    return {"write_ms": write, "read_ms": read}


def _world(engine) -> tuple[int, int]:
    """A film, 500 threads of 20 replies (10,000), a reader following all of them, and
    a thread with 10,000 followers. Answers (that thread, the reader)."""
    with engine.begin() as conn:
        from forum.models import Film, User

        conn.execute(insert(User.__table__), [
            {"id": 1, "username": "writer", "email": "w@x", "password_hash": "x"},
            {"id": 2, "username": "reader", "email": "r@x", "password_hash": "x"},
        ])  # fmt: skip
        conn.execute(insert(Film.__table__), [{"id": 1, "slug": "f", "title": "F", "year": 2020}])
        threads = [{"id": t, "film_id": 1, "author_id": 1, "kind": "theory", "title": f"T{t}",
                    "body": "b", "body_html": "b", "body_text": "b", "body_safe_html": "b",
                    "spoiler": False, "upvotes": 0, "downvotes": 0, "score": 0, "hot": 0.0,
                    "controversy": 0.0, "reply_count": 20, "locked": False, "pinned": False,
                    "removed": False, "deleted": False, "created_at": NOW,
                    "last_activity_at": NOW} for t in range(1, 502)]  # fmt: skip
        from forum.models import Follow, Post, Thread

        conn.execute(insert(Thread.__table__), threads)
        posts = [{"thread_id": t, "author_id": 1, "depth": 0, "body": "r", "body_html": "r",
                  "body_text": "r", "body_safe_html": "r", "upvotes": 0, "downvotes": 0,
                  "score": 0, "best": 0.0, "removed": False, "deleted": False,
                  "created_at": NOW + timedelta(seconds=t * 20 + i)}
                 for t in range(1, 501) for i in range(20)]  # fmt: skip
        conn.execute(insert(Post.__table__), posts)
        conn.execute(insert(Follow.__table__),
                     [{"user_id": 2, "thread_id": t, "active": True, "created_at": NOW}
                      for t in range(1, 501)])  # fmt: skip
        _fix_sequences(conn, ("users", "films", "threads", "posts", "follows"))
    add_followers(engine, 501)
    return 501, 2


def _time_write(engine, thread_id: int) -> float:
    """One reply's fan-out: INSERT … SELECT of a notification per follower, as
    services/notifications.py writes it (median of 5, each in its own transaction)."""
    statement = text(
        "INSERT INTO notifications (user_id, kind, actor_id, thread_id, post_id, note, read, "
        "created_at) SELECT users.id, 'activity', 1, :t, 1, NULL, false, :now FROM users "
        "WHERE users.id IN (SELECT user_id FROM follows WHERE thread_id = :t AND active "
        "AND user_id != 1) AND users.notify_activity AND NOT EXISTS (SELECT 1 FROM mutes "
        "WHERE mutes.user_id = users.id AND mutes.muted_user_id = 1)"
    )
    took = []
    for _ in range(5):
        start = time.perf_counter()
        with engine.begin() as conn:
            inserted = conn.execute(statement, {"t": thread_id, "now": NOW}).rowcount
        took.append(time.perf_counter() - start)
        assert inserted == FOLLOWERS, inserted
    return round(statistics.median(took) * 1000, 1)


def _time_read(engine, reader: int) -> float:
    """The page and the header count fan-out on read would run on every signed-in page."""
    page = text(
        "SELECT posts.id FROM posts JOIN follows ON follows.thread_id = posts.thread_id "
        "WHERE follows.user_id = :u AND follows.active AND posts.created_at > follows.created_at "
        "AND posts.author_id != :u AND NOT posts.removed AND NOT posts.deleted "
        "ORDER BY posts.created_at DESC, posts.id DESC LIMIT 25"
    )
    count = text(
        "SELECT count(*) FROM (SELECT posts.id FROM posts JOIN follows ON follows.thread_id = "
        "posts.thread_id WHERE follows.user_id = :u AND follows.active AND posts.created_at > "
        "follows.created_at AND NOT posts.removed AND NOT posts.deleted LIMIT 100) AS unread"
    )
    took = []
    with engine.connect() as conn:
        for _ in range(20):
            start = time.perf_counter()
            conn.execute(page, {"u": reader}).all()
            conn.execute(count, {"u": reader}).scalar()
            took.append(time.perf_counter() - start)
    return round(statistics.median(took) * 1000, 1)


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url and "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("BENCH_DATABASE_URL's database name must contain 'bench'.")
    url = url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='subtext-fanout-')) / 'f.db'}"
    found = compare(url)
    print(f"{create_engine(url).dialect.name}: fan-out on write, one reply to a thread with "
          f"{FOLLOWERS:,} followers: {found['write_ms']} ms (once per reply); fan-out on read, "
          f"a follower of 500 threads with 10,000 replies: {found['read_ms']} ms "
          "(on every signed-in page view)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
