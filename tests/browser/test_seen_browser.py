"""The "Seen it" toggle in a real Chromium: in place with JavaScript, by a plain form
without it; and a spoiler thread's full title appears once the film is marked seen."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.test_votes_browser import log_in

FULL_TITLE = "John lets Eve walk away"


def test_marking_a_film_seen_in_place_opens_its_full_titles(
    page: Page, make_user, make_film, make_thread
):
    film = make_film(slug="ballerina", title="Ballerina")
    thread = make_thread(film=film, title="What the finale says", spoiler=True,
                         spoiler_title=FULL_TITLE)  # fmt: skip
    make_user("eve_fan")
    page.goto("/login")
    log_in(page, "eve_fan")
    page.goto(f"/threads/{thread.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("What the finale says")
    page.goto("/films/ballerina")
    page.evaluate("window.sameDocument = 'yes'")  # gone if the page reloads
    toggle = page.get_by_role("button", name="Seen it: Ballerina")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.sameDocument") == "yes"
    page.goto(f"/threads/{thread.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(FULL_TITLE)
    page.goto("/films/ballerina")
    page.get_by_role("button", name="Seen it: Ballerina").click()  # and back
    expect(page.get_by_role("button", name="Seen it: Ballerina")).to_have_attribute(
        "aria-pressed", "false"
    )
    page.goto(f"/threads/{thread.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("What the finale says")


def test_the_toggle_works_without_javascript(browser: Browser, base_url: str, make_user,
                                             make_film):  # fmt: skip
    make_film(slug="heat", title="Heat")
    make_user("neil")
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("/login")
    log_in(page, "neil")
    page.goto("/films/heat")
    page.get_by_role("button", name="Seen it: Heat").click()
    expect(page.get_by_text("Heat is marked seen")).to_be_visible()
    expect(page.get_by_role("button", name="Seen it: Heat")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.goto("/account")
    expect(page.get_by_role("link", name="Heat")).to_be_visible()
    context.close()


def test_a_new_fan_sees_no_spoiler_until_they_say_they_have_seen_the_film(
    page: Page, make_user, make_film, make_thread, make_reply
):
    film = make_film(slug="ballerina", title="Ballerina")
    thread = make_thread(film=film, title="What the finale says", spoiler=True,
                         spoiler_title=FULL_TITLE,
                         body="She ||burns the village|| and walks away.")  # fmt: skip
    make_reply(thread, body="And the Director smiles at the end.")
    make_user("new_fan")
    page.goto("/login")
    log_in(page, "new_fan")
    page.goto(f"/threads/{thread.id}")
    html = page.content()
    for secret in (FULL_TITLE, "burns the village", "walks away", "Director smiles"):
        assert secret not in html  # not hidden: not sent
    expect(page.get_by_text("This thread has spoilers for Ballerina")).to_be_visible()
    page.get_by_role("button", name="I've seen Ballerina").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FULL_TITLE)
    expect(page.get_by_text("And the Director smiles at the end.")).to_be_visible()
    expect(page.get_by_text("walks away")).to_be_visible()
    page.get_by_role("button", name="Spoiler").first.click()  # the inline one, on request
    expect(page.get_by_text("burns the village")).to_be_visible()
