"""A new fan's first evening, on a desktop in the light theme and on a 360 px phone in the
dark one: sign up, mark a film seen, start a theory with a spoiler, vote on another fan's
thread, get a reply; then a moderator confirms the theory and wraps a spoiler in the reply.
Nothing on the way scrolls the phone sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from forum.models import Role, ThreadKind
from tests.browser.site import shown_theme, sideways_scroll
from tests.browser.test_journeys import log_in, pages  # noqa: F401 (a fixture)


def fits(page: Page, phone: bool) -> None:
    if phone:
        assert sideways_scroll(page) is None


@pytest.mark.parametrize(("width", "theme"), [(1280, "light"), (360, "dark")])
def test_a_new_fans_evening(pages, make_user, make_film, make_thread, width, theme):  # noqa: F811
    film = make_film(slug="ballerina", title="Ballerina", year=2025)
    other = make_thread(film=film, title="Blood-tied ballet shoes", kind=ThreadKind.SYMBOLISM,
                        spoiler=False)  # fmt: skip
    make_user("charon", role=Role.MODERATOR)
    make_user("tarot_reader")
    phone = width < 400
    page = pages(width)
    page.emulate_media(color_scheme=theme)

    page.goto("/films/ballerina")
    assert shown_theme(page) == theme
    fits(page, phone)
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("eve_fan")
    page.get_by_label("E-mail").fill("eve@example.com")
    page.get_by_label("Password").fill("the-coin-is-a-contract")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Welcome to Subtext, eve_fan!")).to_be_visible()

    page.goto("/films/ballerina")
    seen = page.get_by_role("button", name="Seen it: Ballerina")
    seen.click()
    expect(seen).to_have_attribute("aria-pressed", "true")
    upvote = page.locator(f"#thread-{other.id} .vote-arrow.up")
    upvote.click()
    expect(upvote).to_have_attribute("aria-pressed", "true")

    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title", exact=True).fill("The Director raised Eve as John's successor")
    page.get_by_label("Kind").select_option("theory")
    page.get_by_label("Text (Markdown)").fill("Every lesson mirrors one of John's. ||She knew.||")
    page.get_by_role("button", name="Post thread").click()
    heading = page.get_by_role("heading", name="The Director raised Eve")
    expect(heading).to_be_visible()
    thread_url = page.url
    page.locator(".thread").get_by_role("button", name="Spoiler").click()
    expect(page.locator(".thread .spoiler-text")).to_have_text("She knew.")
    fits(page, phone)
    page.get_by_role("button", name="Log out").click()

    page.goto("/login")
    log_in(page, "tarot_reader")
    page.goto(thread_url + "?reveal=spoilers")
    page.get_by_label("Your reply").fill("The Director knew too: she kept the shoes.")
    page.get_by_role("button", name="Reply").first.click()
    expect(page.locator(".post").first).to_contain_text("she kept the shoes")
    page.get_by_role("button", name="Log out").click()

    log_in(page, "charon")
    page.goto(thread_url + "?reveal=spoilers")
    page.locator("#mod-tools summary").click()
    page.get_by_label("Theory status").select_option("confirmed")
    page.get_by_label("Note").fill("Chapter 5 settled it.")
    page.get_by_role("button", name="Set status").click()
    expect(page.locator(".thread .badge.status-confirmed").first).to_be_visible()
    page.locator(".post").first.get_by_role("link", name="Wrap a spoiler…").click()
    page.get_by_label("Passage").fill("she kept the shoes")
    page.get_by_label("Reason").fill("Ending of Ballerina")
    page.get_by_role("button", name="Wrap as a spoiler").click()
    expect(page.locator(".post").first).not_to_contain_text("she kept the shoes")  # withheld
    page.goto(thread_url + "?reveal=spoilers")
    reply = page.locator(".post").first
    expect(reply.get_by_role("button", name="Spoiler")).to_be_visible()
    expect(reply.locator(".spoiler-text")).to_be_hidden()
    assert shown_theme(page) == theme
    fits(page, phone)
