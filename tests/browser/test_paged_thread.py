"""A big thread in a real Chromium: page 1, the next page, "N more replies", and a new
reply that takes the fan to the page that shows it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_journeys import log_in, pages  # noqa: F401 (a fixture)


def test_a_big_thread_pages_and_a_new_reply_is_shown(pages, make_user, make_thread, make_reply):  # noqa: F811
    thread = make_thread(title="Every mirror is a door")
    tops = [make_reply(thread, body=f"Top reply number {i:02}") for i in range(12)]
    for i in range(5):
        make_reply(thread, parent=tops[0], body=f"Under the first, number {i}")
    make_user("eve_fan")
    page = pages(1280)
    log_in(page, "eve_fan")
    page.goto(f"/threads/{thread.id}?sort=old")
    tree = page.locator("ol.tree > li.post")
    expect(tree).to_have_count(10)
    expect(page.get_by_text("Top reply number 10")).to_have_count(0)
    expect(page.get_by_text("Under the first, number 3")).to_have_count(0)

    page.get_by_role("link", name="2 more replies →").click()
    expect(page.get_by_text("Under the first, number 4")).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="Next page →").click()
    expect(tree).to_have_count(2)
    expect(page.get_by_text("Top reply number 11")).to_be_visible()

    page.get_by_label("Your reply").fill("The last word, on a long night.")
    page.locator("#reply-form").get_by_role("button", name="Reply").click()
    mine = page.locator("li.post", has_text="The last word, on a long night.")
    expect(mine).to_be_visible()
    expect(mine.get_by_role("status")).to_contain_text("Your reply is posted.")
