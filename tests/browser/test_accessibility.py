"""The main pages pass axe's WCAG 2 A/AA and best-practice rules in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from forum import demo
from forum.extensions import db
from forum.models import Thread

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/all", "/films/ballerina", "/threads/{thread}", "/u/tarot_reader", "/login",
         "/signup", "/search?q=ruska", "/search?q=*", "/universes/john-wick", "/tags/mirrors",
         "/films/john-wick-chapter-2/scenes", "/films/ballerina/scenes"]  # fmt: skip


@pytest.fixture
def seeded(app) -> dict[str, int]:
    """The demo data, and the id of its busiest thread (ids differ between databases)."""
    with app.app_context():
        demo.seed()
        thread = db.session.scalar(select(Thread).order_by(Thread.reply_count.desc()))
        return {"thread": thread.id}


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_axe_violations(page: Page, seeded, url):
    assert AXE.exists(), "axe-core missing: run `npm ci` (make test does)"
    page.goto(url.format(**seeded))
    page.evaluate(AXE.read_text())  # not a <script> tag: the CSP refuses inline scripts
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
    )
    violations = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=2)
    assert len(result["passes"]) > 5  # axe really ran


SIGNED_IN_PAGES = ["/notifications", "/following", "/account", "/films/ballerina",
                   "/threads/{thread}"]  # fmt: skip


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages_have_no_axe_violations(page: Page, seeded, url):
    """The notification, following and account pages, and the follow, mute and preview
    buttons on boards and threads, as a signed-in demo fan sees them."""
    from forum.demo import DEMO_PASSWORD
    from tests.browser.conftest import log_in

    log_in(page, "tarot_reader", DEMO_PASSWORD)
    page.wait_for_url(lambda u: "/login" not in u)
    page.goto(url.format(**seeded))
    assert "/login" not in page.url
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
    )
    violations = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=2)
