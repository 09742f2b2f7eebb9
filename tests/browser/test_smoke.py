"""A fan's first evening on Subtext, in a real Chromium."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def test_sign_up_start_a_theory_reply_and_see_it(page: Page, make_film, output_path: str):
    make_film(slug="ballerina", title="Ballerina", year=2025)

    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("eve_fan")
    page.get_by_label("E-mail").fill("eve@example.com")
    page.get_by_label("Password").fill("the-coin-is-a-contract")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome to Subtext, eve_fan!")).to_be_visible()

    page.get_by_role("link", name="Ballerina").click()
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title", exact=True).fill("The Director raised Eve as John's successor")
    page.get_by_label("Kind").select_option("theory")
    page.get_by_label("Text (Markdown)").fill("Every lesson mirrors one of John's. ||She knew.||")
    page.get_by_label("Tags").fill("ruska-roma")
    page.get_by_role("button", name="Post thread").click()

    expect(page.get_by_role("heading", name="The Director raised Eve")).to_be_visible()
    hidden = page.locator(".thread .spoiler-text")
    expect(hidden).to_be_hidden()
    page.locator(".thread").get_by_role("button", name="Spoiler").click()
    expect(hidden).to_be_visible()
    expect(hidden).to_have_text("She knew.")

    page.get_by_label("Your reply").fill("And the *ballet* is the contract.")
    page.get_by_role("button", name="Reply").first.click()
    reply = page.locator(".post").first
    expect(reply).to_contain_text("And the ballet is the contract.")
    expect(reply.locator("em")).to_have_text("ballet")

    reply.locator("summary", has_text="Reply").click()
    reply.get_by_label("Reply to eve_fan").fill("Replying to myself, nested.")
    reply.get_by_role("button", name="Reply").click()
    nested = page.locator(".post .children .post")
    expect(nested).to_contain_text("Replying to myself, nested.")

    page.goto("/films/ballerina")
    expect(page.locator(".thread-row")).to_contain_text("2 replies")
    shot = Path(output_path) / "thread.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 1000
