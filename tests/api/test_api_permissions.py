"""Every state-changing endpoint, called as each kind of user (the web's matrix, in JSON)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from forum.extensions import db
from forum.models import Role, User, utcnow
from forum.services import reports
from tests.api.conftest import error_of

ROLES = ("anonymous", "member", "author", "banned", "moderator", "admin")
_names = itertools.count(1)


@dataclass
class World:
    film: str
    thread: int
    post: int
    report: int
    someone: str


def _call(kind: str, world: World) -> tuple[str, str, dict | None]:
    """(method, path, body) for one state-changing call."""
    n = next(_names)
    return {
        "register": ("POST", "/users", {"username": f"newfan{n}", "email": f"new{n}@example.com",
                                        "password": "a-long-test-passphrase"}),
        "create_film": ("POST", "/films", {"title": f"Chapter {n}", "year": 2027}),
        "start_thread": ("POST", f"/films/{world.film}/threads",
                         {"title": "Rooney knew", "body": "All along.", "kind": "theory"}),
        "edit_thread": ("PATCH", f"/threads/{world.thread}", {"body": "Edited."}),
        "delete_thread": ("DELETE", f"/threads/{world.thread}", None),
        "reply": ("POST", f"/threads/{world.thread}/posts", {"body": "Agreed."}),
        "edit_post": ("PATCH", f"/posts/{world.post}", {"body": "Edited."}),
        "delete_post": ("DELETE", f"/posts/{world.post}", None),
        "revoke_token": ("DELETE", "/tokens/current", None),
        "vote_thread": ("POST", f"/threads/{world.thread}/vote", {"value": 1}),
        "vote_post": ("POST", f"/posts/{world.post}/vote", {"value": -1}),
        "lock": ("POST", f"/threads/{world.thread}/lock", {"reason": "Heated"}),
        "pin": ("POST", f"/threads/{world.thread}/pin", None),
        "remove_thread": ("POST", f"/threads/{world.thread}/remove", {"reason": "Spam"}),
        "theory_status": ("POST", f"/threads/{world.thread}/status", {"status": "confirmed"}),
        "remove_post": ("POST", f"/posts/{world.post}/remove", {"reason": "Rude"}),
        "ban": ("POST", f"/users/{world.someone}/ban", {"reason": "Spoilers"}),
        "report": ("POST", "/reports", {"target_type": "post", "target_id": world.post,
                                        "reason": "Spoiler without a tag"}),
        "resolve_report": ("POST", f"/reports/{world.report}/resolve", None),
        "dismiss_report": ("POST", f"/reports/{world.report}/dismiss", {"note": "Fine"}),
        "mark_seen": ("PUT", f"/me/seen/{world.film}", None),
        "unmark_seen": ("DELETE", f"/me/seen/{world.film}", None),
        "flag_spoiler": ("POST", f"/threads/{world.thread}/spoiler", {"spoiler": True}),
        "wrap_thread_spoiler": ("POST", f"/threads/{world.thread}/wrap-spoiler",
                                {"passage": "coin", "reason": "Twist"}),
        "wrap_post_spoiler": ("POST", f"/posts/{world.post}/wrap-spoiler", {"passage": "mirrors"}),
    }[kind]  # fmt: skip


# anonymous, member, author, banned author, moderator, admin
MATRIX = {
    "register": (201, 201, 201, 201, 201, 201),
    "create_film": (401, 403, 403, 403, 403, 201),
    "start_thread": (401, 201, 201, 403, 201, 201),
    "edit_thread": (401, 403, 200, 403, 200, 200),
    "delete_thread": (401, 403, 204, 403, 403, 403),
    "reply": (401, 201, 201, 403, 201, 201),
    "edit_post": (401, 403, 200, 403, 200, 200),
    "delete_post": (401, 403, 204, 403, 403, 403),
    "revoke_token": (401, 204, 204, 204, 204, 204),
    "vote_thread": (401, 200, 403, 403, 200, 200),
    "vote_post": (401, 200, 403, 403, 200, 200),
    "lock": (401, 403, 403, 403, 200, 200),
    "pin": (401, 403, 403, 403, 200, 200),
    "remove_thread": (401, 403, 403, 403, 200, 200),
    "theory_status": (401, 403, 403, 403, 200, 200),
    "remove_post": (401, 403, 403, 403, 200, 200),
    "ban": (401, 403, 403, 403, 200, 200),
    "report": (401, 201, 403, 403, 201, 201),
    "resolve_report": (401, 403, 403, 403, 200, 200),
    "dismiss_report": (401, 403, 403, 403, 200, 200),
    # Marking films seen only changes what the caller is sent: banned fans may too.
    "mark_seen": (401, 204, 204, 204, 204, 204),
    "unmark_seen": (401, 204, 204, 204, 204, 204),
    "flag_spoiler": (401, 403, 403, 403, 200, 200),
    "wrap_thread_spoiler": (401, 403, 403, 403, 200, 200),
    "wrap_post_spoiler": (401, 403, 403, 403, 200, 200),
}
CASES = [(kind, role, statuses[i]) for kind, statuses in MATRIX.items()
         for i, role in enumerate(ROLES)]  # fmt: skip


@pytest.fixture
def world(app, make_user, make_film, make_thread, make_reply) -> tuple[World, User]:
    author, someone = make_user("author"), make_user("someone")
    film = make_film()
    thread = make_thread(author=author, film=film)
    post = make_reply(thread, author=author)
    with app.app_context():
        flag = reports.report(db.session.get(User, someone.id), "thread", thread.id, "Off topic")
        report_id = flag.id
    return World(film.slug, thread.id, post.id, report_id, someone.username), author


def _headers(role: str, author: User, app, make_user, bearer) -> dict[str, str]:
    if role == "anonymous":
        return {}
    if role in ("author", "banned"):
        if role == "banned":
            with app.app_context():
                user = db.session.get(User, author.id)
                user.banned_at, user.ban_reason = utcnow(), "Spoilers in titles"
                db.session.commit()
        return bearer(author)
    roles = {"member": Role.MEMBER, "moderator": Role.MODERATOR, "admin": Role.ADMIN}
    return bearer(make_user(role=roles[role]))


@pytest.mark.parametrize("kind, role, expected", CASES)
def test_permission_matrix(client, app, world, make_user, bearer, kind, role, expected):
    place, author = world
    headers = _headers(role, author, app, make_user, bearer)
    method, path, body = _call(kind, place)
    response = client.open(f"/api/v1{path}", method=method, json=body, headers=headers)
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        code = {401: "unauthorized", 403: "forbidden"}[expected]
        assert error_of(response)["code"] == code


def test_a_banned_user_still_reads(client, app, world, make_user, bearer):
    place, author = world
    headers = _headers("banned", author, app, make_user, bearer)
    assert client.get(f"/api/v1/threads/{place.thread}", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_a_moderator_replies_in_a_locked_thread_nobody_else_does(
    client, make_thread, make_user, bearer
):
    thread = make_thread(locked=True)
    for role, expected in ((Role.MEMBER, 423), (Role.MODERATOR, 201), (Role.ADMIN, 201)):
        response = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": "Hm."},
                               headers=bearer(make_user(role=role)))  # fmt: skip
        assert response.status_code == expected
