"""Subtext's benchmark: generate a big forum, time the pages fans open most, and report
each as a ratio to a reference page (a bare Flask page in the same process), so the
figures mean something on a noisy machine. Run with `make bench`.

BENCH_DATABASE_URL picks the database (default: a fresh SQLite file); BENCH_THREADS the
board's size (default 100,000).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta

from flask import Flask
from sqlalchemy import insert, select

from config import TestConfig
from forum import create_app
from forum.extensions import db
from forum.models import Film, Post, Thread, User, utcnow
from forum.services import markup, ranking


def build_app() -> Flask:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='subtext-bench-')}/bench.db"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        PAGE_SIZE = 25

    return create_app(Config)


def generate(app: Flask, threads: int, replies: int) -> tuple[int, int]:
    """One big board of `threads` threads and one thread with `replies` replies."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        user = User(username="bench", email="bench@example.com", password_hash="x")
        film = Film(slug="big", title="Big board", year=2025)
        db.session.add_all([user, film])
        db.session.commit()
        start, html = utcnow() - timedelta(days=365), markup.render("A theory.").html
        rows = []
        for i in range(threads):
            created = start + timedelta(seconds=i * 300)
            ups, downs = (i * 7919) % 50, (i * 104729) % 20
            rows.append(dict(film_id=film.id, author_id=user.id, title=f"Theory {i}",
                             body="A theory.", body_html=html, created_at=created,
                             last_activity_at=created, upvotes=ups, downvotes=downs,
                             score=ups - downs, hot=ranking.hot(ups, downs, created),
                             controversy=ranking.controversy(ups, downs)))  # fmt: skip
            if len(rows) == 5000:
                db.session.execute(insert(Thread), rows)
                rows = []
        if rows:
            db.session.execute(insert(Thread), rows)
        busy = db.session.scalar(select(Thread.id).order_by(Thread.id.desc()).limit(1))
        for i in range(replies):
            parent = (i // 3) + 1 if i >= 3 else None
            db.session.add(Post(id=i + 1, thread_id=busy, author_id=user.id, parent_id=parent,
                                depth=0 if parent is None else 1, body=f"reply {i}",
                                body_html=f"<p>reply {i}</p>"))  # fmt: skip
        db.session.commit()
        return film.id, busy


def deep_cursor_url(client, url: str, pages: int) -> str:
    """Follow `Older` links `pages` times and return that page's address."""
    import re

    for _ in range(pages):
        found = re.search(r'href="([^"]+)">Older', client.get(url).text)
        url = found.group(1).replace("&amp;", "&")
    return url


def timed(client, url: str, repeat: int) -> float:
    client.get(url)  # warm-up: templates compiled, caches filled
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main() -> int:
    threads = int(os.environ.get("BENCH_THREADS", "100000"))
    replies = int(os.environ.get("BENCH_REPLIES", "500"))
    repeat = int(os.environ.get("BENCH_REPEAT", "30"))
    app = build_app()
    t0 = time.perf_counter()
    _, busy = generate(app, threads, replies)
    print(
        f"generated {threads:,} threads and {replies} replies in {time.perf_counter() - t0:.1f} s"
    )

    reference = Flask("reference")
    reference.get("/")(lambda: "<!doctype html><title>ref</title><p>hello</p>")
    ref = timed(reference.test_client(), "/", repeat)

    client = app.test_client()
    pages = {"home": "/", "thread with replies": f"/threads/{busy}"}
    for sort in ("hot", "new", "top", "controversial", "active"):
        first = f"/films/big?sort={sort}"
        pages[f"board {sort} page 1"] = first
        pages[f"board {sort} page 200"] = deep_cursor_url(client, first, 199)
    print(f"reference page: {ref * 1000:.2f} ms (median of {repeat})")
    print(f"{'page':<28}{'median ms':>10}{'× reference':>13}")
    results = {}
    for name, url in pages.items():
        results[name] = timed(client, url, repeat)
        print(f"{name:<28}{results[name] * 1000:>10.2f}{results[name] / ref:>13.1f}")
    print("\ndeep page / first page (1.0 = a deep page costs what page one costs):")
    for sort in ("hot", "new", "top", "controversial", "active"):
        ratio = results[f"board {sort} page 200"] / results[f"board {sort} page 1"]
        print(f"  {sort:<14}{ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
