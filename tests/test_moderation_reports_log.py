"""Reports (once per item, the queue with the reported text), the public moderation
log (newest first, paginated, read-only) and edit history pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import ModAction, Post, Report, Role, Thread, User
from forum.services import moderation, replies, reports, threads, user_moderation
from forum.services.errors import Conflict, Forbidden, Invalid, NotFound


def report_rows(app) -> list[tuple]:
    with app.app_context():
        return [(r.target_type, r.target_id, r.reason, r.status)
                for r in db.session.scalars(select(Report).order_by(Report.id))]  # fmt: skip


def test_a_fan_reports_a_thread_once(app, client, login, make_user, make_thread):
    thread = make_thread()
    login(make_user())
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert f'href="/threads/{thread.id}/report"' in page
    response = client.post(f"/threads/{thread.id}/report", data={"reason": "Spoiler in title"})
    assert response.status_code == 302
    assert report_rows(app) == [("thread", thread.id, "Spoiler in title", "open")]
    again = client.post(f"/threads/{thread.id}/report", data={"reason": "Really!"})
    assert again.status_code == 422  # the form again, the reason beside its button
    assert "already reported" in again.get_data(as_text=True)
    assert len(report_rows(app)) == 1


def test_a_fan_reports_a_reply(app, client, login, make_user, make_thread, make_reply):
    post = make_reply(make_thread(), body="Something rude")
    login(make_user())
    response = client.post(f"/posts/{post.id}/report", data={"reason": "rude"})
    assert response.status_code == 302
    assert report_rows(app) == [("post", post.id, "rude", "open")]


@pytest.mark.parametrize(
    "target_type, target_id, error",
    [
        ("thread", 999_999, NotFound),
        ("post", 999_999, NotFound),
        ("removed-thread", None, NotFound),  # hidden from the reporter: as if missing
        ("removed-post", None, NotFound),
        ("user", 1, Invalid),
        ("thread", "7", Invalid),
        ("own-thread", None, Forbidden),
    ],
)
def test_reports_on_missing_hidden_or_odd_targets_are_refused(
    ctx, make_user, make_thread, make_reply, target_type, target_id, error
):
    fan, mod = make_user(), make_user(role=Role.MODERATOR)
    if target_type == "removed-thread":
        target_type, target_id = "thread", make_thread().id
        moderation.remove_thread(mod, db.session.get(Thread, target_id), "spam")
    elif target_type == "removed-post":
        target_type, target_id = "post", make_reply(make_thread()).id
        moderation.remove_post(mod, db.session.get(Post, target_id), "spam")
    elif target_type == "own-thread":
        target_type, target_id = "thread", make_thread(author=fan).id
    with pytest.raises(error):
        reports.report(fan, target_type, target_id, "bad")
    assert db.session.query(Report).count() == 0


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_report_needs_a_reason(app, client, login, make_user, make_thread, reason):
    thread = make_thread()
    login(make_user())
    response = client.post(f"/threads/{thread.id}/report", data={"reason": reason})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert report_rows(app) == []


def test_two_fans_may_report_the_same_thread_but_each_only_once(ctx, make_user, make_thread):
    thread, first, second = make_thread(), make_user(), make_user()
    reports.report(first, "thread", thread.id, "spam")
    reports.report(second, "thread", thread.id, "spam too")
    with pytest.raises(Conflict):
        reports.report(first, "thread", thread.id, "and again")
    assert db.session.query(Report).count() == 2


def test_the_queue_shows_reported_text_and_closing_logs_it(
    app, client, login, make_user, make_thread, make_reply
):
    thread = make_thread(title="A thread about markers", body="The **marker** text")
    post = make_reply(thread, body="A rude reply body")
    fan, mod = make_user(), make_user(role=Role.MODERATOR)
    with app.app_context():
        reporter = db.session.get(User, fan.id)
        on_thread = reports.report(reporter, "thread", thread.id, "off topic").id
        on_post = reports.report(reporter, "post", post.id, "rude").id
    login(mod)
    queue = client.get("/mod/reports").get_data(as_text=True)
    assert "A thread about markers" in queue and "<strong>marker</strong>" in queue
    assert "A rude reply body" in queue and "rude" in queue and fan.username in queue

    resolved = client.post(f"/mod/reports/{on_post}/resolve", data={"reason": "removed"})
    assert resolved.status_code == 302
    assert client.post(f"/mod/reports/{on_thread}/dismiss").status_code == 302
    with app.app_context():
        log = [(a.action, a.target_type, a.target_id, a.reason)
               for a in db.session.scalars(select(ModAction).order_by(ModAction.id))]  # fmt: skip
    assert log == [("resolve_report", "post", post.id, "removed"),
                   ("dismiss_report", "thread", thread.id, None)]  # fmt: skip
    assert [r[3] for r in report_rows(app)] == ["dismissed", "resolved"]
    assert "No open reports" in client.get("/mod/reports").get_data(as_text=True)
    again = client.post(f"/mod/reports/{on_post}/dismiss")
    assert again.status_code == 409 and "already resolved" in again.get_data(as_text=True)
    assert client.post("/mod/reports/999999/resolve").status_code == 404


def _fill_queue(app, make_user, make_thread, n: int) -> None:
    thread = make_thread()
    with app.app_context():
        for _ in range(n):
            fan = db.session.get(User, make_user().id)
            reports.report(fan, "thread", thread.id, "spam")


def test_the_queue_pages_by_cursor_with_a_constant_number_of_queries(
    app, client, login, make_user, make_thread, make_reply, count_queries
):
    mod = make_user(role=Role.MODERATOR)
    login(mod)
    _fill_queue(app, make_user, make_thread, 2)
    with count_queries() as few:
        assert client.get("/mod/reports").status_code == 200
    _fill_queue(app, make_user, make_thread, 6)  # 8 in all: PAGE_SIZE is 5 in tests
    with count_queries() as many:
        first = client.get("/mod/reports").get_data(as_text=True)
    assert len(many) == len(few)
    assert first.count('class="report"') == 5
    next_link = re.search(r'href="(/mod/reports\?cursor=[^"]+)"', first).group(1)
    second = client.get(next_link.replace("&amp;", "&")).get_data(as_text=True)
    assert second.count('class="report"') == 3


@pytest.fixture
def busy_log(app, make_user, make_thread):
    """Twelve actions on one thread: lock/unlock six times."""
    mod, thread = make_user(role=Role.MODERATOR), make_thread(title="Often locked")
    with app.app_context():
        acting, target = db.session.get(User, mod.id), db.session.get(Thread, thread.id)
        for i in range(6):
            moderation.lock_thread(acting, target, f"lock {i}")
            moderation.unlock_thread(acting, target, f"unlock {i}")
    return thread


def test_the_log_is_public_newest_first_and_paginated(client, busy_log):
    first = client.get("/modlog").get_data(as_text=True)
    reasons = re.findall(r"<td>((?:un)?lock \d)</td>", first)
    assert reasons == ["unlock 5", "lock 5", "unlock 4", "lock 4", "unlock 3"]
    assert "Often locked" in first
    seen = list(reasons)
    link = re.search(r'href="(/modlog\?cursor=[^"]+)"', first)
    while link:
        page = client.get(link.group(1)).get_data(as_text=True)
        seen += re.findall(r"<td>((?:un)?lock \d)</td>", page)
        link = re.search(r'href="(/modlog\?cursor=[^"]+)"', page)
    assert seen == [f"{verb} {i}" for i in range(5, -1, -1) for verb in ("unlock", "lock")]
    assert client.get("/modlog?cursor=forged").status_code == 400


def test_the_log_page_costs_the_same_queries_however_long(
    app, client, make_user, make_thread, make_reply, count_queries
):
    mod = make_user(role=Role.MODERATOR)
    with app.app_context():
        acting = db.session.get(User, mod.id)
        moderation.pin_thread(acting, db.session.get(Thread, make_thread().id))
    with count_queries() as few:
        client.get("/modlog")
    with app.app_context():
        acting = db.session.get(User, mod.id)
        for _ in range(2):
            moderation.remove_post(acting, db.session.get(Post, make_reply(make_thread()).id), "x")
            user_moderation.ban_user(acting, db.session.get(User, make_user().id), "spam")
            moderation.lock_thread(acting, db.session.get(Thread, make_thread().id))
    with count_queries() as many:
        page = client.get("/modlog").get_data(as_text=True)
    assert page.count("<tr class=") == 5
    assert len(many) <= len(few) + 2  # + the reply and user look-ups the first page lacked


def test_the_log_can_not_be_changed_through_the_application(app, client, busy_log):
    for path in ("/modlog", "/api/v1/modlog"):  # the page and the JSON API read it
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert client.open(path, method=method).status_code == 405
    routes = {rule.rule: rule.methods for rule in app.url_map.iter_rules()
              if "modlog" in rule.rule or "mod_action" in rule.endpoint}  # fmt: skip
    assert set(routes) == {"/modlog", "/api/v1/modlog"}
    assert all(methods <= {"GET", "HEAD", "OPTIONS"} for methods in routes.values())


def test_a_removed_threads_title_stays_out_of_the_public_log(app, client, login, make_user,
                                                             make_thread):  # fmt: skip
    thread, mod = make_thread(title="Doxxing someone"), make_user(role=Role.MODERATOR)
    login(mod)
    client.post(f"/threads/{thread.id}/remove", data={"reason": "personal data"})
    assert "Doxxing someone" in client.get("/modlog").get_data(as_text=True)
    login(None)
    page = client.get("/modlog").get_data(as_text=True)
    assert "Doxxing someone" not in page
    assert f"thread #{thread.id}" in page and "personal data" in page


def test_edit_history_is_public_for_readable_text(app, client, login, make_user, make_thread):
    author = make_user()
    thread = make_thread(author=author, title="First title", body="First text")
    with app.app_context():
        threads.edit_thread(db.session.get(User, author.id), db.session.get(Thread, thread.id),
                            "Second title", "Second text")  # fmt: skip
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert f'href="/threads/{thread.id}/history"' in page
    history = client.get(f"/threads/{thread.id}/history").get_data(as_text=True)
    assert history.index("First title") < history.index("First text") < history.index("Second text")
    assert "Current version" in history


def test_a_removed_replys_history_is_for_moderators_only(
    app, client, login, make_user, make_thread, make_reply
):
    author, mod = make_user(), make_user(role=Role.MODERATOR)
    post = make_reply(make_thread(), author=author, body="Before the edit")
    with app.app_context():
        replies.edit_post(db.session.get(User, author.id), db.session.get(Post, post.id), "After")
    assert "Before the edit" in client.get(f"/posts/{post.id}/history").get_data(as_text=True)
    with app.app_context():
        moderation.remove_post(db.session.get(User, mod.id), db.session.get(Post, post.id), "x")
    assert client.get(f"/posts/{post.id}/history").status_code == 404
    login(mod)
    assert "Before the edit" in client.get(f"/posts/{post.id}/history").get_data(as_text=True)
    assert client.get("/posts/999999/history").status_code == 404


def test_a_removed_threads_history_is_for_moderators_only(client, login, make_user, make_thread):
    thread, mod = make_thread(), make_user(role=Role.MODERATOR)
    login(mod)
    client.post(f"/threads/{thread.id}/remove", data={"reason": "spam"})
    assert client.get(f"/threads/{thread.id}/history").status_code == 200
    login(make_user())
    assert client.get(f"/threads/{thread.id}/history").status_code == 404
