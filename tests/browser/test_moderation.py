"""A moderator works a thread in a real Chromium: lock with a reason, remove a reply after
the confirmation page, mark the theory confirmed, then the public log shows it all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum import demo
from forum.extensions import db
from forum.models import Post, Role, Thread
from forum.services import accounts, moderation, reports
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_moderator_locks_removes_and_confirms_in_the_browser(
    page, make_user, make_thread, make_reply
):
    mod = make_user(role=Role.MODERATOR)
    fan = make_user()
    thread = make_thread(title="The Director is Eve's aunt")
    rude = make_reply(thread, body="This theory is garbage and so are you")
    make_reply(thread, parent=rude, body="Let's keep it civil")

    log_in(page, mod.username)
    page.goto(f"/threads/{thread.id}")
    page.click("#mod-tools summary")
    page.fill("#lock-reason", "Cooling off")
    page.get_by_role("button", name="Lock", exact=True).click()
    expect(page.locator(".locked-notice")).to_contain_text("This thread is locked: Cooling off")

    page.click(f"#post-{rude.id} >> text=Remove…")
    expect(page.locator("h1")).to_have_text("Remove this reply?")
    # No reason yet: the page says what is missing.
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator(".error")).to_contain_text("This field is required.")
    page.fill("#reason", "Personal attack")
    page.get_by_role("button", name="Remove", exact=True).click()
    expect(page.locator(f"#post-{rude.id} .notice")).to_contain_text("Personal attack")

    page.click("#mod-tools summary")
    page.select_option("#theory-status", "confirmed")
    page.fill("#status-note", "Ballerina's ending")
    page.get_by_role("button", name="Set status").click()
    expect(page.locator(".badge.status-confirmed").first).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, fan.username)
    page.goto(f"/threads/{thread.id}")
    expect(page.locator(f"#post-{rude.id}")).to_contain_text("[removed by moderator]")
    expect(page.locator(f"#post-{rude.id}")).to_contain_text("Let's keep it civil")
    page.goto("/modlog")
    rows = page.locator("table.modlog tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("set status")
    expect(rows.nth(1)).to_contain_text("Personal attack")
    expect(rows.nth(2)).to_contain_text("Cooling off")


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ADMIN_PAGES = ["/threads/{thread}", "/threads/{thread}/remove", "/posts/{post}/remove",
               "/modlog", "/mod/reports", "/threads/{thread}/history", "/u/tarot_reader",
               "/u/tarot_reader/ban", "/threads/{thread}/report"]  # fmt: skip


@pytest.fixture
def seeded_with_a_report(app) -> dict[str, int]:
    """The demo data, a report in the queue, a locked thread in the log (ids differ on
    PostgreSQL, whose sequences run on between tests)."""
    with app.app_context():
        demo.seed()
        first, second = db.session.scalars(select(Thread).order_by(Thread.id).limit(2))
        reporter = accounts.find_user("tarot_reader")
        post = db.session.scalar(
            select(Post)
            .where(Post.thread_id == first.id, Post.author_id != reporter.id)
            .order_by(Post.id)
            .limit(1)
        )
        reports.report(reporter, "post", post.id, "Off-topic")
        moderation.lock_thread(accounts.find_user("charon"), second, "Calm down")
        return {"thread": first.id, "post": post.id}


def test_moderation_pages_have_no_axe_violations(page: Page, seeded_with_a_report):
    assert AXE.exists(), "axe-core missing: run `npm ci` (make test does)"
    log_in(page, "winston", demo.DEMO_PASSWORD)
    for url in ADMIN_PAGES:
        url = url.format(**seeded_with_a_report)
        page.goto(url)
        for tools in page.locator("details.mod-tools").all():
            tools.evaluate("el => el.open = true")  # check the opened controls too
        page.evaluate(AXE.read_text())  # not a <script> tag: the CSP refuses inline scripts
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
        )
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
        ]
        assert violations == [], (url, json.dumps(violations, indent=2))
        assert len(result["passes"]) > 5, url  # axe really ran
