"""Nested replies: reply, reply to a reply, depth limit, edit, delete."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, Revision, Thread
from forum.services import replies


def test_a_member_replies_and_replies_to_a_reply(client, make_thread, make_user, login, app):
    thread = make_thread()
    login(make_user("eve_fan"))
    first = client.post(f"/threads/{thread.id}/replies", data={"body": "The *shoes* matter."})
    assert first.status_code == 302 and "#post-" in first.headers["Location"]
    with app.app_context():
        parent = db.session.scalar(select(Post))
    nested = client.post(f"/posts/{parent.id}/replies", data={"body": "Agreed."})
    assert nested.status_code == 302
    page = client.get(f"/threads/{thread.id}").text
    assert "<em>shoes</em>" in page
    assert page.index("<em>shoes</em>") < page.index("Agreed.")
    assert '<ol class="children">' in page
    with app.app_context():
        child = db.session.scalar(select(Post).filter_by(parent_id=parent.id))
        assert child.depth == 1
        thread_row = db.session.get(Thread, thread.id)
        assert thread_row.reply_count == 2 and thread_row.last_activity_at >= child.created_at


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"body": ""}, 422, "This field is required."),
        ({"body": "x" * 40_001}, 422, "between 1 and 40000"),
    ],
)
def test_replying_explains_bad_input(client, make_thread, make_user, login, data, status, message):
    thread = make_thread()
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data=data)
    assert response.status_code == status
    assert message in response.text


def test_a_reply_to_a_missing_reply_is_404(client, make_thread, make_user, login):
    make_thread()
    login(make_user())
    assert client.post("/posts/999999/replies", data={"body": "hi"}).status_code == 404


def test_a_failed_nested_reply_shows_its_own_form_and_the_next_top_level_reply_lands_top_level(
    client, make_thread, make_reply, make_user, login, app
):
    thread = make_thread()
    parent = make_reply(thread, body="Rooney knew.")
    login(make_user())
    failed = client.post(f"/posts/{parent.id}/replies", data={"body": ""})
    assert failed.status_code == 422
    page = failed.text
    nested = page[page.index(f'id="reply-form-{parent.id}"') :]
    nested = nested[: nested.index("</form>")]
    assert "This field is required." in nested  # beside the reply it was aimed at
    top = page[page.index('id="reply-form"') :]
    top = top[: top.index("</form>")]
    assert "This field is required." not in top and "parent_id" not in top
    assert '<details class="reply-to" open>' in page
    kept = client.post(f"/posts/{parent.id}/replies", data={"body": "x" * 40_001}).text
    assert "x" * 40_001 in kept  # what the fan typed comes back in its own box
    assert client.post(f"/threads/{thread.id}/replies", data={"body": "Top."}).status_code == 302
    with app.app_context():
        top_level = db.session.scalar(select(Post).filter_by(body="Top."))
        assert top_level.parent_id is None and top_level.depth == 0


def test_a_reply_to_a_reply_in_another_thread_lands_in_that_thread(
    client, make_thread, make_reply, make_user, login, app
):
    other = make_reply(make_thread())
    make_thread()
    login(make_user())
    response = client.post(f"/posts/{other.id}/replies", data={"body": "hi"})
    assert response.status_code == 302
    assert f"/threads/{other.thread_id}/replies/" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(Thread, other.thread_id).reply_count == 2


def test_a_locked_thread_refuses_replies_from_members(client, make_thread, make_user, login):
    thread = make_thread(locked=True)
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "hi"})
    assert response.status_code == 423
    assert "locked" in response.text


def test_deep_replies_continue_on_their_own_page(client, make_thread, make_reply, app):
    thread = make_thread()
    parent = None
    chain = []
    for depth in range(8):  # a page shows three levels (TREE_BREADTH below the top)
        parent = make_reply(thread, parent=parent, body=f"Level {depth} reply")
        chain.append(parent)
    page = client.get(f"/threads/{thread.id}").text
    assert "Level 2 reply" in page and "Level 3 reply" not in page
    link = f"/threads/{thread.id}/replies/{chain[2].id}?sort=best"
    assert link in page and "1 more reply" in page
    more = client.get(link).text
    assert "Level 2 reply" in more and "Level 5 reply" in more and "Level 6 reply" not in more
    assert "Back to the whole thread" in more
    assert f"/threads/{thread.id}/replies/{chain[5].id}?sort=best" in more


def test_a_big_thread_pages_its_top_level_replies_and_bounds_each_subtree(
    client, app, make_thread, make_reply, monkeypatch
):
    monkeypatch.setitem(app.config, "REPLIES_PER_PAGE", 3)
    thread = make_thread()
    tops = [make_reply(thread, body=f"Top {i} reply") for i in range(5)]
    for i in range(5):
        make_reply(thread, parent=tops[0], body=f"Kid {i} reply")
    first = client.get(f"/threads/{thread.id}?sort=old").text
    assert [f"Top {i} reply" in first for i in range(5)] == [True] * 3 + [False] * 2
    assert [f"Kid {i} reply" in first for i in range(5)] == [True] * 3 + [False] * 2
    more = f"/threads/{thread.id}/replies/{tops[0].id}?sort=old"
    assert more in first and "2 more replies" in first
    under = client.get(more).text
    assert all(f"Kid {i} reply" in under for i in range(3)) and "Top 1 reply" not in under
    assert "Next page" in under  # 5 replies under it, 3 a page
    rest = client.get(_next_link(under)).text
    assert "Kid 3 reply" in rest and "Kid 4 reply" in rest and "Kid 0 reply" not in rest
    second = client.get(_next_link(first)).text
    assert "Top 3 reply" in second and "Top 4 reply" in second and "Top 0 reply" not in second
    assert "Next page" not in second and "First page" in second
    broken = client.get(_next_link(first).replace("cursor=", "cursor=x"))
    assert broken.status_code == 400 and "That page link is not valid." in broken.text
    other = make_thread()  # a cursor is for one thread's page only
    moved = _next_link(first).replace(f"/threads/{thread.id}?", f"/threads/{other.id}?")
    assert client.get(moved).status_code == 400


def _next_link(page: str) -> str:
    at = page.index('rel="next" href="') + len('rel="next" href="')
    return html.unescape(page[at : page.index('"', at)])


def test_a_posted_reply_takes_the_fan_to_its_own_page(
    client, app, make_thread, make_reply, make_user, login, monkeypatch
):
    monkeypatch.setitem(app.config, "REPLIES_PER_PAGE", 2)
    thread = make_thread()
    for i in range(4):
        make_reply(thread, body=f"Earlier {i}")
    login(make_user())
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Mine, late."})
    assert response.status_code == 302
    landed = client.get(response.headers["Location"]).text
    assert "Mine, late." in landed and "Your reply is posted." in landed


def test_continue_page_for_a_reply_of_another_thread_redirects(client, make_thread, make_reply):
    post = make_reply(make_thread())
    other = make_thread()
    response = client.get(f"/threads/{other.id}/replies/{post.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/threads/{post.thread_id}/replies/{post.id}"


def test_the_author_edits_a_reply_and_the_earlier_text_is_kept(
    client, make_thread, make_reply, make_user, login, app
):
    eve = make_user()
    post = make_reply(make_thread(), author=eve, body="First thought.")
    login(eve)
    assert client.get(f"/posts/{post.id}/edit").status_code == 200
    assert (
        client.post(f"/posts/{post.id}/edit", data={"body": "Second thought."}).status_code == 302
    )
    page = client.get(f"/threads/{post.thread_id}").text
    assert "Second thought." in page and "edited" in page
    bad = client.post(f"/posts/{post.id}/edit", data={"body": ""})
    assert bad.status_code == 422
    with app.app_context():
        assert db.session.get(Post, post.id).body == "Second thought."
        revision = db.session.scalar(select(Revision).filter_by(post_id=post.id))
        assert revision.body == "First thought."


def test_nobody_edits_or_deletes_someone_elses_reply(
    client, make_thread, make_reply, make_user, login
):
    post = make_reply(make_thread())
    login(make_user())
    assert client.get(f"/posts/{post.id}/edit").status_code == 403
    assert client.post(f"/posts/{post.id}/edit", data={"body": "mine now"}).status_code == 403
    assert client.post(f"/posts/{post.id}/delete").status_code == 403


def test_a_deleted_reply_leaves_a_tombstone_and_keeps_its_children(
    client, make_thread, make_reply, make_user, login, app
):
    eve = make_user()
    thread = make_thread()
    parent = make_reply(thread, author=eve, body="Regrettable take.")
    make_reply(thread, parent=parent, body="A child that still makes sense.")
    login(eve)
    assert client.post(f"/posts/{parent.id}/delete").status_code == 302
    page = client.get(f"/threads/{thread.id}").text
    assert "[deleted]" in page and "Regrettable take." not in page
    assert "A child that still makes sense." in page
    with app.app_context():
        kept = db.session.get(Post, parent.id)
        assert kept.deleted and kept.body == "Regrettable take."


def test_reply_sorts_order_siblings_at_every_level(ctx, make_thread, make_reply):
    thread = make_thread()
    a = make_reply(thread, body="a")
    b = make_reply(thread, body="b")
    a1 = make_reply(thread, parent=a, body="a1")
    a2 = make_reply(thread, parent=a, body="a2")
    old = replies.thread_tree(thread, "old")
    assert [n.post.id for n in old] == [a.id, b.id]
    assert [n.post.id for n in old[0].children] == [a1.id, a2.id]
    new = replies.thread_tree(thread, "new")
    assert [n.post.id for n in new] == [b.id, a.id]
    assert [n.post.id for n in new[1].children] == [a2.id, a1.id]


def test_unknown_reply_sort_is_a_clear_error(client, make_thread):
    thread = make_thread()
    response = client.get(f"/threads/{thread.id}?sort=loudest")
    assert response.status_code == 422 and "Unknown sort." in response.text
