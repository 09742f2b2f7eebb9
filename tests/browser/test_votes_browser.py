"""Voting in a real Chromium: in place with JavaScript, by plain forms without it."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in


def test_voting_updates_in_place_without_a_reload(
    page: Page, make_user, make_film, make_thread, make_reply
):
    author = make_user("director")
    film = make_film(slug="ballerina", title="Ballerina")
    thread = make_thread(author=author, film=film, title="Eve is the Ruska Roma's answer")
    make_reply(thread, author=author, body="The tattoo says so.")
    make_user("eve_fan")

    # Anonymous: the arrow leads to the log-in page, back to the board afterwards, and the
    # vote is cast once the fan is in.
    page.goto("/films/ballerina")
    row = page.locator(f"#thread-{thread.id}")
    row.get_by_role("button", name="Upvote").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    log_in(page, "eve_fan")
    expect(page).to_have_url(re.compile(r"/films/ballerina"))

    page.evaluate("window.sameDocument = 'yes'")  # gone if the page reloads
    up, down = row.get_by_role("button", name="Upvote"), row.get_by_role("button", name="Downvote")
    score = row.locator(".vote-count")
    expect(score).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    up.click()  # the active arrow: take the vote back
    expect(score).to_have_text("0")
    up.click()
    expect(score).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    down.click()
    expect(score).to_have_text("-1")
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(down).to_have_attribute("aria-pressed", "true")
    down.click()  # the active arrow again: take the vote back
    expect(score).to_have_text("0")
    expect(down).to_have_attribute("aria-pressed", "false")
    up.click()
    expect(score).to_have_text("1")
    assert page.evaluate("window.sameDocument") == "yes"

    # The vote was stored: a fresh load shows it; replies vote the same way.
    page.goto(f"/threads/{thread.id}")
    box = page.locator("#thread .vote")
    expect(box.locator(".vote-count")).to_have_text("1")
    expect(box.get_by_role("button", name="Upvote")).to_have_attribute("aria-pressed", "true")
    page.evaluate("window.sameDocument = 'yes'")
    reply = page.locator(".post").first
    reply.get_by_role("button", name="Upvote").click()
    expect(reply.locator(".vote-count")).to_have_text("1")
    assert page.evaluate("window.sameDocument") == "yes"
    page.goto("/u/director")
    expect(page.locator(".profile-head .meta")).to_contain_text("2 karma")  # thread + reply


def test_voting_without_javascript_comes_back_to_the_same_spot(
    browser: Browser, base_url: str, make_user, make_film, make_thread
):
    film = make_film(slug="heat", title="Heat")
    thread = make_thread(film=film, title="The coffee scene is a truce")
    make_user("waingro_watch")
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    try:
        page.goto("/login")
        log_in(page, "waingro_watch")
        page.goto("/films/heat?sort=new")
        row = page.locator(f"#thread-{thread.id}")
        row.get_by_role("button", name="Downvote").click()
        expect(page).to_have_url(re.compile(rf"/films/heat\?sort=new#thread-{thread.id}$"))
        row = page.locator(f"#thread-{thread.id}")
        expect(row.locator(".vote-count")).to_have_text("-1")
        expect(row.get_by_role("button", name="Downvote")).to_have_attribute("aria-pressed", "true")
    finally:
        context.close()
