"""Every page type passes axe's WCAG 2.2 A/AA and best-practice rules in Chromium, in the
light and the dark theme, at 1280 px and at 360 px (reached by the device's setting and by
the theme cookie), and no page scrolls sideways on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.site import (
    LOOKS,
    PAGES,
    axe_violations,
    dumps,
    log_in_as,
    page_id,
    seed_site,
    show,
    shown_theme,
    sideways_scroll,
)


@pytest.fixture
def seeded(app) -> dict[str, int]:
    return seed_site(app)


@pytest.mark.parametrize("who_url", PAGES, ids=page_id)
def test_page_passes_axe_in_both_themes_and_fits_a_phone(
    page: Page, base_url: str, seeded, who_url
):
    who, url = who_url
    if who:
        log_in_as(page, who)
    found = {}
    for look in LOOKS:
        show(page, look, url.format(**seeded), base_url)
        for tools in page.locator("details.mod-tools").all():
            tools.evaluate("el => el.open = true")  # the opened controls too
        assert shown_theme(page) == look.theme, look.name  # the look really applied
        violations = axe_violations(page)
        if look.phone:
            wide = sideways_scroll(page)
            if wide:
                violations.append({"id": "sideways-scroll", **wide})
        if violations:
            found[look.name] = violations
    assert found == {}, dumps(found)
