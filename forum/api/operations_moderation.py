"""The moderation operations of the OpenAPI document, keyed "METHOD /path" as routed."""

from __future__ import annotations

from forum.api.openapi_parts import CURSOR, LIMIT, json_body, list_of, op, text
from forum.api.schemas_doc import ref
from forum.models import TheoryStatus
from forum.services import moderation, reports

REASON = text("Why, for the public log (trimmed; at most 500 characters).", nullable=True)
NEEDED_REASON = text("Why, for the public log (trimmed; 1–500 characters).", minLength=1)
ONLY_REASON = json_body({"reason": REASON}, [])
WRAP = json_body(
    {
        "passage": text(
            "The exact words to hide, as they occur in the Markdown text: inside one "
            "paragraph, outside code, without spoiler marks (1–2,000 characters).",
            minLength=1,
            maxLength=moderation.MAX_PASSAGE,
        ),
        "reason": REASON,
    },
    ["passage"],
)
NOTE = json_body({"note": text("A note for the log (at most 500 characters).", nullable=True)}, [])


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
    ),  # fmt: skip
    "POST /threads/{thread_id}/status": op(
        "Set a theory's status (422 for a thread that is not a theory).",
        (200, ref("Thread")),
        (403, 404, 409),
        auth=True,
        body=json_body(
            {
                "status": {"type": "string", "enum": [s.value for s in TheoryStatus]},
                "note": text("What settled it (at most 480 characters).", nullable=True),
            },
            ["status"],
        ),
    ),  # fmt: skip
    "POST /threads/{thread_id}/spoiler": op(
        "Flag (true) or unflag (false) a thread as having spoilers; 409 if it already is.",
        (200, ref("Thread")),
        (403, 404, 409),
        auth=True,
        body=json_body({"spoiler": {"type": "boolean"}, "reason": REASON}, ["spoiler"]),
    ),  # fmt: skip
    "POST /threads/{thread_id}/wrap-spoiler": op(
        "Wrap every occurrence of an exact passage of the thread's text in spoiler markup "
        "(the earlier text is kept as a revision; 422 if the passage is not in the text).",
        (200, ref("Thread")),
        (403, 404),
        auth=True,
        body=WRAP,
    ),  # fmt: skip
    "POST /posts/{post_id}/wrap-spoiler": op(
        "Wrap every occurrence of an exact passage of the reply's text in spoiler markup "
        "(the earlier text is kept as a revision; 422 if the passage is not in the text).",
        (200, ref("Post")),
        (403, 404),
        auth=True,
        body=WRAP,
    ),  # fmt: skip
    "POST /posts/{post_id}/remove": op(
        "Remove a reply: it stays in the tree as a tombstone.",
        (200, ref("Post")),
        (403, 404, 409),
        auth=True,
        body=json_body({"reason": NEEDED_REASON}, ["reason"]),
    ),  # fmt: skip
    "POST /posts/{post_id}/restore": op(
        "Undo a reply's removal exactly.",
        (200, ref("Post")),
        (403, 404, 409),
        auth=True,
        body=ONLY_REASON,
    ),  # fmt: skip
    "POST /users/{username}/ban": op(
        "Ban a user: they can read but not post, reply, vote or report.",
        (200, ref("User")),
        (403, 404),
        auth=True,
        body=json_body(
            {
                "reason": text("Why (trimmed; 1–400 characters).", minLength=1),
                "until": {
                    "type": ["string", "null"],
                    "format": "date-time",
                    "description": "When the ban ends (RFC 3339, in the future); none: never.",
                },
            },
            ["reason"],
        ),
    ),  # fmt: skip
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
        body=json_body(
            {
                "target_type": {"type": "string", "enum": list(reports.TARGET_TYPES)},
                "target_id": {"type": "integer", "minimum": 1},
                "reason": text("What is wrong (trimmed; 1–500 characters).", minLength=1),
            },
            ["target_type", "target_id", "reason"],
        ),
    ),  # fmt: skip
    "GET /reports": op(
        "The open reports, oldest first (moderators).",
        (200, list_of("reports", "Report", paginated=True)),
        (403, 422),
        auth=True,
        query=[LIMIT, CURSOR],
    ),  # fmt: skip
    "POST /reports/{report_id}/resolve": _report_action("Close a report as acted on."),
    "POST /reports/{report_id}/dismiss": _report_action("Close a report as needing nothing."),
    "GET /modlog": op(
        "Every moderation action, newest first.",
        (200, list_of("actions", "ModAction", paginated=True)),
        (422,),
        query=[LIMIT, CURSOR],
    ),  # fmt: skip
}
