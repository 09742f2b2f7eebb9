"""The moderation operations of the OpenAPI document, keyed "METHOD /path" as routed."""

from __future__ import annotations

from forum.api.moderation import RFC3339_PATTERN, TIMESTAMP_PATTERN
from forum.api.openapi_parts import (
    CURSOR,
    LIMIT,
    MAX_ID,
    REVEAL,
    json_body,
    list_of,
    op,
    text,
    trimmed_text,
)
from forum.api.parsing import trimmed_pattern
from forum.api.schemas_doc import ref
from forum.models import ReportCategory, TheoryStatus
from forum.services import moderation, reports
from forum.services.user_moderation import MAX_BAN_REASON

MAX_REASON, MAX_NOTE = moderation.MAX_REASON, moderation.MAX_NOTE
REASON = trimmed_text(
    f"Why, for the public log (trimmed; at most {MAX_REASON} characters).",
    0,
    MAX_REASON,
    nullable=True,
)
NEEDED_REASON = trimmed_text(
    f"Why, for the public log (trimmed; 1–{MAX_REASON} characters).", 1, MAX_REASON
)
ONLY_REASON = json_body({"reason": REASON}, [])
WRAP = json_body(
    {
        "passage": trimmed_text(
            "The exact words to hide, as they occur in the Markdown text: inside one "
            "paragraph, outside code, without spoiler marks (1–2,000 characters).",
            1,
            moderation.MAX_PASSAGE,
        ),
        "reason": REASON,
    },
    ["passage"],
)
REPORT_BODY = json_body(
    {
        "target_type": {"type": "string", "enum": list(reports.TARGET_TYPES)},
        "target_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        "category": {
            "type": ["string", "null"],
            "enum": [*(c.value for c in ReportCategory), None],
            "default": ReportCategory.OTHER.value,
            "description": "The reason picked from the moderators' list (default `other`).",
        },
        "reason": trimmed_text(
            f"A note on what is wrong (trimmed; at most {MAX_REASON} characters); needed "
            "unless a `category` other than `other` is given.",
            0,
            MAX_REASON,
        ),
    },
    ["target_type", "target_id"],
)
# A note, or a category that says enough by itself.
REPORT_BODY["content"]["application/json"]["schema"]["anyOf"] = [
    {"required": ["reason"], "properties": {"reason": {"pattern": trimmed_pattern(1)}}},
    {
        "required": ["category"],
        "properties": {
            "category": {"enum": [c.value for c in ReportCategory if c != ReportCategory.OTHER]}
        },
    },
]
NOTE = json_body(
    {
        "note": trimmed_text(
            f"A note for the log (at most {MAX_REASON} characters).", 0, MAX_REASON, nullable=True
        )
    },
    [],
)


def _thread_action(summary: str) -> dict:
    return op(summary, (200, ref("Thread")), (403, 404, 409), auth=True, body=ONLY_REASON)


def _report_action(summary: str) -> dict:
    return op(summary, (200, ref("Report")), (403, 404, 409), auth=True, body=NOTE)


OPERATIONS: dict[str, dict] = {
    "POST /threads/{thread_id}/lock": _thread_action("Lock: no replies or edits but moderators'."),
    "POST /threads/{thread_id}/unlock": _thread_action("Unlock a thread."),
    "POST /threads/{thread_id}/pin": _thread_action("Pin a thread on its board's hot page."),
    "POST /threads/{thread_id}/unpin": _thread_action("Unpin a thread."),
    "POST /threads/{thread_id}/restore": _thread_action("Undo a thread's removal exactly."),
    "POST /threads/{thread_id}/remove": op(
        "Remove a thread: hidden from all but moderators, never destroyed.",
        (200, ref("Thread")),
        (403, 404, 409),
        auth=True,
        body=json_body({"reason": NEEDED_REASON}, ["reason"]),
    ),
    "POST /threads/{thread_id}/status": op(
        "Set a theory's status (422 for a thread that is not a theory), optionally naming the "
        "film and the moment in it that settled it; each change joins the theory's history "
        "(`GET /threads/{thread_id}/status-history`).",
        (200, ref("Thread")),
        (403, 404, 409),
        auth=True,
        body=json_body(
            {
                "status": {"type": "string", "enum": [s.value for s in TheoryStatus]},
                "note": trimmed_text(
                    f"What settled it (at most {MAX_NOTE} characters).", 0, MAX_NOTE, nullable=True
                ),
                "film": text("The film that settled it (a slug; 404 if none).", nullable=True),
                "timestamp": {
                    "type": ["string", "null"],
                    "pattern": TIMESTAMP_PATTERN,
                    "description": "The moment in `film` (the theory's own film when `film` "
                    "is absent) that settled it: 1:42:10 or 42:10, within the film's runtime "
                    "(422 otherwise).",
                },
            },
            ["status"],
        ),
    ),
    "POST /threads/{thread_id}/spoiler": op(
        "Flag (true) or unflag (false) a thread as having spoilers; 409 if it already is.",
        (200, ref("Thread")),
        (403, 404, 409),
        auth=True,
        body=json_body({"spoiler": {"type": "boolean"}, "reason": REASON}, ["spoiler"]),
    ),
    "POST /threads/{thread_id}/wrap-spoiler": op(
        "Wrap every occurrence of an exact passage of the thread's text in spoiler markup "
        "(the earlier text is kept as a revision; 422 if the passage is not in the text).",
        (200, ref("Thread")),
        (403, 404),
        auth=True,
        body=WRAP,
    ),
    "POST /posts/{post_id}/wrap-spoiler": op(
        "Wrap every occurrence of an exact passage of the reply's text in spoiler markup "
        "(the earlier text is kept as a revision; 422 if the passage is not in the text).",
        (200, ref("Post")),
        (403, 404),
        auth=True,
        body=WRAP,
    ),
    "POST /posts/{post_id}/remove": op(
        "Remove a reply: it stays in the tree as a tombstone.",
        (200, ref("Post")),
        (403, 404, 409),
        auth=True,
        body=json_body({"reason": NEEDED_REASON}, ["reason"]),
    ),
    "POST /posts/{post_id}/restore": op(
        "Undo a reply's removal exactly.",
        (200, ref("Post")),
        (403, 404, 409),
        auth=True,
        body=ONLY_REASON,
    ),
    "POST /users/{username}/ban": op(
        "Ban a user: they can read but not post, reply, vote or report.",
        (200, ref("User")),
        (403, 404),
        auth=True,
        body=json_body(
            {
                "reason": trimmed_text("Why (trimmed; 1–400 characters).", 1, MAX_BAN_REASON),
                "until": {
                    "type": ["string", "null"],
                    "format": "date-time",
                    "pattern": RFC3339_PATTERN,
                    "description": "When the ban ends (RFC 3339, in the future: 422 if not); "
                    "none: never.",
                },
            },
            ["reason"],
        ),
    ),
    "POST /users/{username}/unban": op(
        "Lift a ban.", (200, ref("User")), (403, 404, 409), auth=True, body=ONLY_REASON
    ),
    "POST /reports": op(
        "Report a thread or a reply to the moderators (once per item).",
        (
            201,
            {
                "type": "object",
                "required": ["report"],
                "additionalProperties": False,
                "properties": {"report": ref("Report")},
            },
        ),
        (403, 404, 409, 429),
        auth=True,
        body=REPORT_BODY,
    ),
    "GET /reports": op(
        "The open reports, oldest first (moderators).",
        (200, list_of("reports", "Report", paginated=True)),
        (403, 422),
        auth=True,
        query=[LIMIT, CURSOR],
    ),
    "POST /reports/{report_id}/resolve": _report_action("Close a report as acted on."),
    "POST /reports/{report_id}/dismiss": _report_action("Close a report as needing nothing."),
    "GET /modlog": op(
        "Every moderation action, newest first.",
        (200, list_of("actions", "ModAction", paginated=True)),
        (422,),
        query=[LIMIT, CURSOR, REVEAL],
    ),
}
