"""The API's operations (everything but moderation), keyed "METHOD /path" as routed.
Enumerations come from the services' own constants."""

from __future__ import annotations

from forum.api.films import DATE_PATTERN, SLUG_PATTERN
from forum.api.openapi_parts import (
    CURSOR,
    LIMIT,
    MAX_ID,
    REVEAL,
    json_body,
    list_of,
    op,
    param,
    text,
    trimmed_text,
)
from forum.api.parsing import NOT_BLANK_PATTERN, SPACE, trimmed_pattern
from forum.api.schemas_doc import ref
from forum.api.threads import MAX_TAGS, TAG_PATTERN
from forum.models import TheoryStatus, ThreadKind
from forum.services import accounts, films, replies, search, threads, tokens, votes

BOARD_QUERY = [
    param("sort", {"type": "string", "enum": list(threads.SORTS), "default": "hot"}, "Order."),
    param(
        "t",
        {"type": "string", "enum": list(threads.WINDOWS), "default": "all"},
        "Time window for `top` and `controversial`.",
    ),
    param("kind", {"type": "string", "enum": [k.value for k in ThreadKind]}, "Only this kind."),
    param(
        "status",
        {"type": "string", "enum": [s.value for s in TheoryStatus]},
        "Only theories with this status.",
    ),
    param("tag", {"type": "string"}, "Only threads with this tag."),
    LIMIT,
    CURSOR,
    REVEAL,
]
REPLY_QUERY = [
    param(
        "sort",
        {"type": "string", "enum": list(replies.REPLY_SORTS), "default": "best"},
        "Order of siblings at every level.",
    ),
    LIMIT,
    CURSOR,
]


TEXT = text(
    f"Markdown, 1–{threads.MAX_BODY:,} characters, not only spaces.",
    pattern=NOT_BLANK_PATTERN,
    minLength=1,
    maxLength=threads.MAX_BODY,
)
TITLE = trimmed_text(
    "3–200 characters, trimmed. Spoiler-free: everyone sees it.", 3, threads.MAX_TITLE
)
SPOILER_TITLE = text(
    "The full title, spoilers allowed (3–200 characters once trimmed; empty: none), sent "
    "only to viewers who may read the film's spoilers. Only for a spoiler-flagged thread.",
    nullable=True,
    pattern=f"^[{SPACE}]*$|{trimmed_pattern(3)}",
    maxLength=threads.MAX_TITLE,
)
USERNAME = text(
    "3–30 of A-Za-z0-9_- (white space around them is trimmed), unique whatever the case.",
    pattern=f"^[{SPACE}]*[A-Za-z0-9_-]{{3,30}}[{SPACE}]*$",
)
PASSWORD = text(
    "10–200 characters, not a common password (422 if it is too easy to guess).",
    minLength=accounts.MIN_PASSWORD,
    maxLength=accounts.MAX_PASSWORD,
)
EMAIL = {
    **text("An e-mail address (syntax checked only; trimmed).", maxLength=254),
    "format": "email",
}
TAGS = {
    "type": ["array", "null"],
    "maxItems": MAX_TAGS,
    "items": {"type": "string", "pattern": TAG_PATTERN},
    "description": f"Up to {MAX_TAGS} tags of letters, digits, spaces, - and _, normalized: "
    "a leading # is dropped, case is folded, accents are dropped, spaces and _ become -, "
    "repeated - collapse (`Ruska Roma` and `ruska_roma` are `ruska-roma`); blank ones and "
    "repeats are dropped. A tag merged into another becomes that one.",
}
REVISIONS = list_of("revisions", "Revision")
TOKEN = {
    "type": "object",
    "required": ["token", "user"],
    "additionalProperties": False,
    "properties": {"token": {"type": "string"}, "user": ref("User")},
}

SEARCH_QUERY = [
    {
        **param(
            "q",
            {"type": "string", "pattern": trimmed_pattern(1), "maxLength": search.MAX_QUERY},
            'The words (1–200 characters): every word must match, in any form; "quoted '
            'phrases", -word to leave a word out, `or` between alternatives.',
        ),
        "required": True,
    },
    param("film", {"type": "string"}, "Only in this film's board (a slug)."),
    param(
        "kind",
        {"type": "string", "enum": [k.value for k in ThreadKind]},
        "Only threads of this kind, and replies in them.",
    ),
    param(
        "sort",
        {"type": "string", "enum": list(search.SORTS), "default": "new"},
        "`new`: newest first; `relevance`: best match first (ts_rank on PostgreSQL, bm25 on "
        f"SQLite), among the {search.RANKED:,} newest matching threads and replies of each kind.",
    ),
    LIMIT,
    CURSOR,
]
HIT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "thread", "post", "snippet"],
    "properties": {
        "type": {"type": "string", "enum": ["thread", "post"]},
        "thread": ref("Thread"),
        "post": {"oneOf": [ref("Post"), {"type": "null"}]},
        "snippet": {"type": "string"},
    },
}
SEARCH = {
    "type": "object",
    "additionalProperties": False,
    "required": ["results", "next_cursor"],
    "properties": {
        "results": {"type": "array", "items": HIT},
        "next_cursor": {"type": ["string", "null"]},
    },
}

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
            {
                "username": text("Your username."),
                "password": text("Your password."),
                "expires_in_days": {
                    "type": ["integer", "null"],
                    "minimum": 1,
                    "maximum": tokens.MAX_EXPIRY_DAYS,
                    "description": "The token stops working after this many days; leave it "
                    "out for a token that lasts until revoked or until the password changes.",
                },
            },
            ["username", "password"],
        ),
    ),
    "DELETE /tokens/current": op("Revoke the token of this call.", (204, None), (), auth=True),
    "GET /tokens": op(
        "The caller's live API tokens, newest first (never the secrets).",
        (200, list_of("tokens", "Token")),
        (),
        auth=True,
    ),
    "DELETE /tokens/{token_id}": op(
        "Revoke one of the caller's tokens.", (204, None), (404,), auth=True
    ),
    "DELETE /tokens": op("Revoke every token of the caller.", (204, None), (), auth=True),
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
        (403, 404, 409),
        auth=True,
        body=json_body(
            {
                "title": trimmed_text("1–200 characters, trimmed.", 1, films.MAX_TITLE),
                "year": {"type": "integer", "minimum": 1870, "maximum": 2200},
                "slug": text(
                    "With at least one letter or digit; lowercased, other characters "
                    "become -. Made from the title when absent (`film` for a title "
                    "without letters or digits).",
                    nullable=True,
                    pattern=SLUG_PATTERN,
                ),
                "release_date": {
                    "type": ["string", "null"],
                    "format": "date",
                    "pattern": DATE_PATTERN,
                    "description": "YYYY-MM-DD.",
                },
                "universe": text("A universe's slug (404 if there is none).", nullable=True),
                "timeline_order": {"type": ["integer", "null"], "minimum": -1000, "maximum": 1000},
                "synopsis": text(
                    "At most 5,000 characters.", nullable=True, maxLength=films.MAX_SYNOPSIS
                ),
                "runtime_minutes": {
                    "type": ["integer", "null"],
                    "minimum": films.RUNTIME_RANGE.start,
                    "maximum": films.RUNTIME_RANGE.stop - 1,
                    "description": "The film's length: a scene timestamp past it stays plain "
                    "text. Absent: not known.",
                },
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
        "Edit a thread (the earlier text is kept as a revision; counts against the thread limit).",
        (200, ref("Thread")),
        (403, 404, 423, 429),
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
        "A thread's earlier versions, oldest first.", (200, REVISIONS), (404, 422), query=[REVEAL]
    ),
    "GET /threads/{thread_id}/posts": op(
        "A page of the reply tree, parents before their children: `limit` top-level replies"
        " (or, with `parent_id`, replies directly under that reply) in the sort"
        " (`next_cursor` continues them), each with the first 3 replies under it and the first"
        " 2 under each of those; each reply's `more_replies` counts the replies under it that"
        " the page leaves out.",
        (200, list_of("posts", "Post", paginated=True)),
        (404, 422),
        query=[
            *REPLY_QUERY,
            param(
                "parent_id",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                "Page the replies under this reply of the thread instead of the top level.",
            ),
            REVEAL,
        ],
    ),
    "POST /threads/{thread_id}/posts": op(
        "Reply to the thread or to one of its replies.",
        (201, ref("Post")),
        (403, 404, 423, 429),
        auth=True,
        body=json_body(
            {
                "body": TEXT,
                "parent_id": {
                    "type": ["integer", "null"],
                    "minimum": 1,
                    "maximum": MAX_ID,
                    "description": "The reply answered (404 if not in this thread).",
                },
            },
            ["body"],
        ),
    ),
    "PATCH /posts/{post_id}": op(
        "Edit a reply (the earlier text is kept as a revision; counts against the reply limit).",
        (200, ref("Post")),
        (403, 404, 423, 429),
        auth=True,
        body=json_body({"body": TEXT}, ["body"]),
    ),
    "DELETE /posts/{post_id}": op(
        "Delete your reply (soft: it stays in the tree).", (204, None), (403, 404), auth=True
    ),
    "GET /posts/{post_id}/revisions": op(
        "A reply's earlier versions, oldest first.", (200, REVISIONS), (404, 422), query=[REVEAL]
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
        "Live threads and replies matching the words (full-text), newest or best match first; "
        "spoilers are "
        "never matched (a spoiler-flagged thread by its title only). Rate limited.",
        (200, SEARCH),
        (404, 422, 429),
        query=[*SEARCH_QUERY, REVEAL],
    ),
    "GET /openapi.json": op("This document.", (200, {"type": "object"}), ()),
}
