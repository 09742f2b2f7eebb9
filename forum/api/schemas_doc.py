"""The OpenAPI components: API.md's objects as JSON Schema (beside api/schemas.py,
which makes them; the schemathesis run checks every response against these)."""

from __future__ import annotations

from typing import Any

from forum.api.errors import HTTP_CODES
from forum.models import NotificationKind, ReportCategory, Role, TheoryStatus, ThreadKind


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(**properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}


def _nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


# API.md's list of ModAction.action values.
MOD_ACTIONS = (
    "lock",
    "unlock",
    "pin",
    "unpin",
    "remove",
    "restore",
    "set_status",
    "ban",
    "unban",
    "set_role",
    "resolve_report",
    "dismiss_report",
    "flag_spoiler",
    "unflag_spoiler",
    "wrap_spoiler",
    "rename_tag",
    "merge_tag",
    "order_films",
)
COUNTS = {"score": INTEGER, "upvotes": INTEGER, "downvotes": INTEGER}
MY_VOTE = {"type": "integer", "enum": [-1, 0, 1]}

POST = _object(
    id=INTEGER,
    thread_id=INTEGER,
    parent_id=_nullable(INTEGER),
    depth=INTEGER,
    author=_nullable(STRING),
    body=_nullable(STRING),
    body_html=_nullable(STRING),
    withheld=BOOLEAN,
    **COUNTS,
    removed=BOOLEAN,
    deleted=BOOLEAN,
    created_at=TIME,
    edited_at=_nullable(TIME),
    my_vote=MY_VOTE,
)
# Only on a page of the reply tree (GET /threads/{id}/posts), so not required.
POST["properties"]["more_replies"] = {
    "type": "integer",
    "minimum": 0,
    "description": "Replies under this one that the page leaves out: ask for them with "
    "`?parent_id=` this reply's id.",
}

SCHEMAS = {
    "Error": _object(
        error={
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": False,
            "properties": {
                "code": {
                    "type": "string",
                    "enum": sorted({*HTTP_CODES.values(), "csrf", "server_error"}),
                },
                "message": STRING,
                "fields": {"type": "object", "additionalProperties": STRING},
            },
        }
    ),
    "User": _object(
        id=INTEGER,
        username=STRING,
        role={"type": "string", "enum": [r.value for r in Role]},
        karma=INTEGER,
        created_at=TIME,
        html_url=URL,
    ),
    "FilmSummary": _object(
        slug=STRING, title=STRING, year=INTEGER, timeline_order=_nullable(INTEGER), html_url=URL
    ),
    "Film": _object(
        slug=STRING,
        title=STRING,
        year=INTEGER,
        release_date={"type": ["string", "null"], "format": "date"},
        universe=_nullable(STRING),
        timeline_order=_nullable(INTEGER),
        synopsis=STRING,
        thread_count=INTEGER,
        spoiler_window_days=INTEGER,
        runtime_minutes=_nullable(INTEGER),
        seen=BOOLEAN,
        html_url=URL,
    ),
    "Universe": _object(
        slug=STRING, name=STRING, films={"type": "array", "items": ref("FilmSummary")}
    ),
    "Thread": _object(
        id=INTEGER,
        film=STRING,
        title=STRING,
        spoiler_title=_nullable(STRING),
        kind={"type": "string", "enum": [k.value for k in ThreadKind]},
        status={"type": ["string", "null"], "enum": [*(s.value for s in TheoryStatus), None]},
        author=_nullable(STRING),
        body=_nullable(STRING),
        body_html=_nullable(STRING),
        spoiler=BOOLEAN,
        withheld=BOOLEAN,
        tags={"type": "array", "items": STRING},
        **COUNTS,
        reply_count=INTEGER,
        locked=BOOLEAN,
        pinned=BOOLEAN,
        removed=BOOLEAN,
        deleted=BOOLEAN,
        created_at=TIME,
        last_activity_at=TIME,
        edited_at=_nullable(TIME),
        my_vote=MY_VOTE,
        html_url=URL,
    ),
    "Post": POST,
    "Vote": _object(score=INTEGER, upvotes=INTEGER, downvotes=INTEGER, my_vote=MY_VOTE),
    "ModAction": _object(
        id=INTEGER,
        action={"type": "string", "enum": list(MOD_ACTIONS)},
        moderator=STRING,
        target_type={"type": "string", "enum": ["thread", "post", "user", "tag", "universe"]},
        target_id=INTEGER,
        reason=_nullable(STRING),
        created_at=TIME,
    ),
    "Report": _object(
        id=INTEGER,
        target_type={"type": "string", "enum": ["thread", "post"]},
        target_id=INTEGER,
        reason=STRING,
        category={"type": "string", "enum": [c.value for c in ReportCategory]},
        reporter=STRING,
        status={"type": "string", "enum": ["open", "resolved", "dismissed"]},
        created_at=TIME,
    ),
    "Notification": _object(
        id=INTEGER,
        kind={"type": "string", "enum": [k.value for k in NotificationKind]},
        actor=_nullable(STRING),
        thread_id=INTEGER,
        post_id=_nullable(INTEGER),
        title=STRING,
        note=_nullable(STRING),
        created_at=TIME,
        read=BOOLEAN,
    ),
    "Token": _object(
        id=INTEGER, created_at=TIME, last_used_at=_nullable(TIME), expires_at=_nullable(TIME)
    ),
    "Revision": _object(
        id=INTEGER,
        body=_nullable(STRING),
        title=_nullable(STRING),
        created_at=TIME,
        editor=STRING,
    ),
}

COMPONENTS = {
    "schemas": SCHEMAS,
    "securitySchemes": {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from POST /api/v1/tokens.",
        },
        "cookieAuth": {
            "type": "apiKey",
            "in": "cookie",
            "name": "session",
            "description": "The web site's session; writes need X-CSRFToken.",
        },
    },
}
