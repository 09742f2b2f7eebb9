"""Spoilers are withheld, not hidden (API.md): on every channel, the same content fetched
by a fan who has seen the film and with `reveal=spoilers` carries the secret; fetched by a
fan who has not and by an anonymous visitor, its bytes are not in the response at all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forum.extensions import db
from forum.models import Film, Post, Thread, User
from forum.services import markup, moderation, replies, seen, threads, tokens

# Each secret is a word found nowhere else, so its absence is byte-exact.
FLAGGED_TITLE = "Zanzibarfulltitle"  # a spoiler-flagged thread's spoiler_title
FLAGGED_BODY = "Quetzalbodytext"  # its body
FLAGGED_REPLY = "Xylophonereply"  # a reply in it
STATUS_NOTE = "Wombatnote"  # the note that settled it (a theory)
INLINE = "Kumquatinline"  # an inline spoiler in an unflagged thread
NESTED = "Marmosetnested"  # inside a nested spoiler in a reply there
OLD_INLINE = "Pangolinbefore"  # an inline spoiler in an earlier version (edit history)


@dataclass
class World:
    film: Film
    author: User
    flagged: Thread
    flagged_reply: Post
    open_thread: Thread
    open_reply: Post


@pytest.fixture
def bearer(app):
    """`bearer(user)`: the Authorization header of a fresh token for that user."""

    def make(user: User) -> dict[str, str]:
        with app.app_context():
            token = tokens.issue_token(db.session.get(User, user.id))
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def world(app, make_user, make_film, make_thread, make_reply) -> World:
    film = make_film("ballerina", title="Ballerina")
    author, mod = make_user("eve_fan"), make_user("mod", role="moderator")
    flagged = make_thread(author, film, title="Who raised Eve?", spoiler=True,
                          spoiler_title=f"Who raised Eve? {FLAGGED_TITLE}",
                          body=f"It was the Director: {FLAGGED_BODY}.")  # fmt: skip
    flagged_reply = make_reply(flagged, author, body=f"Agreed, {FLAGGED_REPLY}.")
    open_thread = make_thread(author, film, title="The coin", spoiler=False,
                              body=f"The coin is ||{OLD_INLINE}||.")  # fmt: skip
    open_reply = make_reply(open_thread, body=f"Well >!outer ||{NESTED}|| more!< after.")
    with app.app_context():
        thread = db.session.get(Thread, flagged.id)
        moderation.set_theory_status(db.session.get(User, mod.id), thread, "confirmed",
                                     f"Ballerina settled it: {STATUS_NOTE}")  # fmt: skip
        edited = db.session.get(Thread, open_thread.id)
        threads.edit_thread(edited.author, edited, body=f"The coin is ||{INLINE}||.")
        flagged_edit = db.session.get(Thread, flagged.id)
        threads.edit_thread(flagged_edit.author, flagged_edit, body=f"Yes: {FLAGGED_BODY}!")
        post = db.session.get(Post, open_reply.id)
        replies.edit_post(post.author, post, f"Well >!outer ||{NESTED}|| more!< after, twice.")
        db.session.commit()
    return World(film, author, flagged, flagged_reply, open_thread, open_reply)


# (channel, url from the world, the secret it must carry for who may read it)
PAGES = {
    "thread page, flagged": (lambda w: f"/threads/{w.flagged.id}", FLAGGED_BODY),
    "thread page, flagged reply": (lambda w: f"/threads/{w.flagged.id}", FLAGGED_REPLY),
    "thread page, spoiler_title": (lambda w: f"/threads/{w.flagged.id}", FLAGGED_TITLE),
    "thread page, theory note": (lambda w: f"/threads/{w.flagged.id}", STATUS_NOTE),
    "thread page, inline": (lambda w: f"/threads/{w.open_thread.id}", INLINE),
    "thread page, nested": (lambda w: f"/threads/{w.open_thread.id}", NESTED),
    "continue page": (
        lambda w: f"/threads/{w.flagged.id}/replies/{w.flagged_reply.id}",
        FLAGGED_REPLY,
    ),
    "continue page, nested": (
        lambda w: f"/threads/{w.open_thread.id}/replies/{w.open_reply.id}",
        NESTED,
    ),
    "profile replies": (lambda w: "/u/eve_fan?tab=replies", FLAGGED_REPLY),
    "history, flagged": (lambda w: f"/threads/{w.flagged.id}/history", FLAGGED_BODY),
    "history, inline now": (lambda w: f"/threads/{w.open_thread.id}/history", INLINE),
    "history, inline before": (lambda w: f"/threads/{w.open_thread.id}/history", OLD_INLINE),
    "history, nested reply": (lambda w: f"/posts/{w.open_reply.id}/history", NESTED),
    "moderation log": (lambda w: "/modlog", STATUS_NOTE),
    "api thread, flagged": (lambda w: f"/api/v1/threads/{w.flagged.id}", FLAGGED_BODY),
    "api thread, spoiler_title": (lambda w: f"/api/v1/threads/{w.flagged.id}", FLAGGED_TITLE),
    "api board": (lambda w: "/api/v1/films/ballerina/threads", FLAGGED_TITLE),
    "api posts, flagged": (lambda w: f"/api/v1/threads/{w.flagged.id}/posts", FLAGGED_REPLY),
    "api thread, inline": (lambda w: f"/api/v1/threads/{w.open_thread.id}", INLINE),
    "api posts, nested": (lambda w: f"/api/v1/threads/{w.open_thread.id}/posts", NESTED),
    "api revisions, flagged": (
        lambda w: f"/api/v1/threads/{w.flagged.id}/revisions",
        FLAGGED_BODY,
    ),
    "api revisions, inline": (
        lambda w: f"/api/v1/threads/{w.open_thread.id}/revisions",
        OLD_INLINE,
    ),
    "api post revisions": (lambda w: f"/api/v1/posts/{w.open_reply.id}/revisions", NESTED),
    "api moderation log": (lambda w: "/api/v1/modlog", STATUS_NOTE),
}


def _fetch(client, login, bearer, app, world, url: str, who: str) -> str:
    """The response's bytes as `who` sees them: seen, unseen, anonymous or revealed."""
    viewer = None
    if who in ("seen", "unseen"):
        with app.app_context():
            viewer = db.session.get(User, (world.seen if who == "seen" else world.unseen).id)
    login(viewer)
    headers = bearer(viewer) if url.startswith("/api/") and viewer else {}
    if who == "revealed":
        url += ("&" if "?" in url else "?") + "reveal=spoilers"
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (who, url)
    return response.get_data(as_text=True)


@pytest.fixture
def viewers(app, make_user, world):
    world.seen, world.unseen = make_user("has_seen"), make_user("has_not_seen")
    with app.app_context():
        seen.mark_seen(db.session.get(User, world.seen.id), db.session.get(Film, world.film.id))
    return world


@pytest.mark.parametrize("channel", list(PAGES))
def test_the_secret_reaches_only_who_may_read_it(channel, app, client, login, bearer, viewers):
    url_of, secret = PAGES[channel]
    url = url_of(viewers)
    pages = {
        who: _fetch(client, login, bearer, app, viewers, url, who)
        for who in ("seen", "unseen", "anonymous", "revealed")
    }
    assert secret in pages["seen"] and secret in pages["revealed"]
    assert secret not in pages["unseen"]
    assert secret not in pages["anonymous"]


# Channels that show no spoiler to anyone: a secret is absent whoever asks.
NEVER = {
    "front page": "/",
    "every board": "/all",
    "board": "/films/ballerina",
    # Words beside the secrets: the results and snippets are shown, the secrets not.
    "search, flagged body": "/search?q=Director",
    "search, flagged reply": "/search?q=Agreed",
    "search, inline": "/search?q=coin",
    "search, nested": "/search?q=Well",
    "search, spoiler title": "/search?q=raised",
    "api search, flagged reply": "/api/v1/search?q=Agreed",
    "api search, inline": "/api/v1/search?q=coin",
    "api search, nested": "/api/v1/search?q=Well",
}


@pytest.mark.parametrize("channel", list(NEVER))
def test_listings_and_search_never_carry_spoiler_text(channel, app, client, login, bearer, viewers):
    for who in ("unseen", "anonymous"):
        page = _fetch(client, login, bearer, app, viewers, NEVER[channel], who)
        for secret in (FLAGGED_TITLE, FLAGGED_BODY, FLAGGED_REPLY, STATUS_NOTE, INLINE, NESTED):
            assert secret not in page, (who, secret)


def test_a_withheld_thread_says_what_is_withheld_and_how_to_reveal_it(app, client, login, viewers):
    url = f"/threads/{viewers.flagged.id}"
    anonymous = client.get(url).text
    assert "This thread has spoilers for Ballerina" in anonymous
    assert f'href="{url}?reveal=spoilers"' in anonymous  # a plain link: no JavaScript needed
    assert "Log in</a> to say “I've seen Ballerina”" in anonymous
    assert "Theory confirmed" not in anonymous or STATUS_NOTE not in anonymous
    assert '<meta name="description" content="Spoilers for Ballerina are withheld' in anonymous
    with app.app_context():
        login(db.session.get(User, viewers.unseen.id))
    page = client.get(url).text
    assert "I've seen Ballerina</button>" in page and 'name="csrf_token"' in page
    assert 'action="/films/ballerina/seen"' in page


def test_inline_spoilers_arrive_as_placeholders(client, viewers):
    page = client.get(f"/threads/{viewers.open_thread.id}").text
    assert page.count(markup.SPOILER_WITHHELD) == 2  # the thread's and the reply's (nested: one)
    assert "Spoilers for Ballerina on this page are not sent" in page
    body = client.get(f"/api/v1/threads/{viewers.open_thread.id}/posts").get_json()["posts"][0]
    assert body["withheld"] is True and body["body"] is None
    assert markup.SPOILER_WITHHELD in body["body_html"]


def test_marking_the_film_seen_from_the_placeholder_reveals_everything(app, csrf_client, viewers):
    from tests.conftest import log_in_as

    log_in_as(csrf_client, app, viewers.unseen)
    url = f"/threads/{viewers.flagged.id}"
    page = csrf_client.get(url).text
    assert FLAGGED_BODY not in page
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    refused = csrf_client.post("/films/ballerina/seen", data={"seen": "yes", "next": url})
    assert refused.status_code == 400  # no CSRF token: nothing marked
    done = csrf_client.post(
        "/films/ballerina/seen", data={"seen": "yes", "next": url, "csrf_token": token}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(url)
    page = csrf_client.get(url).text
    assert FLAGGED_BODY in page and FLAGGED_REPLY in page and FLAGGED_TITLE in page


def test_authors_always_get_their_own_writing(app, client, login, bearer, viewers):
    login(viewers.author)
    page = client.get(f"/threads/{viewers.flagged.id}").text
    assert FLAGGED_BODY in page and FLAGGED_TITLE in page
    headers = bearer(viewers.author)
    own = client.get(f"/api/v1/threads/{viewers.open_thread.id}", headers=headers).get_json()
    assert INLINE in own["body"] and own["withheld"] is False


def test_every_write_keeps_the_three_outputs_in_step(app, viewers):
    with app.app_context():
        for item in (
            db.session.get(Thread, viewers.open_thread.id),
            db.session.get(Post, viewers.open_reply.id),
        ):
            rendered = markup.render(item.body)
            assert (item.body_html, item.body_text, item.body_safe_html) == (
                rendered.html,
                rendered.text,
                rendered.safe_html,
            )
            assert NESTED not in item.body_safe_html and INLINE not in item.body_safe_html


@pytest.mark.parametrize("secret", [INLINE, NESTED, FLAGGED_BODY, FLAGGED_REPLY, FLAGGED_TITLE])
def test_search_never_matches_spoiler_text(secret, app, client, login, bearer, viewers):
    for who in ("unseen", "anonymous", "seen"):
        results = _fetch(client, login, bearer, app, viewers, f"/api/v1/search?q={secret}", who)
        assert '"results":[]' in results.replace(" ", "").replace("\n", ""), who
        page = _fetch(client, login, bearer, app, viewers, f"/search?q={secret}", who)
        for thread in (viewers.flagged, viewers.open_thread):
            assert f"/threads/{thread.id}" not in page, who
