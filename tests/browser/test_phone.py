"""The header on a 360 px phone: the search field stays wide enough to type in and to read
what was typed, whoever is signed in (an admin has the most links), and every control in the
header is a 44 px target."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from forum.models import Role
from tests.browser.test_journeys import log_in


@pytest.mark.parametrize("who", [None, "member", "admin"])
def test_search_stays_usable_in_the_phone_header(page: Page, make_user, make_thread, who):
    make_thread(title="Broken mirrors and who Eve sees in them")
    if who:
        make_user(f"eve_{who}", role=Role.ADMIN if who == "admin" else Role.MEMBER)
        log_in(page, f"eve_{who}")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search the forum")
    box = search.bounding_box()
    assert box["width"] >= 200 and box["height"] >= 44, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    controls = page.locator(".site-header a:visible, .site-header button:visible").all()
    assert len(controls) >= 3
    for control in controls:
        size = control.bounding_box()
        assert size["height"] >= 44 or control.get_attribute("class") == "brand", (
            control.inner_text(),
            size,
        )
        assert size["x"] + size["width"] <= 360, (control.inner_text(), size)
    search.fill("mirrors")
    search.press("Enter")
    expect(page.get_by_role("link", name="Broken mirrors and who Eve sees in them")).to_be_visible()
