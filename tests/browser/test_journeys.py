"""Issue 16's journeys in a real Chromium, at 1280 px and 360 px, with JavaScript and (where
the page must work without it) without: nothing a fan types is lost, every reply lands where
it was aimed, and every flow keeps the fan's place."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from config import TestConfig
from forum import create_app
from forum.extensions import db, limiter
from forum.models import Role, Universe
from tests.browser.conftest import LiveServer
from tests.conftest import PASSWORD

WIDTHS = [1280, 360]


def open_page(browser: Browser, base_url: str, width: int, js: bool = True) -> Page:
    context = browser.new_context(
        base_url=base_url, java_script_enabled=js, viewport={"width": width, "height": 800}
    )
    return context.new_page()


@pytest.fixture
def pages(browser: Browser, base_url: str) -> Iterator:
    opened: list[Page] = []

    def make(width: int, js: bool = True, url: str | None = None) -> Page:
        page = open_page(browser, base_url if url is None else url, width, js)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.context.close()


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


# --- a failed nested reply, then a top-level one ---------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_failed_nested_reply_stays_in_place_and_the_next_top_level_reply_lands_top_level(
    pages, make_user, make_thread, make_reply, width, js
):
    thread = make_thread(title="The mirrors are doors")
    parent = make_reply(thread, author=make_user("rooney"), body="Every mirror breaks once.")
    make_user("eve_fan")
    page = pages(width, js)
    log_in(page, "eve_fan")
    page.goto(f"/threads/{thread.id}")
    post = page.locator(f"#post-{parent.id}")
    post.locator("summary", has_text="Reply").click()
    post.get_by_role("button", name="Reply").click()  # empty

    post = page.locator(f"#post-{parent.id}")
    expect(post.get_by_text("This field is required.")).to_be_visible()
    expect(post.get_by_label("Reply to rooney")).to_be_visible()
    top = page.locator("#reply-form")
    expect(top.get_by_text("This field is required.")).to_have_count(0)
    assert top.locator("input[name=parent_id]").count() == 0

    post.get_by_label("Reply to rooney").fill("Except the last one.")
    post.get_by_role("button", name="Reply").click()
    nested = page.locator(f"#post-{parent.id} .children .post")
    expect(nested).to_contain_text("Except the last one.")

    page.get_by_label("Your reply").fill("A new top-level thought.")
    page.locator("#reply-form").get_by_role("button", name="Reply").click()
    top_level = page.locator("ol.tree > li.post", has_text="A new top-level thought.")
    expect(top_level).to_have_count(1)
    expect(page.locator(".children .post", has_text="A new top-level thought.")).to_have_count(0)


# --- sign-up in one pass, next= kept, the vote cast after log-in ---------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_sign_up_names_every_problem_at_once_and_goes_where_the_fan_was_going(
    pages, make_user, make_film, width, js
):
    make_user("eve_fan", email="eve@example.com")
    make_film(slug="ballerina", title="Ballerina")
    page = pages(width, js)
    page.goto("/films/ballerina")
    page.get_by_role("link", name="Log in to start a thread").click()
    page.get_by_role("link", name="Sign up").last.click()
    page.get_by_label("Username").fill("eve_fan")
    page.get_by_label("E-mail").fill("eve@example.com")
    page.get_by_label("Password").fill("password123")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_text("That username is taken.")).to_be_visible()
    expect(page.get_by_text(re.compile("already has an account"))).to_have_count(0)
    expect(page.get_by_text(re.compile("less common password"))).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("eve@example.com")
    expect(page.get_by_label("Password")).to_have_value("")  # never sent back

    page.get_by_label("Username").fill("eve_second")
    page.get_by_label("E-mail").fill("eve2@example.com")
    page.get_by_label("Password").fill("the-coin-is-a-contract")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/films/ballerina/threads/new$"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_signed_out_vote_says_why_and_is_cast_after_log_in(
    pages, make_user, make_film, make_thread, width, js
):
    film = make_film(slug="heat", title="Heat")
    thread = make_thread(film=film, title="The coffee scene is a truce")
    make_user("waingro_watch")
    page = pages(width, js)
    page.goto("/films/heat")
    page.locator(f"#thread-{thread.id}").get_by_role("button", name="Upvote").click()
    expect(page.get_by_role("status").filter(has_text="Log in to vote")).to_be_visible()
    page.get_by_label("Username").fill("waingro_watch")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/films/heat"))
    expect(page.get_by_text("your vote is counted")).to_be_visible()
    row = page.locator(f"#thread-{thread.id}")
    expect(row.locator(".vote-count")).to_have_text("1")
    expect(row.get_by_role("button", name="Upvote")).to_have_attribute("aria-pressed", "true")


# --- a rate-limited reply keeps its text ---------------------------------------------------


@pytest.fixture
def limited_server(app: Flask) -> Iterator[LiveServer]:
    class Limited(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        WTF_CSRF_ENABLED = True
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"

    limited = create_app(Limited)
    server = LiveServer(limited)
    yield server
    server.stop()
    limiter.reset()
    limiter.enabled = False
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_rate_limited_reply_comes_back_with_the_text_and_the_wait(
    pages, limited_server, make_user, make_thread, width, js
):
    thread = make_thread()
    make_user("new_fan")  # a first-day account: one reply per 30 s
    page = pages(width, js, url=limited_server.url)
    log_in(page, "new_fan")
    page.goto(f"/threads/{thread.id}")
    page.get_by_label("Your reply").fill("First thought.")
    page.locator("#reply-form").get_by_role("button", name="Reply").click()
    expect(page.locator(".post", has_text="First thought.")).to_be_visible()
    page.get_by_label("Your reply").fill("A second, longer thought I must not lose.")
    page.locator("#reply-form").get_by_role("button", name="Reply").click()
    refusal = page.locator("#reply-form-refusal")
    expect(refusal).to_have_text(re.compile(r"^You can post again in \d+ s\.$"))
    expect(refusal).to_be_in_viewport()
    typed = "A second, longer thought I must not lose."
    expect(page.get_by_label("Your reply")).to_have_value(typed)


# --- spoilers, touch targets, focus and messages --------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_spoilers_open_only_on_enter_space_or_click_and_stay_unread_until_then(
    pages, make_thread, make_reply, width
):
    thread = make_thread(body="Eve ||survives the fire|| and >!meets John!<.")
    page = pages(width)
    page.goto(f"/threads/{thread.id}?reveal=spoilers")  # consent: sent, behind their buttons
    toggles, texts = page.locator(".thread .spoiler-toggle"), page.locator(".thread .spoiler-text")
    first, second, first_text, second_text = (
        toggles.nth(0),
        toggles.nth(1),
        texts.nth(0),
        texts.nth(1),
    )
    expect(first).to_have_attribute("aria-expanded", "false")
    tree = page.locator(".thread .body").aria_snapshot()
    assert "survives the fire" not in tree and "meets John" not in tree
    first.focus()  # tabbing onto a spoiler reveals nothing
    expect(first).to_be_focused()
    expect(first_text).to_be_hidden()
    page.keyboard.press("Enter")
    expect(first).to_have_attribute("aria-expanded", "true")
    expect(first_text).to_be_visible()
    assert "survives the fire" in page.locator(".thread .body").aria_snapshot()
    second.focus()
    page.keyboard.press("Space")
    expect(second_text).to_be_visible()
    first.click()  # and it closes again
    expect(first_text).to_be_hidden()


def test_without_javascript_one_link_shows_the_pages_spoilers(pages, make_thread):
    thread = make_thread(body="Eve ||survives the fire||.")
    page = pages(1280, js=False)
    page.goto(f"/threads/{thread.id}")
    expect(page.locator(".spoiler-text")).to_have_count(0)  # withheld: not sent at all
    page.get_by_role("link", name="Show spoilers for this thread").click()
    expect(page.locator(".spoiler-text")).to_be_hidden()
    page.get_by_role("link", name="Show every spoiler on this page").click()
    expect(page.locator(".spoiler-text")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_votes_and_reply_links_are_44_px_touch_targets(
    pages, make_user, make_thread, make_reply, width
):
    thread = make_thread()
    make_reply(thread, body="A reply to answer.")
    make_user("thumbs")
    page = pages(width)
    log_in(page, "thumbs")
    page.goto(f"/threads/{thread.id}")
    targets = [*page.locator(".vote-arrow").all(), *page.locator(".reply-to > summary").all()]
    assert len(targets) == 5  # two arrows on the thread, two on the reply, one reply link
    for target in targets:
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box


@pytest.mark.parametrize("width", WIDTHS)
def test_after_a_reply_the_focus_and_the_message_are_on_the_new_reply(
    pages, make_user, make_thread, make_reply, width
):
    thread = make_thread()
    for n in range(8):
        make_reply(thread, body=f"Earlier reply {n} " + "words " * 40)
    make_user("keyboard_fan")
    page = pages(width)
    log_in(page, "keyboard_fan")
    page.goto(f"/threads/{thread.id}")
    page.get_by_label("Your reply").fill("Posted from the keyboard.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    mine = page.locator(".post", has_text="Posted from the keyboard.")
    expect(mine).to_be_focused()
    status = mine.get_by_role("status")
    expect(status).to_have_text("Your reply is posted.")
    expect(status).to_be_in_viewport()


# --- finding your way -----------------------------------------------------------------------


@pytest.fixture
def wick(app: Flask, make_film) -> None:
    with app.app_context():
        db.session.add(Universe(slug="john-wick", name="John Wick"))
        db.session.commit()
    make_film(slug="chapter-3", title="Chapter 3", universe="john-wick", timeline_order=3)
    make_film(slug="ballerina", title="Ballerina", universe="john-wick", timeline_order=4)
    make_film(slug="chapter-4", title="Chapter 4", universe="john-wick", timeline_order=5)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_fan_walks_the_story_order_and_back_to_the_universe(pages, wick, width, js):
    page = pages(width, js)
    page.goto("/films/ballerina")
    page.get_by_role("link", name="Chapter 4 →").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chapter 4")
    page.get_by_role("link", name="← Ballerina").click()
    page.get_by_role("link", name="← Chapter 3").click()
    expect(page.get_by_role("link", name=re.compile("^←"))).to_have_count(0)
    page.locator(".crumbs").get_by_role("link", name="John Wick").click()
    expect(page).to_have_url(re.compile(r"/universes/john-wick$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("John Wick")
    expect(page.get_by_role("heading", name="In story order")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_sort_and_filters_apply_as_soon_as_they_change(pages, wick, width):
    page = pages(width)
    page.goto("/films/ballerina")
    page.locator("select[name=sort]").select_option("new")
    expect(page).to_have_url(re.compile(r"sort=new"))
    page.wait_for_load_state()  # the new page, not the one being left
    page.locator("select[name=kind]").select_option("question")
    expect(page).to_have_url(re.compile(r"kind=question"))
    expect(page.locator("select[name=sort]")).to_have_value("new")


def test_without_javascript_the_show_button_applies_the_filters(pages, wick):
    page = pages(360, js=False)
    page.goto("/films/ballerina")
    page.locator("select[name=sort]").select_option("new")
    expect(page).not_to_have_url(re.compile(r"sort=new"))
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"sort=new"))


# --- report reasons -------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_fan_reports_with_a_reason_and_moderators_see_it_grouped(
    pages, make_user, make_thread, width, js
):
    thread = make_thread(title="Ending spoiled in the title")
    make_user("careful_fan")
    make_user("mod_on_duty", role=Role.MODERATOR)
    page = pages(width, js)
    log_in(page, "careful_fan")
    page.goto(f"/threads/{thread.id}")
    page.locator("#thread").get_by_role("link", name="Report").click()
    page.get_by_role("button", name="Send the report").click()  # "something else" needs a note
    expect(page.get_by_text("Say why")).to_be_visible()
    page.get_by_label("Untagged spoiler").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you: the moderators will look at it.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    log_in(page, "mod_on_duty")
    page.goto("/mod/reports")
    group = page.get_by_role("region", name=re.compile("Untagged spoiler"))
    expect(group).to_contain_text("Ending spoiled in the title")
