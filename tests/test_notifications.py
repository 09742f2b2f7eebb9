"""Who hears about what: replies, @mentions, status changes, moderation and activity in
what a fan follows — and who does not (own actions, muted users, switched-off kinds,
content removed since). The page, the header count and marking read."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Notification, Post, Role, Thread, User
from forum.services import following, moderation, notifications


def _heard(app, user) -> list[tuple[str, str | None]]:
    """(kind, actor) of every notification the user is shown, newest first."""
    with app.app_context():
        page = notifications.notifications_page(db.session.get(User, user.id), limit=100)
        return [(n.kind.value, n.actor.username if n.actor else None) for n in page.items]


def _as(app, user, action):
    with app.app_context():
        return action(db.session.get(User, user.id))


def test_a_reply_tells_the_threads_author_and_not_the_replier(app, make_user, make_thread,
                                                              make_reply):  # fmt: skip
    author, replier = make_user("rooney"), make_user("ballerina")
    thread = make_thread(author=author)
    make_reply(thread, author=replier)
    assert _heard(app, author) == [("reply", "ballerina")]
    assert _heard(app, replier) == []


def test_a_reply_to_a_reply_tells_its_author_and_the_thread_follows_get_activity(
    app, make_user, make_thread, make_reply
):
    author, first, second = make_user("author1"), make_user("first1"), make_user("second1")
    thread = make_thread(author=author)
    parent = make_reply(thread, author=first)
    make_reply(thread, author=second, parent=parent)
    assert _heard(app, first) == [("reply", "second1")]
    # the thread's author follows their own thread: the second reply is activity to them
    assert _heard(app, author) == [("activity", "second1"), ("reply", "first1")]


def test_replying_follows_the_thread_unless_the_fan_switched_it_off(
    app, make_user, make_thread, make_reply
):
    thread = make_thread()
    fan, quiet = make_user(), make_user()
    _as(app, quiet, lambda u: setattr(u, "auto_follow", False) or db.session.commit())
    make_reply(thread, author=fan)
    make_reply(thread, author=quiet)
    make_reply(thread)
    assert [k for k, _ in _heard(app, fan)] == ["activity", "activity"]
    assert _heard(app, quiet) == []


def test_unfollowing_a_thread_stays_unfollowed_after_replying_again(
    app, make_user, make_thread, make_reply
):
    thread, fan = make_thread(), make_user()
    make_reply(thread, author=fan)
    _as(app, fan, lambda u: following.unfollow_thread(u, db.session.get(Thread, thread.id)))
    make_reply(thread, author=fan)
    make_reply(thread)
    assert _heard(app, fan) == []


def test_a_mention_links_an_existing_user_and_notifies_them_once(
    app, make_user, make_thread, make_reply
):
    named, writer = make_user("Winston"), make_user("writer")
    thread = make_thread()
    post = make_reply(thread, writer, body="Ask @winston and @nobody_here, and @Winston again.")
    assert '<a href="/u/Winston"' in post.body_html
    assert "@nobody_here" in post.body_html and "/u/nobody_here" not in post.body_html
    assert _heard(app, named) == [("mention", "writer")]


def test_mentions_inside_code_are_not_links_and_notify_nobody(app, make_user, make_thread,
                                                              make_reply):  # fmt: skip
    named = make_user("caine")
    post = make_reply(make_thread(), body="Type `@caine` to mention.\n\n    @caine")
    assert "/u/caine" not in post.body_html
    assert _heard(app, named) == []


def test_one_text_notifies_at_most_the_cap_of_mentions(app, make_user, make_thread, make_reply):
    names = [make_user(f"named{i:02d}").username for i in range(notifications.MAX_MENTIONS + 3)]
    make_reply(make_thread(), body=" ".join("@" + n for n in names))
    with app.app_context():
        assert db.session.query(Notification).filter_by(kind="mention").count() == 20


def test_editing_in_a_new_mention_notifies_only_the_new_name(
    app, make_user, make_thread, make_reply
):
    old, new, writer = make_user("oldname"), make_user("newname"), make_user("editor")
    post = make_reply(make_thread(), writer, body="@oldname look")
    from forum.services import replies

    _as(app, writer, lambda u: replies.edit_post(u, db.session.get(Post, post.id),
                                                      "@oldname and @newname look"))  # fmt: skip
    assert len(_heard(app, old)) == 1
    assert _heard(app, new) == [("mention", "editor")]


def test_mentioning_yourself_tells_nobody(app, make_user, make_thread, make_reply):
    me = make_user("selfie")
    make_reply(make_thread(), author=me, body="as @selfie said")
    assert _heard(app, me) == []


def test_a_muted_user_cannot_notify(app, make_user, make_thread, make_reply):
    author, pest = make_user(), make_user("pest")
    thread = make_thread(author=author)
    _as(app, author, lambda u: following.mute_user(u, db.session.get(User, pest.id)))
    make_reply(thread, author=pest, body="@" + author.username)
    assert _heard(app, author) == []


def test_muting_later_hides_what_they_already_sent(app, make_user, make_thread, make_reply):
    author, pest = make_user(), make_user()
    make_reply(make_thread(author=author), author=pest)
    assert len(_heard(app, author)) == 1
    _as(app, author, lambda u: following.mute_user(u, db.session.get(User, pest.id)))
    assert _heard(app, author) == []


@pytest.mark.parametrize(
    ("switch", "kind"),
    [("notify_reply", "reply"), ("notify_mention", "mention"), ("notify_activity", "activity")],
)
def test_a_fan_who_switched_a_kind_off_does_not_hear_it(
    app, make_user, make_thread, make_reply, switch, kind
):
    fan = make_user("switcher")
    _as(app, fan, lambda u: setattr(u, switch, False) or db.session.commit())
    thread = make_thread(author=fan)
    make_reply(thread, body="@switcher")  # reply + mention (mention skipped: already told)
    other = make_reply(thread, body="a second one, @switcher")
    make_reply(thread, parent=other, body="third")  # activity for the author
    assert kind not in {k for k, _ in _heard(app, fan)}


def test_no_notification_about_a_reply_removed_or_deleted_since(
    app, make_user, make_thread, make_reply
):
    author, mod = make_user(), make_user(role=Role.MODERATOR)
    thread = make_thread(author=author)
    post = make_reply(thread)
    _as(app, mod, lambda m: moderation.remove_post(m, db.session.get(Post, post.id), "spam"))
    assert _heard(app, author) == []
    with app.app_context():
        assert notifications.unread_count(db.session.get(User, author.id)) == 0


def test_status_change_and_moderation_tell_the_author_with_the_note(
    app, make_user, make_thread, make_reply
):
    author, mod = make_user(), make_user("modsy", role=Role.MODERATOR)
    thread = make_thread(author=author)
    reply = make_reply(thread, author=author)
    _as(app, mod, lambda m: moderation.set_theory_status(
        m, db.session.get(Thread, thread.id), "confirmed", "Chapter 4 shows it"))  # fmt: skip
    _as(app, mod, lambda m: moderation.remove_post(m, db.session.get(Post, reply.id), "Off topic"))
    assert _heard(app, author) == [("moderation", "modsy"), ("status", "modsy")]
    with app.app_context():
        notes = db.session.scalars(select(Notification.note).order_by(Notification.id)).all()
    assert notes == ["confirmed: Chapter 4 shows it", "removed: Off topic"]


def test_following_a_film_or_a_tag_hears_its_new_threads_once(app, make_user, make_film,
                                                              make_thread):  # fmt: skip
    film, fan = make_film(), make_user()
    _as(app, fan, lambda u: following.follow_film(u, film))
    _as(app, fan, lambda u: following.follow_tag(u, "Ruska Roma"))  # normalized: ruska-roma
    make_thread(film=film, tags=["ruska-roma"])  # both: heard once
    make_thread(tags=["ruska-roma"])
    make_thread(tags=["mirrors"])
    assert [k for k, _ in _heard(app, fan)] == ["activity", "activity"]


def test_the_page_groups_replies_by_thread_and_the_header_counts_unread(
    app, client, make_user, make_thread, make_reply, login
):
    author = make_user()
    thread = make_thread(author=author, title="The coin is a contract")
    for _ in range(3):
        make_reply(thread)
    login(author)
    page = client.get("/notifications").text
    assert "3 new replies to you in" in page
    assert page.count('class="notification unread"') == 1
    assert re.search(r'Notifications <span class="count">3<', page)
    assert '<time datetime="' in page


def test_mark_one_group_and_then_all_read(app, client, make_user, make_thread, make_reply, login):
    author = make_user()
    first, second = make_thread(author=author), make_thread(author=author)
    make_reply(first)
    make_reply(second)
    login(author)
    with app.app_context():
        ids = db.session.scalars(
            select(Notification.id).where(Notification.thread_id == first.id)
        ).all()
    client.post("/notifications/read", data={"ids": ",".join(map(str, ids))})
    assert client.get("/notifications?show=unread").text.count('class="notification unread"') == 1
    client.post("/notifications/read", data={})
    page = client.get("/notifications?show=unread").text
    assert "Nothing unread" in page, page


def test_marking_read_needs_the_csrf_token(csrf_client, csrf_app, make_user):
    from tests.conftest import log_in_as

    log_in_as(csrf_client, csrf_app, make_user())
    assert csrf_client.post("/notifications/read", data={}).status_code == 400


def test_a_fan_cannot_mark_someone_elses_notifications(app, client, make_user, make_thread,
                                                       make_reply, login):  # fmt: skip
    author = make_user()
    make_reply(make_thread(author=author))
    with app.app_context():
        theirs = db.session.scalar(select(Notification.id))
    login(make_user())
    client.post("/notifications/read", data={"ids": str(theirs)})
    with app.app_context():
        assert db.session.get(Notification, theirs).read is False


def test_empty_notifications_page_says_what_to_do(client, make_user, login):
    login(make_user())
    page = client.get("/notifications").text
    assert "No notifications yet" in page and "Follow a thread" in page


def test_notification_titles_are_spoiler_free(app, client, make_user, make_film, make_thread,
                                              make_reply, login):  # fmt: skip
    """A follower who has not seen the film hears of a spoiler-flagged thread by its
    spoiler-free title only: never its full title, its body or its replies' text."""
    film, fan = make_film(), make_user("follower")
    _as(app, fan, lambda u: following.follow_film(u, film))
    thread = make_thread(film=film, spoiler=True, title="Who the Director really is",
                         spoiler_title="The Director is Rooney's mother",
                         body="She **is** the mother @follower")  # fmt: skip
    make_reply(thread, body="Confirmed in the credits: the mother", author=make_user())
    _as(app, fan, lambda u: following.follow_thread(u, db.session.get(Thread, thread.id)))
    make_reply(thread, body="the mother again")
    login(fan)
    page = client.get("/notifications").text
    assert "Who the Director really is" in page
    assert "mother" not in page


def test_a_mention_in_a_new_thread_notifies(app, make_user, make_thread):
    named = make_user("marked")
    make_thread(body="What does @marked think?")
    assert [k for k, _ in _heard(app, named)] == ["mention"]


def test_locking_and_restoring_tell_the_author(app, make_user, make_thread):
    author, mod = make_user(), make_user("lockmod", role=Role.MODERATOR)
    thread = make_thread(author=author)
    _as(app, mod, lambda m: moderation.lock_thread(m, db.session.get(Thread, thread.id), "Heated"))
    _as(app, mod, lambda m: moderation.remove_thread(m, db.session.get(Thread, thread.id), "Dup"))
    _as(app, mod, lambda m: moderation.restore_thread(m, db.session.get(Thread, thread.id)))
    assert _heard(app, author) == [("moderation", "lockmod")] * 3
    with app.app_context():
        notes = db.session.scalars(select(Notification.note).order_by(Notification.id)).all()
    assert notes == ["locked: Heated", "removed: Dup", "restored"]


def test_a_deleted_thread_takes_its_notifications_with_it(app, make_user, make_thread,
                                                          make_reply):  # fmt: skip
    from forum.services import threads

    author, replier = make_user(), make_user()
    thread = make_thread(author=author)
    make_reply(thread, author=replier)
    make_reply(thread)  # activity for the replier, who follows it now
    _as(app, author, lambda u: threads.delete_thread(u, db.session.get(Thread, thread.id)))
    assert _heard(app, author) == [] and _heard(app, replier) == []


def test_the_header_count_stops_at_99_plus(app, client, make_user, make_thread, login):
    fan = make_user()
    thread = make_thread(author=fan)
    with app.app_context():
        db.session.add_all(
            Notification(user_id=fan.id, kind="activity", actor_id=thread.author_id,
                         thread_id=thread.id) for _ in range(150)
        )  # fmt: skip
        db.session.commit()
    login(make_user())
    assert 'class="count"' not in client.get("/").text
    login(fan)
    assert re.search(r'<span class="count">99\+<', client.get("/").text)


def test_the_following_page_keeps_the_header_count(client, make_user, make_thread, make_reply,
                                                   login):  # fmt: skip
    fan = make_user()
    make_reply(make_thread(author=fan))
    login(fan)
    assert re.search(r'<span class="count">1<', client.get("/following").text)
