"""The film world in a real Chromium: the universe page (an admin orders the films by
dragging, or by number without JavaScript), a tag page filtered to one film, and tag
suggestions as a fan types in the thread form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from forum import demo
from forum.models import Role
from tests.browser.conftest import log_in


@pytest.fixture
def wick(app):
    with app.app_context():
        demo.seed()


def _story(page: Page) -> list[str]:
    return page.locator("#story-order + ol h3 a").all_inner_texts()


def test_the_universe_page_shows_both_orders_at_360px(page: Page, wick):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/")
    page.get_by_role("link", name="John Wick", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/universes/john-wick$"))
    story = _story(page)
    assert story.index("Ballerina") + 1 == story.index("John Wick: Chapter 4")
    release = page.locator("#release-order + ol > li > a").all_inner_texts()
    assert release[-1] == "Ballerina"
    expect(page.locator("#film-ballerina")).to_contain_text("set 4th")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="#mirrors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("#mirrors")


def test_an_admin_drags_ballerina_to_the_start_of_the_story(page: Page, wick, make_user):
    make_user("director", role=Role.ADMIN)
    log_in(page, "director")
    page.goto("/universes/john-wick#order")
    items = page.locator(".order-item")
    ballerina = items.filter(has_text="Ballerina")
    ballerina.drag_to(items.first, target_position={"x": 20, "y": 2})
    expect(page.get_by_role("status").filter(has_text="Order changed")).to_be_visible()
    expect(page.get_by_label("Ballerina (2025)")).to_have_value("1")
    page.get_by_role("button", name="Save story order").click()
    expect(page.get_by_text("The story order of John Wick is saved.")).to_be_visible()
    assert _story(page)[0] == "Ballerina"
    page.goto("/modlog")
    expect(page.locator("tr.action-order_films")).to_contain_text("story order: Ballerina")


def test_an_admin_orders_by_number_without_javascript(browser: Browser, base_url: str, wick,
                                                      make_user):  # fmt: skip
    make_user("keeper", role=Role.ADMIN)
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    log_in(page, "keeper")
    page.goto("/universes/john-wick")
    page.get_by_label("Ballerina (2025)").fill("9")  # last
    page.get_by_role("button", name="Save story order").click()
    expect(page.get_by_text("The story order of John Wick is saved.")).to_be_visible()
    assert _story(page)[-1] == "Ballerina"
    page.get_by_label("Ballerina (2025)").fill("")
    page.get_by_role("button", name="Save story order").click()
    expect(page.get_by_role("alert")).to_have_text("Give Ballerina a place: a whole number.")
    context.close()


def test_a_tag_page_filters_to_one_film(page: Page, wick):
    page.goto("/tags/mirrors")
    rows = page.locator(".thread-row")
    expect(rows).to_have_count(3)
    page.locator("select[name=film]").select_option(label="Ballerina (1)")  # applies on change
    expect(page).to_have_url(re.compile(r"film=ballerina"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Broken mirrors")
    page.get_by_role("link", name="Every film").click()
    expect(rows).to_have_count(3)


def test_the_thread_form_suggests_tags_most_used_first(page: Page, wick, make_user):
    make_user("new_fan")
    log_in(page, "new_fan")
    page.goto("/films/ballerina/threads/new")
    tags = page.get_by_role("combobox", name="Tags")
    tags.press_sequentially("Ruska Roma, mar", delay=20)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options.first).to_contain_text("#markers")
    tags.press("ArrowDown")
    tags.press("Enter")
    expect(tags).to_have_value("Ruska Roma, markers, ")
    expect(page.get_by_role("listbox")).to_be_hidden()
