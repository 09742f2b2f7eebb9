"""The API's operations (everything but moderation), keyed "METHOD /path" as routed.
Enumerations come from the services' own constants."""

from __future__ import annotations

from forum.api.openapi_parts import (
    CURSOR,
    LIMIT,
    json_body,
    list_of,
    op,
    param,
    text,
)
from forum.api.schemas_doc import ref
from forum.models import TheoryStatus, ThreadKind
from forum.services import accounts, films, replies, threads, votes

REVEAL = param("reveal", {"type": "string", "enum": ["spoilers"]},
               "Consent to spoilers for this one request: spoiler-flagged threads are not "
               "withheld and `spoiler_title` is sent.")  # fmt: skip
BOARD_QUERY = [
    param("sort", {"type": "string", "enum": list(threads.SORTS), "default": "hot"}, "Order."),
    param("t", {"type": "string", "enum": list(threads.WINDOWS), "default": "all"},
           "Time window for `top` and `controversial`."),
    param("kind", {"type": "string", "enum": [k.value for k in ThreadKind]}, "Only this kind."),
    param("status", {"type": "string", "enum": [s.value for s in TheoryStatus]},
           "Only theories with this status."),
    param("tag", {"type": "string"}, "Only threads with this tag."),
    LIMIT,
    CURSOR,
    REVEAL,
]  # fmt: skip
REPLY_QUERY = [
    param("sort", {"type": "string", "enum": list(replies.REPLY_SORTS), "default": "best"},
           "Order of siblings at every level."),
    LIMIT,
    CURSOR,
]  # fmt: skip


TEXT = text("Markdown, 1–40,000 characters, not only spaces.", minLength=1,
             maxLength=threads.MAX_BODY)  # fmt: skip
TITLE = text("3–200 characters after trimming. Spoiler-free: everyone sees it.", minLength=3)
SPOILER_TITLE = text(
    "The full title, spoilers allowed (3–200 characters after trimming; empty: none), sent "
    "only to viewers who may read the film's spoilers. Only for a spoiler-flagged thread.",
    nullable=True,
    maxLength=200,
)
USERNAME = text("3–30 of A-Za-z0-9_- (after trimming), unique whatever the case.", minLength=3)
PASSWORD = text("At least 10 characters, not a common password.",
                 minLength=accounts.MIN_PASSWORD, maxLength=accounts.MAX_PASSWORD)  # fmt: skip
EMAIL = text("An e-mail address (syntax checked only).")
TAGS = {"type": ["array", "null"], "items": {"type": "string"},
        "description": "Up to 5 distinct tags of lowercase letters, digits and - (a leading "
        "# is dropped, case is folded)."}  # fmt: skip
REVISIONS = list_of("revisions", "Revision")
TOKEN = {"type": "object", "required": ["token", "user"], "additionalProperties": False,
         "properties": {"token": {"type": "string"}, "user": ref("User")}}  # fmt: skip

SEARCH_QUERY = [
    {**param("q", {"type": "string", "minLength": 1},
             'The words (1–200 characters): every word must match, in any form; "quoted '
             'phrases", -word to leave a word out, `or` between alternatives.'),
     "required": True},
    param("film", {"type": "string"}, "Only in this film's board (a slug)."),
    param("kind", {"type": "string", "enum": [k.value for k in ThreadKind]},
           "Only threads of this kind, and replies in them."),
    LIMIT,
    CURSOR,
]  # fmt: skip
HIT = {"type": "object", "additionalProperties": False,
       "required": ["type", "thread", "post", "snippet"],
       "properties": {"type": {"type": "string", "enum": ["thread", "post"]},
                      "thread": ref("Thread"), "post": {"oneOf": [ref("Post"), {"type": "null"}]},
                      "snippet": {"type": "string"}}}  # fmt: skip
SEARCH = {"type": "object", "additionalProperties": False, "required": ["results", "next_cursor"],
          "properties": {"results": {"type": "array", "items": HIT},
                         "next_cursor": {"type": ["string", "null"]}}}  # fmt: skip

VOTE = json_body({"value": {"type": "integer", "enum": list(votes.VALUES)}}, ["value"])

OPERATIONS: dict[str, dict] = {
    "POST /users": op(
        "Register an account.",
        (
            201,
            {
                "type": "object",
                "required": ["user"],
                "properties": {"user": ref("User")},
                "additionalProperties": False,
            },
        ),
        (409, 429),
        body=json_body(
            {
                "username": USERNAME,
                "email": EMAIL,
                "password": PASSWORD,
            },
            ["username", "email", "password"],
        ),
    ),
    "POST /tokens": op(
        "Log in: a new bearer token (401 whether the user is unknown or the password wrong).",
        (201, TOKEN),
        (429,),
        body=json_body(
            {"username": {"type": "string"}, "password": {"type": "string"}},
            ["username", "password"],
        ),
    ),
    "DELETE /tokens/current": op("Revoke the token of this call.", (204, None), (), auth=True),
    "GET /me": op("The authenticated user.", (200, ref("User")), (), auth=True),
    "GET /me/seen": op(
        "The films you marked seen (their spoilers are open to you).",
        (200, list_of("films", "FilmSummary")),
        (),
        auth=True,
    ),
    "PUT /me/seen/{slug}": op(
        "Mark a film seen: its spoilers are then sent to you (idempotent).",
        (204, None),
        (404,),
        auth=True,
    ),
    "DELETE /me/seen/{slug}": op(
        "Take back a seen mark: the film's spoilers are withheld again (idempotent).",
        (204, None),
        (404,),
        auth=True,
    ),
    "GET /users/{username}": op("A user's public profile.", (200, ref("User")), (404,)),
    "GET /universes": op(
        "Universes with their films in timeline order.", (200, list_of("universes", "Universe")), ()
    ),
    "GET /films": op("Every film (board).", (200, list_of("films", "Film")), ()),
    "GET /films/{slug}": op("A film (board).", (200, ref("Film")), (404,)),
    "POST /films": op(
        "Create a film (admins).",
        (201, ref("Film")),
        (403, 409),
        auth=True,
        body=json_body(
            {
                "title": text("1–200 characters after trimming.", minLength=1),
                "year": {"type": "integer", "minimum": 1870, "maximum": 2200},
                "slug": text("Made from the title when absent.", nullable=True),
                "release_date": {"type": ["string", "null"], "format": "date"},
                "universe": text("A universe's slug.", nullable=True),
                "timeline_order": {"type": ["integer", "null"], "minimum": -1000, "maximum": 1000},
                "synopsis": {"type": ["string", "null"], "maxLength": films.MAX_SYNOPSIS},
                "spoiler_window_days": {
                    "type": ["integer", "null"],
                    "minimum": films.SPOILER_WINDOW_RANGE.start,
                    "maximum": films.SPOILER_WINDOW_RANGE.stop - 1,
                    "description": "Threads started within this many days of the release date "
                    "are spoiler-flagged by default (30 when absent).",
                },
            },
            ["title", "year"],
        ),
    ),
    "GET /films/{slug}/threads": op(
        "A page of a board's live threads (pinned first on the first page of `hot`).",
        (200, list_of("threads", "Thread", paginated=True)),
        (404, 422),
        query=BOARD_QUERY,
    ),
    "POST /films/{slug}/threads": op(
        "Start a thread.",
        (201, ref("Thread")),
        (403, 404, 429),
        auth=True,
        body=json_body(
            {
                "title": TITLE,
                "body": TEXT,
                "kind": {"type": "string", "enum": [k.value for k in ThreadKind]},
                "spoiler": {
                    "type": ["boolean", "null"],
                    "description": "Absent or null: true when the thread starts within the "
                    "film's spoiler window (`spoiler_window_days` after its release date).",
                },
                "spoiler_title": SPOILER_TITLE,
                "tags": TAGS,
            },
            ["title", "body", "kind"],
        ),
    ),
    "GET /threads/{thread_id}": op(
        "A thread (withheld: no body or full title, if spoiler-flagged and you may not read "
        "its film's spoilers).",
        (200, ref("Thread")),
        (404, 422),
        query=[REVEAL],
    ),
    "PATCH /threads/{thread_id}": op(
        "Edit a thread (the earlier text is kept as a revision).",
        (200, ref("Thread")),
        (403, 404, 423),
        auth=True,
        body=json_body(
            {
                "title": {**TITLE, "type": ["string", "null"]},
                "body": {**TEXT, "type": ["string", "null"]},
                "spoiler_title": {
                    **SPOILER_TITLE,
                    "description": "The full title; an empty string removes it.",
                },
            },
            [],
        ),
    ),
    "DELETE /threads/{thread_id}": op(
        "Delete your thread (soft).", (204, None), (403, 404), auth=True
    ),
    "GET /threads/{thread_id}/revisions": op(
        "A thread's earlier versions, oldest first.", (200, REVISIONS), (404,)
    ),
    "GET /threads/{thread_id}/posts": op(
        "A page of the reply tree, parents before their children.",
        (200, list_of("posts", "Post", paginated=True)),
        (404, 422),
        query=REPLY_QUERY,
    ),
    "POST /threads/{thread_id}/posts": op(
        "Reply to the thread or to one of its replies.",
        (201, ref("Post")),
        (403, 404, 423, 429),
        auth=True,
        body=json_body(
            {"body": TEXT, "parent_id": {"type": ["integer", "null"], "minimum": 1}}, ["body"]
        ),
    ),
    "PATCH /posts/{post_id}": op(
        "Edit a reply (the earlier text is kept as a revision).",
        (200, ref("Post")),
        (403, 404, 423),
        auth=True,
        body=json_body({"body": TEXT}, ["body"]),
    ),
    "DELETE /posts/{post_id}": op(
        "Delete your reply (soft: it stays in the tree).", (204, None), (403, 404), auth=True
    ),
    "GET /posts/{post_id}/revisions": op(
        "A reply's earlier versions, oldest first.", (200, REVISIONS), (404,)
    ),
    "POST /threads/{thread_id}/vote": op(
        "Vote on a thread: 1 up, -1 down, 0 takes the vote back (the same vote twice counts once).",
        (200, ref("Vote")),
        (403, 404, 429),
        auth=True,
        body=VOTE,
    ),
    "POST /posts/{post_id}/vote": op(
        "Vote on a reply: 1 up, -1 down, 0 takes the vote back.",
        (200, ref("Vote")),
        (403, 404, 429),
        auth=True,
        body=VOTE,
    ),
    "GET /search": op(
        "Live threads and replies matching the words (full-text), newest first.",
        (200, SEARCH),
        (404, 422),
        query=SEARCH_QUERY,
    ),
    "GET /openapi.json": op("This document.", (200, {"type": "object"}), ()),
}
