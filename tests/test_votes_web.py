"""Voting in the site: the arrows' forms without JavaScript (redirect back to the same
spot), the JSON answer the page's script reads, and every refusal."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from forum.extensions import db
from forum.models import Post, Role, Thread, User, utcnow
from forum.services import votes
from tests.conftest import PASSWORD


@pytest.fixture
def vote(app):
    def do(user, item, value):
        with app.app_context():
            model = Thread if isinstance(item, Thread) else Post
            votes.cast_vote(db.session.get(User, user.id), db.session.get(model, item.id), value)

    return do


def counts(app, model, item_id):
    with app.app_context():
        item = db.session.get(model, item_id)
        return item.upvotes, item.downvotes, item.score


def arrows(html: str, box: str) -> dict[str, tuple[str, str]]:
    """{label: (aria-pressed, value sent)} of the arrows in one vote box, and its score."""
    found = re.search(rf'data-vote="{box}">(.*?)</div>', html, re.S)
    assert found, f"no vote box {box}"
    part = found.group(1)
    state = {
        label: (pressed, value)
        for value, label, pressed in re.findall(
            r'name="value" value="(-?\d)".*?aria-label="(\w+)" aria-pressed="(\w+)"', part, re.S
        )
    }
    state["score"] = re.search(r'class="vote-count">(-?\d+)<', part).group(1)
    return state


def test_voting_without_javascript_returns_to_the_same_spot(
    app, client, login, make_user, make_film, make_thread
):
    film = make_film()
    thread = make_thread(title="The coin is a contract", film=film)
    fan = make_user()
    login(fan)
    board = f"/films/{film.slug}?sort=top&t=week"
    page = client.get(board).get_data(as_text=True)
    assert arrows(page, f"thread-{thread.id}") == {
        "Upvote": ("false", "1"), "Downvote": ("false", "-1"), "score": "0"
    }  # fmt: skip
    # One vote form per page (one token); each arrow posts it to its own address.
    assert page.count('id="vote-form"') == 1
    assert f'form="vote-form" formaction="/threads/{thread.id}/vote"' in page
    assert f'name="next" value="{board.replace("&", "&amp;")}"' in page
    back = f"{board}#thread-{thread.id}"

    response = client.post(f"/threads/{thread.id}/vote", data={"value": "1", "next": board})
    assert response.status_code == 302
    assert response.location == back  # the server adds the voted row's anchor
    assert counts(app, Thread, thread.id) == (1, 0, 1)
    page = client.get(board).get_data(as_text=True)
    # The active arrow is pressed, and pressing it again sends 0: take the vote back.
    assert arrows(page, f"thread-{thread.id}") == {
        "Upvote": ("true", "0"), "Downvote": ("false", "-1"), "score": "1"
    }  # fmt: skip

    client.post(f"/threads/{thread.id}/vote", data={"value": "-1", "next": back})
    assert counts(app, Thread, thread.id) == (0, 1, -1)
    client.post(f"/threads/{thread.id}/vote", data={"value": "0", "next": back})
    assert counts(app, Thread, thread.id) == (0, 0, 0)


def test_voting_on_a_reply_returns_to_the_reply(app, client, login, make_user, make_thread,
                                               make_reply):  # fmt: skip
    thread = make_thread()
    post = make_reply(thread)
    login(make_user())
    response = client.post(f"/posts/{post.id}/vote", data={"value": "-1"})
    assert response.location == f"/threads/{thread.id}/replies/{post.id}#post-{post.id}"  # its page
    response = client.post(f"/posts/{post.id}/vote", data={"value": "-1", "next": "/u/x?a=1"})
    assert response.location == f"/u/x?a=1#post-{post.id}"  # back where the arrow was
    response = client.post(f"/threads/{thread.id}/vote",
                           data={"value": "1", "next": f"/threads/{thread.id}"})  # fmt: skip
    assert response.location == f"/threads/{thread.id}#thread"  # the thread's own page
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert arrows(page, f"post-{post.id}")["Downvote"] == ("true", "0")
    assert arrows(page, f"post-{post.id}")["score"] == "-1"


def test_with_javascript_the_vote_answers_json(app, client, login, make_user, make_thread):
    thread = make_thread()
    login(make_user())
    json_headers = {"Accept": "application/json"}
    response = client.post(f"/threads/{thread.id}/vote", data={"value": "1"}, headers=json_headers)
    assert response.status_code == 200
    assert response.json == {"score": 1, "upvotes": 1, "downvotes": 0, "my_vote": 1}
    again = client.post(f"/threads/{thread.id}/vote", data={"value": "1"}, headers=json_headers)
    assert again.json == {"score": 1, "upvotes": 1, "downvotes": 0, "my_vote": 1}  # idempotent
    retract = client.post(f"/threads/{thread.id}/vote", data={"value": "0"}, headers=json_headers)
    assert retract.json == {"score": 0, "upvotes": 0, "downvotes": 0, "my_vote": 0}


SAME_SITE = {"Origin": "http://localhost"}  # what a browser sends from one of our pages


def test_anonymous_voters_are_sent_to_log_in_and_come_back(app, client, make_film, make_thread):
    film = make_film()
    thread = make_thread(film=film)
    back = f"/films/{film.slug}?sort=new#thread-{thread.id}"
    response = client.post(
        f"/threads/{thread.id}/vote", data={"value": "1", "next": back}, headers=SAME_SITE
    )
    assert response.status_code == 302
    login_url = urlsplit(response.location)
    assert login_url.path == "/login"
    assert parse_qs(login_url.query)["next"] == [back]
    assert "Log in to vote: your vote counts as soon as you are in." in client.get(
        response.location
    ).get_data(as_text=True)

    response = client.post(
        f"/threads/{thread.id}/vote",
        data={"value": "1", "next": back},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401
    assert response.json["error"]["message"] == "Please log in to vote."
    assert parse_qs(urlsplit(response.json["login_url"]).query)["next"] == [back]
    assert counts(app, Thread, thread.id) == (0, 0, 0)


def test_a_signed_out_vote_is_cast_once_the_fan_logs_in(app, client, make_user, make_thread):
    thread = make_thread()
    make_user("eve_fan")
    back = f"/threads/{thread.id}#thread"
    client.post(f"/threads/{thread.id}/vote", data={"value": "-1", "next": back}, headers=SAME_SITE)
    response = client.post("/login", data={"username": "eve_fan", "password": PASSWORD,
                                           "next": back})  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"] == back
    assert counts(app, Thread, thread.id) == (0, 1, -1)
    assert "your vote is counted" in client.get(f"/threads/{thread.id}").text
    client.post("/logout")
    client.post("/login", data={"username": "eve_fan", "password": PASSWORD})
    assert counts(app, Thread, thread.id) == (0, 1, -1)  # cast once, not at every log-in


def test_a_signed_out_vote_from_another_site_is_not_kept_for_later(
    app, client, make_user, make_thread
):
    thread, fan = make_thread(), make_user()
    for headers in ({"Origin": "https://evil.example"}, {}):
        client.post(f"/threads/{thread.id}/vote", data={"value": "1"}, headers=headers)
    client.post("/login", data={"username": fan.username, "password": PASSWORD})
    assert counts(app, Thread, thread.id) == (0, 0, 0)


def test_a_pending_vote_the_rules_refuse_is_explained_after_log_in(
    app, client, make_user, make_thread
):
    author = make_user("director")
    thread = make_thread(author=author)
    client.post(f"/threads/{thread.id}/vote", data={"value": "1"}, headers=SAME_SITE)
    client.post("/login", data={"username": "director", "password": PASSWORD})
    assert "Your vote did not count" in client.get("/").text
    assert counts(app, Thread, thread.id) == (0, 0, 0)


def test_arrows_are_drawn_for_anonymous_readers_but_not_for_the_author(
    client, login, make_user, make_thread
):
    author = make_user()
    thread = make_thread(author=author)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert arrows(page, f"thread-{thread.id}")["Upvote"] == ("false", "1")
    login(author)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert 'aria-label="Upvote"' not in page
    assert arrows(page, f"thread-{thread.id}")["score"] == "0"


def _ban(app, user):
    with app.app_context():
        fresh = db.session.get(User, user.id)
        fresh.banned_at, fresh.ban_reason = utcnow(), "spoilers in titles"
        db.session.commit()


@pytest.mark.parametrize(
    ("case", "value", "status", "message"),
    [
        ("banned", "1", 403, "You are banned"),
        ("author", "1", 403, "your own writing"),
        ("removed reply", "1", 403, "removed or deleted"),
        ("deleted reply", "-1", 403, "removed or deleted"),
        ("removed thread", "1", 404, "No such thread"),
        ("no such thread", "1", 404, "No such thread"),
        ("no such reply", "1", 404, "No such reply"),
        ("fan", "2", 422, "A vote is 1"),
        ("fan", "up", 422, "A vote is 1"),
        ("fan", "", 422, "A vote is 1"),
    ],
)
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_refused_votes_say_why_and_count_nothing(
    app, client, login, make_user, make_thread, make_reply, case, value, status, message, accept
):
    author = make_user()
    thread = make_thread(author=author)
    post = make_reply(thread, author=author)
    fan = make_user()
    if case == "removed thread":
        with app.app_context():
            db.session.get(Thread, thread.id).removed = True
            db.session.commit()
    url = f"/posts/{post.id}/vote" if "reply" in case else f"/threads/{thread.id}/vote"
    if case == "banned":
        _ban(app, fan)
    if case in ("removed reply", "deleted reply"):
        with app.app_context():
            setattr(db.session.get(Post, post.id), case.split()[0], True)
            db.session.commit()
    url = {"no such thread": "/threads/999999/vote", "no such reply": "/posts/999999/vote"}.get(
        case, url
    )
    login(author if case == "author" else fan)
    response = client.post(url, data={"value": value}, headers={"Accept": accept})
    assert response.status_code == status
    if accept == "application/json":
        assert message in response.json["error"]["message"]
    else:
        assert message in response.get_data(as_text=True)
    assert counts(app, Thread, thread.id) == (0, 0, 0)
    assert counts(app, Post, post.id) == (0, 0, 0)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_a_vote_never_redirects_off_the_site(client, login, make_user, make_thread, next_url):
    thread = make_thread()
    login(make_user())
    response = client.post(f"/threads/{thread.id}/vote", data={"value": "1", "next": next_url})
    assert response.location == f"/threads/{thread.id}#thread"


def test_votes_need_the_csrf_token(app, client, login, make_user, make_thread):
    thread = make_thread()
    login(make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(f"/threads/{thread.id}/vote", data={"value": "1"})
        assert refused.status_code == 400
        as_json = client.post(
            f"/threads/{thread.id}/vote", data={"value": "1"},
            headers={"Accept": "application/json"},
        )  # fmt: skip
        assert as_json.status_code == 400 and "error" in as_json.json
        page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        accepted = client.post(
            f"/threads/{thread.id}/vote", data={"value": "1"},
            headers={"Accept": "application/json", "X-CSRFToken": token},
        )  # fmt: skip
        assert accepted.json["score"] == 1
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_karma_shows_on_profiles_and_next_to_usernames(
    app, client, login, make_user, make_film, make_thread, make_reply, vote
):
    eve, john = make_user("eve_karma"), make_user("john_karma")
    film = make_film()
    thread = make_thread(author=eve, film=film)
    post = make_reply(thread, author=john)
    fans = [make_user() for _ in range(3)]
    for fan in fans:
        vote(fan, thread, 1)
    vote(fans[0], post, -1)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert re.search(r">eve_karma</a>\s*<span class=\"karma\" title=\"karma\">\(3<", page)
    assert re.search(r">john_karma</a>\s*<span class=\"karma\" title=\"karma\">\(-1<", page)
    board = client.get(f"/films/{film.slug}").get_data(as_text=True)
    assert re.search(r">eve_karma</a>\s*<span class=\"karma\" title=\"karma\">\(3<", board)
    assert "3 karma" in client.get("/u/eve_karma").get_data(as_text=True)
    assert "-1 karma" in client.get("/u/john_karma").get_data(as_text=True)


def test_a_moderator_reading_a_removed_thread_sees_no_arrows(
    app, client, login, make_user, make_thread
):
    thread = make_thread(removed=True)
    login(make_user(role=Role.MODERATOR))
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert 'aria-label="Upvote"' not in page
    response = client.post(f"/threads/{thread.id}/vote", data={"value": "1"})
    assert response.status_code == 403
