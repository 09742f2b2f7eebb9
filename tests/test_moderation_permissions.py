"""The permission matrix: every moderation route, walked as anonymous, member, banned
moderator, moderator and admin. Anonymous is sent to log in; members and banned
moderators get 403 and change nothing; moderators and admins succeed, and each
state-changing success writes exactly one ModAction naming them."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import ModAction, Post, Report, Role, Thread, User
from forum.services import moderation, reports, user_moderation
from tests.conftest import log_in_as


@dataclass
class Route:
    name: str
    method: str
    url: str  # formatted with the world's ids
    action: str | None = None  # the ModAction a success writes (None for pages)
    data: dict | None = None
    admins_only: bool = False


ROUTES = [
    Route("lock", "POST", "/threads/{thread}/lock", "lock", {"reason": "flame war"}),
    Route("unlock", "POST", "/threads/{locked}/unlock", "unlock"),
    Route("pin", "POST", "/threads/{thread}/pin", "pin"),
    Route("unpin", "POST", "/threads/{pinned}/unpin", "unpin"),
    Route("status", "POST", "/threads/{thread}/status", "set_status",
          {"status": "confirmed", "note": "Chapter 4 shows it"}),
    Route("remove-thread-page", "GET", "/threads/{thread}/remove"),
    Route("remove-thread", "POST", "/threads/{thread}/remove", "remove", {"reason": "spam"}),
    Route("restore-thread", "POST", "/threads/{removed}/restore", "restore"),
    Route("remove-post-page", "GET", "/posts/{post}/remove"),
    Route("remove-post", "POST", "/posts/{post}/remove", "remove", {"reason": "insults"}),
    Route("restore-post", "POST", "/posts/{removed_post}/restore", "restore"),
    Route("ban-page", "GET", "/u/{target}/ban"),
    Route("ban", "POST", "/u/{target}/ban", "ban", {"reason": "spam", "until": ""}),
    Route("unban", "POST", "/u/{banned}/unban", "unban"),
    Route("role", "POST", "/u/{target}/role", "set_role", {"role": "moderator"},
          admins_only=True),
    Route("flag-spoiler", "POST", "/threads/{thread}/spoiler", "flag_spoiler",
          {"spoiler": "yes", "reason": "Ballerina's ending"}),
    Route("unflag-spoiler", "POST", "/threads/{spoiler}/spoiler", "unflag_spoiler",
          {"spoiler": "no"}),
    Route("wrap-thread-page", "GET", "/threads/{thread}/wrap-spoiler"),
    Route("wrap-thread", "POST", "/threads/{thread}/wrap-spoiler", "wrap_spoiler",
          {"passage": "coin"}),
    Route("wrap-post-page", "GET", "/posts/{post}/wrap-spoiler"),
    Route("wrap-post", "POST", "/posts/{post}/wrap-spoiler", "wrap_spoiler",
          {"passage": "mirrors", "reason": "twist"}),
    Route("report-queue", "GET", "/mod/reports"),
    Route("resolve-report", "POST", "/mod/reports/{report}/resolve", "resolve_report"),
    Route("dismiss-report", "POST", "/mod/reports/{report}/dismiss", "dismiss_report"),
]  # fmt: skip
ROLES = ["anonymous", "member", "banned_moderator", "moderator", "admin"]


@pytest.fixture
def world(app, make_user, make_thread, make_reply) -> SimpleNamespace:
    """One of everything a moderation route acts on, in the state it needs."""
    admin, moderator = make_user(role=Role.ADMIN), make_user(role=Role.MODERATOR)
    people = {"admin": admin, "moderator": moderator, "member": make_user(),
              "banned_moderator": make_user(role=Role.MODERATOR)}  # fmt: skip
    thread, target, banned = make_thread(), make_user(), make_user()
    post, removed_post = make_reply(thread), make_reply(thread)
    removed, locked, pinned = make_thread(), make_thread(locked=True), make_thread(pinned=True)
    with app.app_context():
        acting = db.session.get(User, admin.id)
        moderation.remove_thread(acting, db.session.get(Thread, removed.id), "off topic")
        moderation.remove_post(acting, db.session.get(Post, removed_post.id), "off topic")
        for someone in (banned, people["banned_moderator"]):
            user_moderation.ban_user(acting, db.session.get(User, someone.id), "trolling")
        reporter = db.session.get(User, people["member"].id)
        report_id = reports.report(reporter, "thread", thread.id, "spoiler in title").id
        db.session.query(ModAction).delete()
        db.session.commit()
    ids = {"thread": thread.id, "locked": locked.id,
           "pinned": pinned.id, "removed": removed.id, "post": post.id,
           "spoiler": make_thread(spoiler=True).id,
           "removed_post": removed_post.id, "target": target.username,
           "banned": banned.username, "report": report_id}  # fmt: skip
    return SimpleNamespace(people=people, ids=ids)


def _actions(app) -> list[ModAction]:
    with app.app_context():
        rows = db.session.scalars(select(ModAction)).all()
        return [SimpleNamespace(action=a.action, moderator_id=a.moderator_id) for a in rows]


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_every_moderation_route_answers_each_role(app, client, login, world, route, who):
    user = world.people.get(who)
    login(user)
    url = route.url.format(**world.ids)
    response = client.open(url, method=route.method, data=route.data or {})

    if who == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
        assert _actions(app) == []
    elif who in ("member", "banned_moderator") or (who == "moderator" and route.admins_only):
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        expected = "You are banned" if who == "banned_moderator" else "Only"
        assert expected in page
        assert _actions(app) == []
    else:
        assert response.status_code == (302 if route.method == "POST" else 200)
        expected = [SimpleNamespace(action=route.action, moderator_id=user.id)]
        assert _actions(app) == (expected if route.action else [])


def test_the_matrix_walks_every_moderation_route_and_method(app, world):
    """A moderation route added later fails here until it joins ROUTES (and the matrix)."""
    adapter = app.url_map.bind("localhost")
    walked = set()
    for route in ROUTES:
        endpoint, args = adapter.match(route.url.format(**world.ids), method=route.method)
        walked.add((endpoint, route.method, args.get("action") or args.get("verdict")))
    registered = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("moderation."):
            continue
        choices = [c.items for c in rule._converters.values() if hasattr(c, "items")]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            for choice in sorted(choices[0]) if choices else [None]:
                registered.add((rule.endpoint, method, choice))
    assert walked == registered


def test_role_changes_are_for_admins_only_and_never_their_own(client, login, make_user):
    admin, other_admin = make_user(role=Role.ADMIN), make_user(role=Role.ADMIN)
    login(admin)
    own = client.post(f"/u/{admin.username}/role", data={"role": "member"})
    assert own.status_code == 403
    demoted = client.post(f"/u/{other_admin.username}/role", data={"role": "moderator"})
    assert demoted.status_code == 302
    login(other_admin)  # now a moderator: can't undo it
    back = client.post(f"/u/{admin.username}/role", data={"role": "member"})
    assert back.status_code == 403


@pytest.mark.parametrize(
    "banner_role, target_role, status",
    [
        (Role.MODERATOR, Role.MEMBER, 302),
        (Role.MODERATOR, Role.MODERATOR, 403),  # only admins ban moderators
        (Role.MODERATOR, Role.ADMIN, 403),
        (Role.ADMIN, Role.MODERATOR, 302),
        (Role.ADMIN, Role.ADMIN, 403),  # nobody bans an admin
    ],
)
def test_who_may_ban_whom(client, login, make_user, banner_role, target_role, status):
    target = make_user(role=target_role)
    login(make_user(role=banner_role))
    response = client.post(f"/u/{target.username}/ban", data={"reason": "spam"})
    assert response.status_code == status


def test_reports_and_report_queue_rows_untouched_by_refused_members(app, client, login, world):
    login(world.people["member"])
    assert client.post(f"/mod/reports/{world.ids['report']}/resolve").status_code == 403
    with app.app_context():
        open_reports = db.session.scalar(
            select(func.count()).select_from(Report).where(Report.status == "open")
        )
    assert open_reports == 1


@pytest.mark.parametrize(
    "url",
    [r.url for r in ROUTES if r.method == "POST"] + ["/threads/{thread}/report",
                                                     "/posts/{post}/report"],
)  # fmt: skip
def test_every_moderation_form_needs_its_csrf_token(app, csrf_client, world, url):
    log_in_as(csrf_client, app, world.people["admin"])
    response = csrf_client.post(url.format(**world.ids), data={"reason": "r", "role": "admin"})
    assert response.status_code == 400
    assert "Your form expired or came from elsewhere" in response.text
    assert _actions(app) == []
