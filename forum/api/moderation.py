"""Moderation through the API: the same services the moderators' buttons call."""

from __future__ import annotations

import re
from datetime import datetime

from forum import limits
from forum.api import bp, require_api_user
from forum.api.parsing import Field, query, query_limit, read
from forum.api.schemas import mod_action_json, report_json, user_json
from forum.api.threads import one_thread_json, posts_json
from forum.models import User
from forum.services import accounts, moderation, replies, reports, threads, user_moderation
from forum.services.errors import Invalid
from forum.services.permissions import ban_message, can_moderate, is_moderator, require

RFC3339_RE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})")
THREAD_ACTIONS = {
    "lock": moderation.lock_thread,
    "unlock": moderation.unlock_thread,
    "pin": moderation.pin_thread,
    "unpin": moderation.unpin_thread,
    "restore": moderation.restore_thread,
}


def require_moderator() -> User:
    """The caller, if a moderator (403 before any lookup, as on the web pages)."""
    user = require_api_user()
    require(can_moderate(user), ban_message(user) if is_moderator(user) else
            "Only moderators can do that.")  # fmt: skip
    return user


def thread_action(thread_id: int, action: str):
    """POST /threads/{id}/lock, /unlock, /pin, /unpin and /restore (`{reason?}`)."""
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    reason = read(reason=Field(str))["reason"]
    return one_thread_json(THREAD_ACTIONS[action](user, thread, reason))


@bp.post("/threads/<id:thread_id>/remove")
def remove_thread(thread_id: int):
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    reason = read(reason=Field(str, True))["reason"]
    return one_thread_json(moderation.remove_thread(user, thread, reason))


@bp.post("/threads/<id:thread_id>/status")
def theory_status(thread_id: int):
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    data = read(status=Field(str, True), note=Field(str))
    return one_thread_json(moderation.set_theory_status(user, thread, data["status"], data["note"]))


@bp.post("/threads/<id:thread_id>/spoiler")
def thread_spoiler(thread_id: int):
    """Flag (`{"spoiler": true}`) or unflag a thread as having spoilers."""
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    data = read(spoiler=Field(bool, True), reason=Field(str))
    return one_thread_json(moderation.set_spoiler(user, thread, data["spoiler"], data["reason"]))


@bp.post("/threads/<id:thread_id>/wrap-spoiler")
def wrap_thread_spoiler(thread_id: int):
    """Put spoiler markup around an exact passage of a thread's text."""
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    data = read(passage=Field(str, True), reason=Field(str))
    return one_thread_json(moderation.wrap_spoiler(user, thread, data["passage"], data["reason"]))


@bp.post("/posts/<id:post_id>/wrap-spoiler")
def wrap_post_spoiler(post_id: int):
    """Put spoiler markup around an exact passage of a reply's text."""
    user = require_moderator()
    post = replies.get_visible_post(post_id, user)
    data = read(passage=Field(str, True), reason=Field(str))
    return posts_json([moderation.wrap_spoiler(user, post, data["passage"], data["reason"])])[0]


def post_action(post_id: int, action: str):
    """POST /posts/{id}/remove (`{reason}`) and /restore (`{reason?}`)."""
    user = require_moderator()
    post = replies.get_visible_post(post_id, user)
    reason = read(reason=Field(str, action == "remove"))["reason"]
    service = moderation.remove_post if action == "remove" else moderation.restore_post
    return posts_json([service(user, post, reason)])[0]


for _action in THREAD_ACTIONS:
    bp.add_url_rule(f"/threads/<id:thread_id>/{_action}", view_func=thread_action,
                    methods=["POST"], defaults={"action": _action})  # fmt: skip
for _action in ("remove", "restore"):
    bp.add_url_rule(f"/posts/<id:post_id>/{_action}", view_func=post_action,
                    methods=["POST"], defaults={"action": _action})  # fmt: skip


@bp.post("/users/<username>/ban")
def ban(username: str):
    user = require_moderator()
    target = accounts.get_user(username)
    data = read(reason=Field(str, True), until=Field(str))
    return user_json(user_moderation.ban_user(user, target, data["reason"], _until(data["until"])))


@bp.post("/users/<username>/unban")
def unban(username: str):
    user = require_moderator()
    target = accounts.get_user(username)
    reason = read(reason=Field(str))["reason"]
    return user_json(user_moderation.unban_user(user, target, reason))


def _until(value: str | None) -> datetime | None:
    """An RFC 3339 time with its offset (2026-12-31T23:59:00Z), or None."""
    if value is None:
        return None
    try:
        if RFC3339_RE.fullmatch(value):
            return datetime.fromisoformat(value.upper())
    except ValueError:
        pass
    raise Invalid("When does the ban end?", {"until": "A time like 2026-12-31T23:59:00Z."})


@bp.post("/reports")
@limits.report
def report():
    user = require_api_user()
    data = read(target_type=Field(str, True), target_id=Field(int, True), reason=Field(str, True))
    flag = reports.report(user, data["target_type"], data["target_id"], data["reason"])
    return {"report": report_json(flag)}, 201


@bp.get("/reports")
def report_queue():
    user = require_moderator()
    page = reports.report_queue(user, query("cursor"), query_limit())
    return {"reports": [report_json(q.report) for q in page.items], "next_cursor": page.next_cursor}


def close_report(report_id: int, action: str):
    """POST /reports/{id}/resolve and /dismiss (`{note?}`)."""
    user = require_moderator()
    flag = reports.get_report(report_id)
    note = read(note=Field(str))["note"]
    service = reports.resolve_report if action == "resolve" else reports.dismiss_report
    return report_json(service(user, flag, note))


for _action in ("resolve", "dismiss"):
    bp.add_url_rule(f"/reports/<id:report_id>/{_action}", view_func=close_report,
                    methods=["POST"], defaults={"action": _action})  # fmt: skip


@bp.get("/modlog")
def modlog():
    page = moderation.moderation_log(query("cursor"), query_limit())
    return {"actions": [mod_action_json(a) for a in page.items], "next_cursor": page.next_cursor}
