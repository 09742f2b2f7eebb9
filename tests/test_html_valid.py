"""Every main page is valid HTML (the Nu Html Checker, vnu.jar, run once over them all)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from forum import demo
from forum.extensions import db
from forum.models import Post, Thread, User
from forum.services import tokens

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NOT_OK = {"/films/nope": 404, "/search?q=*": 422}  # error pages are checked too


def _pages(app) -> list[str]:
    with app.app_context():
        demo.seed()
        thread = db.session.scalar(db.select(Thread).order_by(Thread.reply_count.desc()))
        post = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id))
    return ["/", "/all", "/films/ballerina", "/films/ballerina?sort=top&t=week",
            f"/threads/{thread.id}", f"/threads/{thread.id}/replies/{post.id}",
            f"/threads/{thread.id}/history", "/u/tarot_reader", "/u/tarot_reader?tab=replies",
            "/modlog", "/login", "/signup", "/password/forgot", "/films/nope",
            "/search", "/search?q=ruska", "/search?q=nothing-like-this",
            "/search?q=ruska+roma&kind=theory", "/search?q=*", "/theme",
            "/universes/john-wick", "/tags/mirrors", "/tags/markers?film=ballerina&status=open",
            "/tags/finale?kind=question", "/films/john-wick-chapter-2/scenes",
            "/films/ballerina/scenes", "/films/heat/scenes", "/u/high_table?status=debunked",
            f"/threads/{_settled(app)}"]  # fmt: skip


def _settled(app) -> int:
    """The demo's confirmed theory: its record and the scenes its replies cite."""
    with app.app_context():
        return db.session.scalar(db.select(Thread.id).where(Thread.status == "confirmed"))


def _spoiler_thread(app) -> int:
    """The demo's spoiler thread with a full title (charon and winston have seen Ballerina)."""
    with app.app_context():
        return db.session.scalar(db.select(Thread.id).where(Thread.spoiler_title.is_not(None)))


@pytest.mark.parametrize("viewer", [None, "charon", "winston", "tarot_reader"])
def test_pages_are_valid_html(app, client, login, tmp_path, viewer):
    java = shutil.which("java")
    assert java, "java missing: scripts/ensure-system.sh installs default-jre-headless"
    assert VNU.exists(), "vnu.jar missing: run `npm ci` (make test does)"
    urls = _pages(app)
    if viewer:
        with app.app_context():
            user = db.session.scalar(db.select(User).filter_by(username=viewer))
            login(user)
            tokens.issue_token(user, 30)  # the account page's token table
        urls += [
            "/account/password",
            "/account/email",
            "/account",
            "/notifications",
            "/notifications?show=unread",
            "/following",
            "/films/ballerina/threads/new",
        ]
        if viewer != "tarot_reader":  # a fan with unread notifications, who wrote none of these
            urls += [f"/threads/{_spoiler_thread(app)}/edit"]
        if viewer == "charon":
            urls += [f"/threads/{_spoiler_thread(app)}/wrap-spoiler"]
        if viewer == "winston":
            urls += ["/admin/", "/admin/films/new", "/admin/films/ballerina/edit", "/mod/reports",
                     "/universes/john-wick"]  # fmt: skip
    files = []
    for i, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == NOT_OK.get(url, 200), url
        page = tmp_path / f"page{i}.html"
        page.write_bytes(response.data)
        files.append(str(page))
    proc = subprocess.run(  # noqa: S603 - fixed argv, our own files
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        check=False, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    messages = json.loads(proc.stderr)["messages"]
    by_url = [
        {"url": urls[files.index(m["url"].removeprefix("file:"))], "message": m["message"],
         "extract": m.get("extract", "")}
        for m in messages
    ]  # fmt: skip
    assert by_url == [], json.dumps(by_url, indent=2, ensure_ascii=False)
