"""A moderator works a thread in a real Chromium: lock with a reason, remove a reply after
the confirmation page, mark the theory confirmed, then the public log shows it all."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from conftest import PASSWORD
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from forum.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def live_url(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    worker.join()


@pytest.fixture
def page(live_url) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page(base_url=live_url)
        yield page
        browser.close()


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_a_moderator_locks_removes_and_confirms_in_the_browser(
    page, make_user, make_thread, make_reply
):
    mod, fan = make_user(role=Role.MODERATOR), make_user()
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
