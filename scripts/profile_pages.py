"""Profile pages through the test client, signed in (no page cache), on a bench database.

    DATABASE_URL=sqlite:////tmp/b.db flask --app forum db upgrade
    DATABASE_URL=sqlite:////tmp/b.db flask --app forum bench-data --size quick
    DATABASE_URL=sqlite:////tmp/b.db python scripts/profile_pages.py [--profile]

Prints each page's mean CPU time over N requests (after a warm-up; CPU time, not wall
time, so other work on the machine does not count), and with --profile the pyinstrument
tree of one page so you can see where the time goes.
"""

from __future__ import annotations

import re
import sys
import time

from sqlalchemy import func, select

from forum import create_app
from forum.extensions import db
from forum.models import Film, Post, User

RUNS = 40


def main() -> None:
    app = create_app()
    with app.app_context():
        film = db.session.scalar(select(Film.slug).order_by(Film.id))
        user = db.session.scalar(select(User.username).where(User.username.like("fan%")))
        counts = select(Post.thread_id, func.count().label("n")).group_by(Post.thread_id).subquery()
        big = db.session.scalar(select(counts.c.thread_id).order_by(counts.c.n.desc()))
        typical = db.session.scalar(select(counts.c.thread_id).where(counts.c.n.between(8, 12)))
    client = app.test_client()
    token = re.search(r'name="csrf_token" [^>]*value="([^"]+)"', client.get("/login").text)
    client.post("/login", data={"username": user, "password": "bench-data-passphrase",
                                "csrf_token": token.group(1) if token else ""})  # fmt: skip
    assert client.get("/").status_code == 200
    pages = {"board, page 1": f"/films/{film}", "thread of ~10 replies": f"/threads/{typical}",
             "thread of 500 replies": f"/threads/{big}"}  # fmt: skip
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        start = time.process_time()
        for _ in range(RUNS):
            client.get(url)
        ms = (time.process_time() - start) / RUNS * 1000
        print(f"{name:24} {ms:7.1f} ms  {len(response.data) / 1024:7.1f} KiB  {url}")
    if "--profile" in sys.argv:
        from pyinstrument import Profiler

        for url in (pages["board, page 1"], pages["thread of ~10 replies"]):
            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(RUNS):
                    client.get(url)
            print(profiler.output_text(color=False, show_all=False))


if __name__ == "__main__":
    main()
