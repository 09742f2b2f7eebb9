"""The API's notification, following, muting and preview operations, keyed as routed."""

from __future__ import annotations

from forum.api.community import MAX_IDS
from forum.api.openapi_parts import CURSOR, LIMIT, MAX_ID, json_body, op, param
from forum.api.operations import TEXT
from forum.api.schemas_doc import ref

ARRAY_OF = {"type": "array"}


def _lists(**items: dict) -> dict:
    return {
        "type": "object",
        "properties": {k: {"type": "array", "items": v} for k, v in items.items()},
        "required": list(items),
        "additionalProperties": False,
    }


NOTIFICATIONS = {
    "type": "object",
    "properties": {
        "notifications": {"type": "array", "items": ref("Notification")},
        "unread_count": {"type": "integer", "minimum": 0},
        "next_cursor": {"type": ["string", "null"]},
    },
    "required": ["notifications", "unread_count", "next_cursor"],
    "additionalProperties": False,
}
TAG_NOTE = (
    "A tag is named by its normalized name (lower-case, spaces and underscores become -): "
    "up to 40 ASCII letters, digits, spaces, _ and -, starting with a letter or digit."
)


def _toggle(verb: str, what: str, errors: tuple[int, ...] = (404,)) -> dict:
    return op(f"{verb} {what} (idempotent).", (204, None), errors, auth=True)


OPERATIONS: dict[str, dict] = {
    "GET /notifications": op(
        "Your notifications, newest first; `unread_count` counts up to 100 (more shows "
        "as 100). Notifications from users you muted, or about content removed or deleted "
        "since, are left out.",
        (200, NOTIFICATIONS),
        (422,),
        auth=True,
        query=[
            param("unread", {"type": "string", "enum": ["true", "false"]}, "Only unread."),
            LIMIT,
            CURSOR,
        ],
    ),
    "POST /notifications/read": op(
        "Mark these notifications (or, without `ids`, all of them) read.",
        (204, None),
        (422,),
        auth=True,
        body=json_body(
            {
                "ids": {
                    "type": ["array", "null"],
                    "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    "maxItems": MAX_IDS,
                    "description": f"Up to {MAX_IDS} of your notifications' ids.",
                }
            },
            [],
        ),
    ),
    "GET /me/following": op(
        "What you follow: threads (the 100 most recently active), films and tags.",
        (200, _lists(threads=ref("Thread"), films=ref("FilmSummary"), tags={"type": "string"})),
        (),
        auth=True,
    ),
    "PUT /threads/{thread_id}/follow": _toggle("Follow", "a thread"),
    "DELETE /threads/{thread_id}/follow": _toggle("Stop following", "a thread"),
    "PUT /films/{slug}/follow": _toggle("Follow", "a film's board"),
    "DELETE /films/{slug}/follow": _toggle("Stop following", "a film's board"),
    "PUT /tags/{name}/follow": _toggle("Follow", f"a tag. {TAG_NOTE}", (404,)),
    "DELETE /tags/{name}/follow": _toggle("Stop following", f"a tag. {TAG_NOTE}", (404,)),
    "GET /me/mutes": op(
        "The users, films and tags you muted.",
        (200, _lists(users=ref("User"), films=ref("FilmSummary"), tags={"type": "string"})),
        (),
        auth=True,
    ),
    "PUT /users/{username}/mute": _toggle(
        "Mute",
        "a user: their writing is collapsed for you and they cannot notify you; 403 for yourself",
        (403, 404),
    ),  # fmt: skip
    "DELETE /users/{username}/mute": _toggle("Unmute", "a user"),
    "PUT /films/{slug}/mute": _toggle("Mute", "a film: its threads leave your front page"),
    "DELETE /films/{slug}/mute": _toggle("Unmute", "a film"),
    "PUT /tags/{name}/mute": _toggle(
        "Mute", f"a tag: its threads leave your front page. {TAG_NOTE}", (404,)
    ),
    "DELETE /tags/{name}/mute": _toggle("Unmute", f"a tag. {TAG_NOTE}", (404,)),
    "POST /preview": op(
        "Render Markdown as it would be stored (same renderer and bounds), saving nothing.",
        (
            200,
            {
                "type": "object",
                "properties": {"body_html": {"type": "string"}},
                "required": ["body_html"],
                "additionalProperties": False,
            },
        ),
        (429,),
        auth=True,
        body=json_body({"body": TEXT}, ["body"]),
    ),
}
