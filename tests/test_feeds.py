"""Atom feeds: valid (parsed by feedparser), linked from their pages, conditional, with
stable entry ids, and spoiler-safe (no spoiler title, no withheld text, ever)."""

from __future__ import annotations

import feedparser
import pytest

from forum.extensions import db
from forum.models import Post, Role, User
from forum.services import moderation


def _parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    for required in ("id", "title", "updated"):
        assert feed.feed.get(required), required
    for entry in feed.entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.get(required), required
        assert entry.id.startswith("tag:")
    return feed, response.get_data(as_text=True)


@pytest.fixture
def world(make_user, make_film, make_thread, make_reply):
    author = make_user("writer")
    film = make_film(slug="ballerina", title="Ballerina")
    thread = make_thread(author=author, film=film, title="The ballet shoes", tags=["mirrors"],
                         body="Open text ||the shoes are blood-tied||")  # fmt: skip
    secret = make_thread(author=author, film=film, spoiler=True, title="A safe title",
                         spoiler_title="Rooney dies at the end", body="Rooney dies")  # fmt: skip
    make_reply(thread, author=make_user(), body="Reply with ||a hidden twist|| inside")
    make_reply(secret, author=author, body="the death scene")
    return {"author": author, "film": film, "thread": thread, "secret": secret}


FEEDS = ["/feed.atom", "/films/ballerina/feed.atom", "/tags/mirrors/feed.atom",
         "/u/writer/feed.atom"]  # fmt: skip


@pytest.mark.parametrize("url", FEEDS)
def test_listing_feeds_are_valid_atom_and_spoiler_safe(client, world, url):
    feed, text = _parse(client, url)
    assert feed.entries
    for word in ("Rooney dies", "death scene", "blood-tied", "hidden twist"):
        assert word not in text


def test_the_thread_feed_lists_its_replies_without_spoilers(client, world):
    feed, text = _parse(client, f"/threads/{world['thread'].id}/feed.atom")
    assert {e.id.rsplit(":", 1)[1].split("-")[0] for e in feed.entries} == {"post", "thread"}
    assert "hidden twist" not in text and "Spoiler withheld" in text
    secret, text = _parse(client, f"/threads/{world['secret'].id}/feed.atom")
    assert "death scene" not in text and "Rooney dies" not in text
    assert "withheld from feeds" in text


def test_entry_ids_stay_the_same_when_the_feed_changes(client, world, make_thread):
    first, _ = _parse(client, "/films/ballerina/feed.atom")
    make_thread(film=world["film"], title="Another theory here")
    second, _ = _parse(client, "/films/ballerina/feed.atom")
    assert {e.id for e in first.entries} < {e.id for e in second.entries}


def test_conditional_get_answers_304(client, world):
    response = client.get("/feed.atom")
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    again = client.get("/feed.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    since = client.get(
        "/feed.atom", headers={"If-Modified-Since": response.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_a_removed_reply_leaves_the_feed(app, client, world, make_user):
    thread = world["thread"]
    with app.app_context():
        post = db.session.scalar(db.select(Post).filter_by(thread_id=thread.id))
        mod = make_user(role=Role.MODERATOR)
        moderation.remove_post(db.session.get(User, mod.id), post, "spam")
        post_id = post.id
    feed, _ = _parse(client, f"/threads/{thread.id}/feed.atom")
    assert not any(e.id.endswith(f"post-{post_id}") for e in feed.entries)


@pytest.mark.parametrize(
    ("page", "feed"),
    [("/", "/feed.atom"), ("/films/ballerina", "/films/ballerina/feed.atom"),
     ("/films/ballerina?tag=mirrors", "/tags/mirrors/feed.atom"),
     ("/u/writer", "/u/writer/feed.atom")],
)  # fmt: skip
def test_listing_pages_name_their_feed(client, world, page, feed):
    text = client.get(page).get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml" title="' in text
    assert f'href="{feed}"' in text


def test_a_thread_page_names_its_feed(client, world):
    thread_id = world["thread"].id
    text = client.get(f"/threads/{thread_id}").get_data(as_text=True)
    link = f'title="New replies (Atom)" href="/threads/{thread_id}/feed.atom"'
    assert f'type="application/atom+xml" {link}' in text


@pytest.mark.parametrize(
    "url", ["/films/nope/feed.atom", "/u/nobody/feed.atom", "/threads/99999/feed.atom"]
)
def test_feeds_of_nothing_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_bad_tag_name_is_refused_with_a_page_not_a_500(client):
    assert client.get("/tags/%C2%A7/feed.atom").status_code == 422
