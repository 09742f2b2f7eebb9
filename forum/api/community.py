"""Notifications, following, muting and previews (API.md; muting: README's API section)."""

from __future__ import annotations

from typing import Any

from forum import limits
from forum.api import bp, require_api_user, seen_ids
from forum.api.parsing import Field, is_integer, json_body, query, query_limit, read
from forum.api.schemas import film_summary_json, iso, user_json
from forum.api.threads import threads_json
from forum.models import Notification
from forum.services import accounts, films, following, notifications, threads
from forum.services.errors import BadRequest, Invalid
from forum.services.permissions import can_read_thread_spoilers

MAX_IDS = 100


def notification_json(item: Notification, note_ok: bool) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "actor": item.actor.username if item.actor else None,
        "thread_id": item.thread_id,
        "post_id": item.post_id,
        "title": item.thread.title,  # always spoiler-free
        "note": item.note if note_ok else notifications.withheld_note(item),
        "created_at": iso(item.created_at),
        "read": item.read,
    }


@bp.get("/notifications")
def notification_list():
    user = require_api_user()
    unread = query("unread", "false")
    if unread not in ("true", "false"):
        raise Invalid("unread is true or false.", {"unread": "true or false."})
    page = notifications.notifications_page(user, unread == "true", query("cursor"), query_limit())
    seen = seen_ids()
    items = [
        notification_json(n, can_read_thread_spoilers(user, n.thread, False, seen))
        for n in page.items
    ]
    return {
        "notifications": items,
        "unread_count": notifications.unread_count(user),
        "next_cursor": page.next_cursor,
    }


@bp.post("/notifications/read")
def notification_read():
    user = require_api_user()
    ids = json_body().get("ids")
    if ids is not None:
        if not isinstance(ids, list) or not all(is_integer(i) for i in ids):
            raise BadRequest("ids is a list of notification ids.", {"ids": "Integers."})
        ids = [int(i) for i in ids]  # 3.0 is an integer in JSON Schema, as in the document
        if len(ids) > MAX_IDS or not all(1 <= i < 2**31 for i in ids):
            raise Invalid("Please fix ids.", {"ids": f"Up to {MAX_IDS} ids from 1."})
    notifications.mark_read(user, ids)
    return "", 204


@bp.get("/me/following")
def following_list():
    user = require_api_user()
    found = following.following(user)
    return {
        "threads": threads_json(found.threads),
        "films": [film_summary_json(f) for f in found.films],
        "tags": found.tags,
    }


@bp.put("/threads/<id:thread_id>/follow")
def follow_thread(thread_id: int):
    user = require_api_user()
    following.follow_thread(user, threads.get_visible_thread(thread_id, user))
    return "", 204


@bp.delete("/threads/<id:thread_id>/follow")
def unfollow_thread(thread_id: int):
    user = require_api_user()
    following.unfollow_thread(user, threads.get_visible_thread(thread_id, user))
    return "", 204


@bp.put("/films/<slug>/follow")
def follow_film(slug: str):
    user = require_api_user()
    following.follow_film(user, films.get_film(slug))
    return "", 204


@bp.delete("/films/<slug>/follow")
def unfollow_film(slug: str):
    user = require_api_user()
    following.unfollow_film(user, films.get_film(slug))
    return "", 204


@bp.put("/tags/<tag:name>/follow")
def follow_tag(name: str):
    following.follow_tag(require_api_user(), name)
    return "", 204


@bp.delete("/tags/<tag:name>/follow")
def unfollow_tag(name: str):
    following.unfollow_tag(require_api_user(), name)
    return "", 204


@bp.get("/me/mutes")
def mute_list():
    users, muted_films, tags = following.muted_lists(require_api_user())
    return {
        "users": [user_json(u) for u in users],
        "films": [film_summary_json(f) for f in muted_films],
        "tags": tags,
    }


@bp.put("/users/<username>/mute")
def mute_user(username: str):
    following.mute_user(require_api_user(), accounts.get_user(username))
    return "", 204


@bp.delete("/users/<username>/mute")
def unmute_user(username: str):
    following.unmute_user(require_api_user(), accounts.get_user(username))
    return "", 204


@bp.put("/films/<slug>/mute")
def mute_film(slug: str):
    following.mute_film(require_api_user(), films.get_film(slug))
    return "", 204


@bp.delete("/films/<slug>/mute")
def unmute_film(slug: str):
    following.unmute_film(require_api_user(), films.get_film(slug))
    return "", 204


@bp.put("/tags/<tag:name>/mute")
def mute_tag(name: str):
    following.mute_tag(require_api_user(), name)
    return "", 204


@bp.delete("/tags/<tag:name>/mute")
def unmute_tag(name: str):
    following.unmute_tag(require_api_user(), name)
    return "", 204


@bp.post("/preview")
@limits.preview
def preview():
    require_api_user()
    data = read(body=Field(str, True, max_length=threads.MAX_BODY))
    body = threads.check_body(data["body"])
    return {"body_html": notifications.render(body).html}
