"""Moderation loses nothing: remove then restore leaves every row of every table as it
was (apart from the log's own rows), replies, votes, counts and karma included."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Film, ModAction, Role, Thread, User
from forum.services import moderation, replies, reports, threads, votes
from forum.services.errors import Conflict, NotFound


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table but the moderation log, in primary-key order."""
    db.session.expire_all()
    with db.engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(
                table.select().order_by(*table.primary_key.columns)
            )]
            for table in db.metadata.sorted_tables
            if table.name not in ("mod_actions", "notifications")  # records of the actions
        }  # fmt: skip


@pytest.fixture
def argument(ctx, make_user, make_film, make_thread, make_reply):
    """A lively theory thread: nested replies, votes (so rankings and karma), an edit,
    a deleted and a removed reply, a report, and a second thread in the same board."""
    film = make_film()
    author, fan, critic = make_user(), make_user(), make_user()
    mod = make_user(role=Role.MODERATOR)
    thread = make_thread(author=author, film=film, tags="rooney, mirrors")
    make_thread(film=film)
    first = make_reply(thread, author=fan, body="The mirror breaks when she learns the truth.")
    child = make_reply(thread, author=critic, parent=first, body="Or it's just a set piece.")
    own = make_reply(thread, author=author, parent=child, body="It happens three times.")
    gone = make_reply(thread, author=critic, body="Off-topic rant.")
    deleted = make_reply(thread, author=fan, body="Never mind.")
    for voter, item, value in [(fan, thread, 1), (critic, thread, -1), (mod, thread, 1),
                               (author, first, 1), (critic, first, 1), (fan, child, -1),
                               (fan, own, 1), (author, gone, -1)]:  # fmt: skip
        votes.cast_vote(voter, item, value)
    threads.edit_thread(author, thread, body="The coin is a **contract**, and a mirror.")
    replies.edit_post(fan, first, "The mirror breaks each time she learns the truth.")
    replies.delete_post(fan, deleted)
    moderation.remove_post(mod, gone, "off topic")
    reports.report(fan, "post", child.id, "dismissive")
    return {"film": film, "thread": thread, "author": author, "fan": fan, "critic": critic,
            "mod": mod, "first": first, "child": child}  # fmt: skip


def test_remove_then_restore_thread_leaves_every_row_as_it_was(argument):
    thread, mod, film, author = (argument[k] for k in ("thread", "mod", "film", "author"))
    before = snapshot()
    count, karma, score = film.thread_count, author.karma, thread.score
    assert score == 1

    moderation.remove_thread(mod, thread, "doxxing in the body")
    db.session.expire_all()
    assert film.thread_count == count - 1
    assert author.karma == karma - score
    _, page = threads.board_page(film)
    assert thread not in page.items
    assert thread not in threads.user_threads(author).items
    with pytest.raises(NotFound):
        threads.get_visible_thread(thread.id, argument["fan"])
    assert threads.get_visible_thread(thread.id, mod).removed_reason == "doxxing in the body"
    assert snapshot() != before

    moderation.restore_thread(mod, thread)
    assert snapshot() == before
    log = db.session.scalars(select(ModAction.action).order_by(ModAction.id)).all()
    assert log[-2:] == ["remove", "restore"]


def test_remove_then_restore_reply_keeps_its_children_and_restores_exactly(argument):
    first, mod, fan = argument["first"], argument["mod"], argument["fan"]
    before = snapshot()
    karma = fan.karma

    moderation.remove_post(mod, first, "insults")
    db.session.expire_all()
    assert fan.karma == karma - first.score
    tree = replies.thread_tree(argument["thread"])
    node = next(n for n in tree if n.post.id == first.id)
    assert node.post.removed and [c.post.id for c in node.children] == [argument["child"].id]
    assert replies.readable_body_html(argument["critic"], first) is None
    assert replies.readable_body_html(mod, first) == first.body_html

    moderation.restore_post(mod, first)
    assert snapshot() == before


def test_interleaved_removals_restore_to_the_same_database(argument):
    thread, first, mod = argument["thread"], argument["first"], argument["mod"]
    before = snapshot()
    moderation.remove_post(mod, first, "insults")
    moderation.lock_thread(mod, thread, "cooling off")
    moderation.remove_thread(mod, thread, "brigading")
    moderation.restore_thread(mod, thread)
    moderation.unlock_thread(mod, thread)
    moderation.restore_post(mod, first)
    assert snapshot() == before
    assert db.session.query(ModAction).count() == 7  # the earlier removal, and these six


def test_a_thread_its_author_deleted_while_removed_stays_out_of_the_counts(argument):
    thread, mod, film, author = (argument[k] for k in ("thread", "mod", "film", "author"))
    count, karma, score = film.thread_count, author.karma, thread.score
    moderation.remove_thread(mod, thread, "spam")
    threads.delete_thread(author, thread)
    moderation.restore_thread(mod, thread)
    db.session.expire_all()
    assert (thread.removed, thread.deleted) == (False, True)
    assert film.thread_count == count - 1  # taken out once, not twice, not put back
    assert author.karma == karma - score


def test_removing_an_already_deleted_thread_does_not_count_it_twice(argument):
    thread, mod, film, author = (argument[k] for k in ("thread", "mod", "film", "author"))
    threads.delete_thread(author, thread)
    db.session.expire_all()
    count, karma = film.thread_count, author.karma
    moderation.remove_thread(mod, thread, "spam")
    moderation.restore_thread(mod, thread)
    db.session.expire_all()
    assert (film.thread_count, author.karma) == (count, karma)


def test_remove_and_restore_through_the_web_leave_the_database_as_it_was(
    app, client, login, make_user, make_thread, make_reply
):
    thread = make_thread()
    make_reply(thread)
    mod, member = make_user(role=Role.MODERATOR), make_user()
    with app.app_context():
        before = snapshot()
    login(mod)
    assert client.post(f"/threads/{thread.id}/remove", data={"reason": "spam"}).status_code == 302
    login(member)
    assert client.get(f"/threads/{thread.id}").status_code == 404
    login(mod)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "Removed by a moderator: spam" in page
    assert client.post(f"/threads/{thread.id}/restore").status_code == 302
    with app.app_context():
        assert snapshot() == before
        assert db.session.get(Film, thread.film_id).thread_count == 1


def test_two_moderators_removing_at_once_count_it_once(app, make_user, make_thread):
    thread, film_id = make_thread(), None
    first, second = make_user(role=Role.MODERATOR), make_user(role=Role.MODERATOR)
    outcome: list[str] = []

    def the_other_moderator() -> None:
        with app.app_context():
            try:
                moderation.remove_thread(db.session.get(User, second.id),
                                         db.session.get(Thread, thread.id), "spam")  # fmt: skip
                outcome.append("removed")
            except Conflict as err:
                outcome.append(err.message)

    with app.app_context():
        mine = db.session.get(Thread, thread.id)
        film_id, count = mine.film_id, mine.film.thread_count
        moderation.lock_row(mine)  # the first moderator is mid-action, holding the row
        worker = threading.Thread(target=the_other_moderator)
        worker.start()
        worker.join(timeout=0.5)
        assert worker.is_alive()  # waiting for the row, not racing past it
        moderation.remove_thread(db.session.get(User, first.id), mine, "spam")
    worker.join(timeout=10)
    assert outcome == ["This thread is already removed."]
    with app.app_context():
        assert db.session.get(Film, film_id).thread_count == count - 1
        assert db.session.query(ModAction).count() == 1
