"""Moderation through the API: the same services the moderators' buttons call."""

from __future__ import annotations

from datetime import datetime

from forum import limits
from forum.api import api_user, bp, require_api_user, reveal_spoilers, seen_ids
from forum.api.parsing import Field, matches, query, query_limit, read
from forum.api.schemas import mod_action_json, report_json, user_json
from forum.api.threads import one_thread_json, posts_json
from forum.models import ReportCategory, User
from forum.services import (
    accounts,
    films,
    markup,
    moderation,
    permissions,
    replies,
    reports,
    threads,
    user_moderation,
    withholding,
)
from forum.services.errors import Invalid, NotFound
from forum.services.permissions import can_read_thread_spoilers
from forum.services.user_moderation import MAX_BAN_REASON

# A moment in a film: 1:42:10 or 42:10, brackets allowed (minutes and seconds under 60
# once there are hours; seconds under 60 always: the service refuses the rest with 422).
TIMESTAMP_PATTERN = r"^\[?(?:[0-9]{1,2}:)?[0-9]{1,2}:[0-9]{2}\]?$"
# As the document says (JSON Schema reads a pattern with re.search).
RFC3339_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


def _reason(required: bool = False, limit: int = moderation.MAX_REASON) -> Field:
    """A reason or note: at most `limit` characters as sent (the document's maxLength)."""
    return Field(str, required, max_length=limit)


def require_moderator() -> User:
    """The caller, if a moderator (403 before any lookup, as on the web pages)."""
    user = require_api_user()
    permissions.require_moderator(user)
    return user


def thread_action(thread_id: int, action: str):
    """POST /threads/{id}/lock, /unlock, /pin, /unpin and /restore (`{reason?}`)."""
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    reason = read(reason=_reason())["reason"]
    service, _ = moderation.THREAD_ACTIONS[action]
    return one_thread_json(service(user, thread, reason))


@bp.post("/threads/<id:thread_id>/remove")
def remove_thread(thread_id: int):
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    reason = read(reason=_reason(required=True))["reason"]
    return one_thread_json(moderation.remove_thread(user, thread, reason))


@bp.post("/threads/<id:thread_id>/status")
def theory_status(thread_id: int):
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    data = read(
        status=Field(str, True),
        note=_reason(limit=moderation.MAX_NOTE),
        film=Field(str),
        timestamp=Field(str, pattern=TIMESTAMP_PATTERN, why="Like 1:42:10 or 42:10."),
    )
    film = _settling_film(data["film"])
    seconds = markup.parse_moment(data["timestamp"]) if data["timestamp"] else None
    if data["timestamp"] and seconds is None:
        raise Invalid("That is not a timestamp.", {"timestamp": "Minutes and seconds under 60."})
    changed = moderation.set_theory_status(
        user, thread, data["status"], data["note"], film, seconds
    )
    return one_thread_json(changed)


def _settling_film(slug: str | None):
    """The film that settled a theory (404 naming the field when there is none)."""
    if slug is None:
        return None
    try:
        return films.get_film(slug)
    except NotFound as err:
        raise NotFound("No such film.", {"film": "No such film."}) from err


@bp.post("/threads/<id:thread_id>/spoiler")
def thread_spoiler(thread_id: int):
    """Flag (`{"spoiler": true}`) or unflag a thread as having spoilers."""
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    data = read(spoiler=Field(bool, True), reason=_reason())
    return one_thread_json(moderation.set_spoiler(user, thread, data["spoiler"], data["reason"]))


@bp.post("/threads/<id:thread_id>/wrap-spoiler")
def wrap_thread_spoiler(thread_id: int):
    """Put spoiler markup around an exact passage of a thread's text."""
    user = require_moderator()
    thread = threads.get_visible_thread(thread_id, user)
    data = read(passage=Field(str, True, max_length=moderation.MAX_PASSAGE), reason=_reason())
    return one_thread_json(moderation.wrap_spoiler(user, thread, data["passage"], data["reason"]))


@bp.post("/posts/<id:post_id>/wrap-spoiler")
def wrap_post_spoiler(post_id: int):
    """Put spoiler markup around an exact passage of a reply's text."""
    user = require_moderator()
    post = replies.get_visible_post(post_id, user)
    data = read(passage=Field(str, True, max_length=moderation.MAX_PASSAGE), reason=_reason())
    return posts_json([moderation.wrap_spoiler(user, post, data["passage"], data["reason"])])[0]


def post_action(post_id: int, action: str):
    """POST /posts/{id}/remove (`{reason}`) and /restore (`{reason?}`)."""
    user = require_moderator()
    post = replies.get_visible_post(post_id, user)
    reason = read(reason=_reason(required=action == "remove"))["reason"]
    service = moderation.remove_post if action == "remove" else moderation.restore_post
    return posts_json([service(user, post, reason)])[0]


def post_per_action(path: str, view, actions) -> None:
    """One POST route per action, `path/<action>`, all answered by `view(…, action)`."""
    for action in actions:
        bp.add_url_rule(
            f"{path}/{action}", view_func=view, methods=["POST"], defaults={"action": action}
        )


post_per_action("/threads/<id:thread_id>", thread_action, moderation.THREAD_ACTIONS)
post_per_action("/posts/<id:post_id>", post_action, ("remove", "restore"))


@bp.post("/users/<username>/ban")
def ban(username: str):
    user = require_moderator()
    target = accounts.get_user(username)
    data = read(reason=_reason(required=True, limit=MAX_BAN_REASON), until=Field(str))
    return user_json(user_moderation.ban_user(user, target, data["reason"], _until(data["until"])))


@bp.post("/users/<username>/unban")
def unban(username: str):
    user = require_moderator()
    target = accounts.get_user(username)
    reason = read(reason=_reason())["reason"]
    return user_json(user_moderation.unban_user(user, target, reason))


def _until(value: str | None) -> datetime | None:
    """An RFC 3339 time with its offset (2026-12-31T23:59:00Z), or None."""
    if value is None:
        return None
    try:
        if matches(RFC3339_PATTERN, value):
            return datetime.fromisoformat(value.upper())
    except ValueError:
        pass
    raise Invalid("When does the ban end?", {"until": "A time like 2026-12-31T23:59:00Z."})


@bp.post("/reports")
@limits.report
def report():
    user = require_api_user()
    data = read(
        target_type=Field(str, True),
        target_id=Field(int, True),
        reason=_reason(),
        category=Field(str),
    )
    flag = reports.report(
        user,
        data["target_type"],
        data["target_id"],
        data["reason"],
        data["category"] or ReportCategory.OTHER,
    )
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
    note = read(note=_reason())["note"]
    service = reports.resolve_report if action == "resolve" else reports.dismiss_report
    return report_json(service(user, flag, note))


post_per_action("/reports/<id:report_id>", close_report, ("resolve", "dismiss"))


@bp.get("/modlog")
def modlog():
    page = moderation.moderation_log(query("cursor"), query_limit())
    targets = moderation.log_targets(page.items)
    viewer, seen, reveal = api_user(), seen_ids(), reveal_spoilers()
    withheld = withholding.withheld_notes(
        page.items, targets, lambda t: can_read_thread_spoilers(viewer, t, reveal, seen)
    )
    return {
        "actions": [mod_action_json(a, a.id in withheld) for a in page.items],
        "next_cursor": page.next_cursor,
    }
