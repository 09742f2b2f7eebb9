"""Keyboard-only journeys, at 1280 px and at 360 px: a fan reaches every control with Tab,
sees where the focus is, and votes, replies, reveals a spoiler, marks a film seen and
switches the theme with Enter or Space; a moderator locks a thread and confirms a theory
the same way. No mouse, no `click()`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from forum.models import Role, ThreadKind
from tests.browser.test_journeys import WIDTHS, log_in, pages  # noqa: F401 (a fixture)


def tab_to(page: Page, target: Locator, limit: int = 250) -> None:
    """Press Tab until `target` has the focus (failing after `limit` presses), and check the
    focus can be seen there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            outline = target.evaluate(
                "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth] }"
            )
            assert outline[0] != "none" and outline[1] != "0px", outline  # a visible focus
            return
    raise AssertionError(f"Tab never reached {target}")


@pytest.fixture
def scene(make_user, make_film, make_thread, make_reply):
    film = make_film(slug="ballerina", title="Ballerina")
    author = make_user("eve_macarro_fan")
    thread = make_thread(author=author, film=film, title="The Director raised Eve",
                         body="She knew. ||The shoes were a contract.||",
                         kind=ThreadKind.THEORY, spoiler=False)  # fmt: skip
    make_reply(thread, author=author, body="And the ballet is the contract.")
    make_user("keyboard_fan")
    return thread


@pytest.mark.parametrize("width", WIDTHS)
def test_a_fan_votes_reveals_replies_and_marks_seen_with_the_keyboard(pages, scene, width):  # noqa: F811
    page = pages(width)
    log_in(page, "keyboard_fan")
    page.goto(f"/threads/{scene.id}")

    upvote = page.locator(".thread .vote-arrow.up")
    tab_to(page, upvote)
    page.keyboard.press("Enter")
    expect(upvote).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".thread .vote-count")).to_have_text("1")

    show = page.get_by_role("link", name="Show spoilers for this thread")  # withheld till asked
    tab_to(page, show)
    page.keyboard.press("Enter")
    spoiler = page.locator(".thread .spoiler-toggle")
    tab_to(page, spoiler)
    expect(page.locator(".thread .spoiler-text")).to_be_hidden()
    page.keyboard.press("Space")
    expect(page.locator(".thread .spoiler-text")).to_have_text("The shoes were a contract.")

    reply_link = page.locator(".post .reply-to > summary").first
    tab_to(page, reply_link)
    page.keyboard.press("Enter")
    box = page.get_by_label("Reply to eve_macarro_fan")
    tab_to(page, box)
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    expect(page.locator(".post .reply-to form button[type=submit]").first).to_be_focused()
    page.keyboard.press("Enter")
    posted = page.locator(".post .children .post").first
    expect(posted).to_contain_text("Typed without a mouse.")
    expect(posted).to_be_focused()  # the new reply takes the focus, with its message

    page.goto("/films/ballerina")
    seen = page.get_by_role("button", name="Seen it: Ballerina")
    tab_to(page, seen)
    page.keyboard.press("Enter")
    expect(seen).to_have_attribute("aria-pressed", "true")
    expect(seen).to_be_focused()  # in place: the focus stays where it was


@pytest.mark.parametrize("width", WIDTHS)
def test_the_theme_switches_with_the_keyboard_and_the_focus_stays_on_the_switch(
    pages,  # noqa: F811
    scene,
    width,
):
    page = pages(width)
    page.emulate_media(color_scheme="light")
    page.goto(f"/threads/{scene.id}")
    to_dark = page.get_by_role("link", name="Dark theme")  # a shared page: links
    tab_to(page, to_dark)
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    to_light = page.get_by_role("link", name="Light theme")
    expect(to_light).to_be_focused()
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")  # the server knows
    tab_to(page, to_light)
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")


def test_the_theme_form_works_without_javascript(pages, scene):  # noqa: F811
    page = pages(1280, js=False)
    log_in(page, "keyboard_fan")
    page.goto(f"/threads/{scene.id}")
    tab_to(page, page.get_by_role("button", name="Dark theme"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/threads/{scene.id}$"))
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.context.clear_cookies()
    page.goto(f"/threads/{scene.id}")  # signed out: a shared page links to the theme page
    tab_to(page, page.get_by_role("link", name="Dark theme"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Follow my device"))  # the group's checked radio
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Dark", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save theme")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/threads/{scene.id}$"))
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_moderator_locks_and_confirms_with_the_keyboard(pages, scene, make_user, width):  # noqa: F811
    make_user("charon", role=Role.MODERATOR)
    page = pages(width)
    log_in(page, "charon")
    page.goto(f"/threads/{scene.id}")
    tools = page.locator("details.mod-tools > summary")
    tab_to(page, tools)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Theory status"))
    page.keyboard.press("ArrowDown")  # open → confirmed
    expect(page.get_by_label("Theory status")).to_have_value("confirmed")
    page.keyboard.press("Tab")
    page.keyboard.type("Chapter 5 settled it.")
    page.keyboard.press("Enter")
    expect(page.locator(".thread .badge.status-confirmed").first).to_be_visible()

    tab_to(page, page.locator("details.mod-tools > summary"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Lock reason (optional)"))
    page.keyboard.type("Settled; read the note.")
    page.keyboard.press("Enter")
    expect(page.locator(".thread .badge.locked")).to_be_visible()
