"""Following threads, films and tags from the site, the Following page, muting users,
films and tags, the account page's switches, and the no-JavaScript Preview buttons."""

from __future__ import annotations

from forum.extensions import db
from forum.models import Follow, Thread, User, utcnow
from forum.services import following


def test_follow_buttons_on_a_thread_and_a_board(app, client, make_user, make_film, make_thread,
                                                login):  # fmt: skip
    fan, film = make_user(), make_film(slug="chapter-2", title="Chapter 2")
    thread = make_thread(film=film, title="The marker is a contract")
    login(fan)
    assert 'aria-pressed="false">Follow<' in client.get(f"/threads/{thread.id}").text
    response = client.post(f"/threads/{thread.id}/follow", data={"follow": "yes"},
                           follow_redirects=True)  # fmt: skip
    assert "You follow this thread" in response.text
    assert 'aria-pressed="true">Following<' in response.text
    response = client.post("/films/chapter-2/follow", data={}, follow_redirects=True)
    assert "You follow Chapter 2" in response.text and ">Following<" in response.text
    page = client.get("/following").text
    assert "The marker is a contract" in page and "Chapter 2" in page
    client.post(f"/threads/{thread.id}/follow", data={"follow": "no"})
    client.post("/films/chapter-2/follow", data={"follow": "no"})
    page = client.get("/following").text
    assert "No threads yet" in page and "No films yet" in page


def test_the_following_page_marks_what_is_new_since_the_last_look(
    app, client, make_user, make_film, make_thread, make_reply, login
):
    fan, film = make_user(), make_film()
    old = make_thread(film=film, title="Quiet thread here")
    busy = make_thread(film=film, title="Busy thread here")
    with app.app_context():
        user = db.session.get(User, fan.id)
        following.follow_film(user, db.session.get(type(film), film.id))
        for thread in (old, busy):
            following.follow_thread(user, db.session.get(Thread, thread.id))
        user.following_seen_at = utcnow()
        db.session.commit()
    make_reply(busy)
    make_thread(film=film)
    login(fan)
    page = client.get("/following").text
    busy_row = page[page.index("Busy thread here") - 200 : page.index("Busy thread here")]
    quiet_row = page[page.index("Quiet thread here") - 200 : page.index("Quiet thread here")]
    assert "new</span>" in busy_row and "new</span>" not in quiet_row
    assert "1 new</span>" in page  # the film's one new thread
    assert "new</span>" not in client.get("/following").text.split("<h2")[1]  # looked now


def test_follow_a_tag_by_any_spelling_and_a_bad_name_is_a_clear_422(client, make_user, login):
    login(make_user())
    response = client.post("/tags/follow", data={"name": "#Ruska_Roma"}, follow_redirects=True)
    assert "You follow #ruska-roma" in response.text
    bad = client.post("/tags/follow", data={"name": "§§"})
    assert bad.status_code == 422 and "not a tag name" in bad.text


def test_muted_film_tag_and_user_leave_the_front_page(app, client, make_user, make_film,
                                                      make_thread, login):  # fmt: skip
    fan, pest = make_user(), make_user("pest")
    film = make_film(slug="muted-film")
    make_thread(film=film, title="From the muted film")
    make_thread(tags=["mirrors"], title="About the muted tag")
    make_thread(author=pest, title="By the muted user")
    make_thread(title="Still on the front page")
    login(fan)
    assert "By the muted user" in client.get("/").text
    client.post("/films/muted-film/mute", data={})
    client.post("/tags/mute", data={"name": "Mirrors"})
    client.post("/u/pest/mute", data={})
    for page in (client.get("/").text, client.get("/all").text):
        assert "Still on the front page" in page
        for gone in ("From the muted film", "About the muted tag", "By the muted user"):
            assert gone not in page
    assert "From the muted film" in client.get("/films/muted-film").text  # its own board


def test_a_muted_users_replies_are_folded_away(app, client, make_user, make_thread, make_reply,
                                               login):  # fmt: skip
    fan, pest = make_user(), make_user("noisy")
    thread = make_thread()
    make_reply(thread, author=pest, body="Loud opinion")
    login(fan)
    client.post("/u/noisy/mute", data={})
    page = client.get(f"/threads/{thread.id}").text
    assert "A reply by noisy, whom you muted: show it" in page
    assert page.index("whom you muted") < page.index("Loud opinion")  # inside the <details>


def test_the_account_page_lists_mutes_and_undoes_them(app, client, make_user, make_film, login):
    fan = make_user()
    make_user("pest2")
    make_film(slug="f-muted", title="Muted Film")
    login(fan)
    page = client.get("/account").text
    assert "Nothing muted" in page
    client.post("/u/pest2/mute", data={})
    client.post("/films/f-muted/mute", data={})
    client.post("/tags/mute", data={"name": "mirrors"})
    page = client.get("/account").text
    for shown in ("pest2", "Muted Film", "#mirrors"):
        assert shown in page
    client.post("/u/pest2/mute", data={"mute": "no"})
    client.post("/films/f-muted/mute", data={"mute": "no"})
    client.post("/tags/mute", data={"name": "mirrors", "mute": "no"})
    assert "Nothing muted" in client.get("/account").text


def test_a_fan_cannot_mute_themselves(client, make_user, login):
    me = make_user("myself")
    login(me)
    response = client.post("/u/myself/mute", data={})
    assert response.status_code == 403 and "mute yourself" in response.text


def test_notification_switches_on_the_account_page(app, client, make_user, login):
    fan = make_user()
    login(fan)
    page = client.get("/account").text
    assert "Replies to my threads and replies" in page
    assert "daily e-mail" not in page  # no MAIL_SERVER: no digest to offer
    client.post("/account/notifications", data={"notify_mention": "y", "auto_follow": "y"})
    with app.app_context():
        user = db.session.get(User, fan.id)
        assert user.notify_mention and user.auto_follow
        assert not (user.notify_reply or user.notify_activity or user.email_digest)


def test_follow_and_mute_forms_need_csrf(csrf_client, csrf_app, make_user, make_thread):
    from tests.conftest import log_in_as

    thread = make_thread()
    log_in_as(csrf_client, csrf_app, make_user())
    for path, data in ((f"/threads/{thread.id}/follow", {}), ("/tags/mute", {"name": "x1"}),
                       ("/account/notifications", {"notify_reply": "y"})):  # fmt: skip
        assert csrf_client.post(path, data=data).status_code == 400
    with csrf_app.app_context():
        assert db.session.query(Follow).count() == 1  # the author's own, nothing more


def test_the_reply_preview_button_shows_the_text_and_keeps_it(app, client, make_user,
                                                              make_thread, login):  # fmt: skip
    thread = make_thread()
    login(make_user())
    page = client.get(f"/threads/{thread.id}").text
    assert f'formaction="/threads/{thread.id}/replies/preview#preview"' in page
    response = client.post(f"/threads/{thread.id}/replies/preview",
                           data={"body": "Look: **the coin**"})  # fmt: skip
    assert response.status_code == 200
    assert "<strong>the coin</strong>" in response.text and "Not posted yet" in response.text
    assert "Look: **the coin**</textarea>" in response.text
    with app.app_context():
        assert db.session.get(Thread, thread.id).reply_count == 0


def test_a_preview_of_a_reply_to_a_reply_shows_under_that_reply(
    client, make_user, make_thread, make_reply, login
):
    thread = make_thread()
    parent = make_reply(thread)
    login(make_user())
    response = client.post(f"/posts/{parent.id}/replies/preview", data={"body": "_nested_"})
    assert response.status_code == 200
    assert f'id="preview-{parent.id}"' in response.text and "<em>nested</em>" in response.text


def test_the_new_thread_preview_and_its_failures(client, make_user, make_film, login):
    make_film(slug="preview-film")
    login(make_user())
    ok = client.post("/films/preview-film/threads/preview",
                     data={"title": "A title", "body": "# Heading", "kind": "theory"})  # fmt: skip
    assert ok.status_code == 200 and "<h1>Heading</h1>" in ok.text
    empty = client.post("/films/preview-film/threads/preview",
                        data={"title": "A title", "body": "", "kind": "theory"})  # fmt: skip
    assert empty.status_code == 422 and "Not posted yet" not in empty.text
    deep_body = {"title": "A title", "body": "> " * 30 + "x", "kind": "theory"}
    deep = client.post("/films/preview-film/threads/preview", data=deep_body)
    assert deep.status_code == 422 and "nested too deeply" in deep.text


def test_previews_are_rate_limited_with_the_text_kept(limited_app, make_user, make_thread):
    from tests.conftest import log_in_as

    thread = make_thread()
    client = limited_app.test_client()
    log_in_as(client, limited_app, make_user())
    answers = [client.post(f"/threads/{thread.id}/replies/preview", data={"body": "kept text"})
               for _ in range(22)]  # fmt: skip
    refused = [a for a in answers if a.status_code == 429]
    assert refused and "kept text</textarea>" in refused[0].text
    assert "You can post again" in refused[0].text
