"""A body that would cost too much to show is refused saying why, beside the field on the
site and in API.md's error shape; what is kept is the stored plain, spoiler-free text that
listings and search read."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Revision, Thread
from tests.adversarial_markdown import SHAPES
from tests.api.conftest import bearer, error_of  # noqa: F401 - a fixture and a helper

QUOTES = SHAPES["quotes"]  # the 11-second body
# 10,000 list items: small enough form-encoded to pass the 64 KiB request limit
ITEMS = SHAPES["list_items"]


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert found, "no error beside the field"
    return found.group(1)


@pytest.mark.parametrize("where", ["reply", "new_thread", "edit_post", "edit_thread"])
def test_the_site_refuses_a_costly_body_beside_the_field(
    client, login, make_user, make_film, make_thread, make_reply, where, app
):
    author, film = make_user(), make_film()
    thread = make_thread(author=author, film=film)
    post = make_reply(thread, author=author)
    login(author)
    path, data = {
        "reply": (f"/threads/{thread.id}/replies", {"body": ITEMS}),
        "new_thread": (f"/films/{film.slug}/threads/new",
                       {"title": "Items", "kind": "theory", "body": ITEMS}),
        "edit_post": (f"/posts/{post.id}/edit", {"body": ITEMS}),
        "edit_thread": (f"/threads/{thread.id}/edit", {"title": thread.title, "body": ITEMS}),
    }[where]  # fmt: skip
    response = client.post(path, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "20,001 elements" in _field_error(page, "body")
    assert "too many parts" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Revision)) == 0
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 1
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1


def test_the_api_refuses_a_costly_body_in_its_error_shape(client, make_user, make_thread,
                                                          bearer):  # noqa: F811  # fmt: skip
    thread = make_thread()
    auth = bearer(make_user())
    response = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": QUOTES},
                           headers=auth)  # fmt: skip
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and "at most 4,000" in error["fields"]["body"]


def test_listings_show_a_spoiler_free_excerpt_and_none_for_spoiler_threads(
    client, make_film, make_thread
):
    film = make_film()
    make_thread(
        film=film,
        title="Open theory",
        body="The **coin** is a contract. ||Rooney is Winston's granddaughter||",
    )
    make_thread(film=film, title="Flagged theory", body="Winston dies at the end.", spoiler=True)
    for path in (f"/films/{film.slug}", "/all", "/"):
        page = client.get(path).get_data(as_text=True)
        assert '<p class="excerpt">The coin is a contract. ░░░</p>' in page, path
        assert "granddaughter" not in page and "Winston dies" not in page, path
        assert page.count('class="excerpt"') == 1, path


def test_a_long_body_is_cut_at_a_word_in_listings(client, make_film, make_thread):
    film = make_film()
    make_thread(film=film, body="mirror " * 200)
    page = client.get(f"/films/{film.slug}").get_data(as_text=True)
    (excerpt,) = re.findall(r'<p class="excerpt">([^<]*)</p>', page)
    assert excerpt.endswith("mirror…") and len(excerpt) <= 200
