"""The OpenAPI 3.1 document, generated from the routes so it cannot drift: every route
under /api/v1 must have an entry in OPERATIONS (building the document fails otherwise)
and every entry a route (tests/test_api_openapi.py checks both ways). Enumerations come
from the services' own constants."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from forum.api.parsing import DEFAULT_LIMIT, MAX_LIMIT
from forum.api.schemas_doc import COMPONENTS, ref
from forum.models import TheoryStatus, ThreadKind
from forum.services import accounts, films, replies, threads, votes

MAX_ID = 2**31 - 1
BEARER = [{"bearerAuth": []}, {"cookieAuth": []}]
OPTIONAL_AUTH = [{}, *BEARER]
_PARAM_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

ERRORS = {
    400: "Malformed JSON, wrong types, a bad cursor, or (cookie calls) a missing CSRF token.",
    401: "No or bad credentials where they are needed.",
    403: "Authenticated but not allowed (role, ban, own content).",
    404: "No such thing, or hidden from this viewer.",
    409: "Taken or duplicate.",
    413: "The request body is over 64 KiB.",
    422: "Fields fail validation: `fields` says which.",
    423: "The thread is locked.",
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


LIMIT = _query(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    "Page size.",
)
CURSOR = _query("cursor", {"type": "string"}, "The previous page's `next_cursor`.")
BOARD_QUERY = [
    _query("sort", {"type": "string", "enum": list(threads.SORTS), "default": "hot"}, "Order."),
    _query("t", {"type": "string", "enum": list(threads.WINDOWS), "default": "all"},
           "Time window for `top` and `controversial`."),
    _query("kind", {"type": "string", "enum": [k.value for k in ThreadKind]}, "Only this kind."),
    _query("status", {"type": "string", "enum": [s.value for s in TheoryStatus]},
           "Only theories with this status."),
    _query("tag", {"type": "string"}, "Only threads with this tag."),
    LIMIT,
    CURSOR,
]  # fmt: skip
REPLY_QUERY = [
    _query("sort", {"type": "string", "enum": list(replies.REPLY_SORTS), "default": "best"},
           "Order of siblings at every level."),
    LIMIT,
    CURSOR,
]  # fmt: skip


def _body(properties: dict, required: list[str]) -> dict:
    """A JSON object body. Constraints here are never stricter than the services (which
    trim, lowercase and deduplicate first); the rest of each rule is in `description`."""
    schema = {"type": "object", "properties": properties, "required": required}
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


def _text(description: str, nullable: bool = False, **limits: int) -> dict:
    return {"type": ["string", "null"] if nullable else "string", **limits,
            "description": description}  # fmt: skip


def _op(
    summary: str,
    ok: tuple[int, dict | None],
    errors: tuple[int, ...],
    *,
    auth: bool = False,
    body: dict | None = None,
    query: list | None = None,
) -> dict:
    status, schema = ok
    success: dict[str, Any] = {"description": summary}
    if schema is not None:
        success["content"] = {"application/json": {"schema": schema}}
    codes = {400, 401, *errors} | ({413, 422} if body else set())
    responses = {str(status): success} | {str(c): ref_response(c) for c in sorted(codes)}
    operation = {"summary": summary, "security": BEARER if auth else OPTIONAL_AUTH,
                 "parameters": query or [], "responses": responses}  # fmt: skip
    if body is not None:
        operation["requestBody"] = body
    return operation


def ref_response(code: int) -> dict:
    content = {"application/json": {"schema": ref("Error")}}
    response: dict[str, Any] = {"description": ERRORS[code], "content": content}
    if code == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return response


def _list(key: str, item: str, paginated: bool = False) -> dict:
    properties: dict[str, Any] = {key: {"type": "array", "items": ref(item)}}
    if paginated:
        properties["next_cursor"] = {"type": ["string", "null"]}
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}  # fmt: skip


TEXT = _text("Markdown, 1–40,000 characters, not only spaces.", minLength=1,
             maxLength=threads.MAX_BODY)  # fmt: skip
TITLE = _text("3–200 characters after trimming.", minLength=3)
USERNAME = _text("3–30 of A-Za-z0-9_- (after trimming), unique whatever the case.", minLength=3)
PASSWORD = _text("At least 10 characters, not a common password.",
                 minLength=accounts.MIN_PASSWORD, maxLength=accounts.MAX_PASSWORD)  # fmt: skip
EMAIL = _text("An e-mail address (syntax checked only).")
TAGS = {"type": ["array", "null"], "items": {"type": "string"},
        "description": "Up to 5 distinct tags of lowercase letters, digits and - (a leading "
        "# is dropped, case is folded)."}  # fmt: skip
REVISIONS = _list("revisions", "Revision")
TOKEN = {"type": "object", "required": ["token", "user"], "additionalProperties": False,
         "properties": {"token": {"type": "string"}, "user": ref("User")}}  # fmt: skip

SEARCH_QUERY = [
    {**_query("q", {"type": "string", "minLength": 1}, "The words (1–200 characters)."),
     "required": True},
    _query("film", {"type": "string"}, "Only in this film's board (a slug)."),
    _query("kind", {"type": "string", "enum": [k.value for k in ThreadKind]},
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

VOTE = _body({"value": {"type": "integer", "enum": list(votes.VALUES)}}, ["value"])

OPERATIONS: dict[str, dict] = {
    "POST /users": _op(
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
        (409,),
        body=_body(
            {
                "username": USERNAME,
                "email": EMAIL,
                "password": PASSWORD,
            },
            ["username", "email", "password"],
        ),
    ),  # fmt: skip
    "POST /tokens": _op(
        "Log in: a new bearer token (401 whether the user is unknown or the password wrong).",
        (201, TOKEN),
        (),
        body=_body(
            {"username": {"type": "string"}, "password": {"type": "string"}},
            ["username", "password"],
        ),
    ),  # fmt: skip
    "DELETE /tokens/current": _op("Revoke the token of this call.", (204, None), (), auth=True),
    "GET /me": _op("The authenticated user.", (200, ref("User")), (), auth=True),
    "GET /users/{username}": _op("A user's public profile.", (200, ref("User")), (404,)),
    "GET /universes": _op(
        "Universes with their films in timeline order.", (200, _list("universes", "Universe")), ()
    ),
    "GET /films": _op("Every film (board).", (200, _list("films", "Film")), ()),
    "GET /films/{slug}": _op("A film (board).", (200, ref("Film")), (404,)),
    "POST /films": _op(
        "Create a film (admins).",
        (201, ref("Film")),
        (403, 409),
        auth=True,
        body=_body(
            {
                "title": _text("1–200 characters after trimming.", minLength=1),
                "year": {"type": "integer", "minimum": 1870, "maximum": 2200},
                "slug": _text("Made from the title when absent.", nullable=True),
                "release_date": {"type": ["string", "null"], "format": "date"},
                "universe": _text("A universe's slug.", nullable=True),
                "timeline_order": {"type": ["integer", "null"], "minimum": -1000, "maximum": 1000},
                "synopsis": {"type": ["string", "null"], "maxLength": films.MAX_SYNOPSIS},
            },
            ["title", "year"],
        ),
    ),  # fmt: skip
    "GET /films/{slug}/threads": _op(
        "A page of a board's live threads (pinned first on the first page of `hot`).",
        (200, _list("threads", "Thread", paginated=True)),
        (404, 422),
        query=BOARD_QUERY,
    ),  # fmt: skip
    "POST /films/{slug}/threads": _op(
        "Start a thread.",
        (201, ref("Thread")),
        (403, 404),
        auth=True,
        body=_body(
            {
                "title": TITLE,
                "body": TEXT,
                "kind": {"type": "string", "enum": [k.value for k in ThreadKind]},
                "spoiler": {"type": ["boolean", "null"]},
                "tags": TAGS,
            },
            ["title", "body", "kind"],
        ),
    ),  # fmt: skip
    "GET /threads/{thread_id}": _op("A thread.", (200, ref("Thread")), (404,)),
    "PATCH /threads/{thread_id}": _op(
        "Edit a thread (the earlier text is kept as a revision).",
        (200, ref("Thread")),
        (403, 404, 423),
        auth=True,
        body=_body(
            {
                "title": {**TITLE, "type": ["string", "null"]},
                "body": {**TEXT, "type": ["string", "null"]},
            },
            [],
        ),
    ),  # fmt: skip
    "DELETE /threads/{thread_id}": _op(
        "Delete your thread (soft).", (204, None), (403, 404), auth=True
    ),
    "GET /threads/{thread_id}/revisions": _op(
        "A thread's earlier versions, oldest first.", (200, REVISIONS), (404,)
    ),
    "GET /threads/{thread_id}/posts": _op(
        "A page of the reply tree, parents before their children.",
        (200, _list("posts", "Post", paginated=True)),
        (404, 422),
        query=REPLY_QUERY,
    ),  # fmt: skip
    "POST /threads/{thread_id}/posts": _op(
        "Reply to the thread or to one of its replies.",
        (201, ref("Post")),
        (403, 404, 423),
        auth=True,
        body=_body(
            {"body": TEXT, "parent_id": {"type": ["integer", "null"], "minimum": 1}}, ["body"]
        ),
    ),  # fmt: skip
    "PATCH /posts/{post_id}": _op(
        "Edit a reply (the earlier text is kept as a revision).",
        (200, ref("Post")),
        (403, 404, 423),
        auth=True,
        body=_body({"body": TEXT}, ["body"]),
    ),  # fmt: skip
    "DELETE /posts/{post_id}": _op(
        "Delete your reply (soft: it stays in the tree).", (204, None), (403, 404), auth=True
    ),
    "GET /posts/{post_id}/revisions": _op(
        "A reply's earlier versions, oldest first.", (200, REVISIONS), (404,)
    ),
    "POST /threads/{thread_id}/vote": _op(
        "Vote on a thread: 1 up, -1 down, 0 takes the vote back (the same vote twice counts once).",
        (200, ref("Vote")),
        (403, 404),
        auth=True,
        body=VOTE,
    ),
    "POST /posts/{post_id}/vote": _op(
        "Vote on a reply: 1 up, -1 down, 0 takes the vote back.",
        (200, ref("Vote")),
        (403, 404),
        auth=True,
        body=VOTE,
    ),
    "GET /search": _op(
        "Live threads and replies containing the words, newest first.",
        (200, SEARCH),
        (404, 422),
        query=SEARCH_QUERY,
    ),
    "GET /openapi.json": _op("This document.", (200, {"type": "object"}), ()),
}


def api_routes(app: Flask) -> list[tuple[str, str, Rule]]:
    """(method, path as in OPERATIONS, rule) for every route of the API blueprint."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = _PARAM_RE.sub(r"{\2}", rule.rule).removeprefix("/api/v1")
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((method, path, rule))
    return found


def document(app: Flask) -> dict:
    paths: dict[str, dict] = {}
    for method, path, rule in api_routes(app):
        operation = dict(OPERATIONS[f"{method} {path}"])
        action = (rule.defaults or {}).get("action")  # one view serving several paths
        operation["operationId"] = rule.endpoint.removeprefix("api.") + (
            f"_{action}" if action else ""
        )
        operation["parameters"] = _path_params(rule) + operation["parameters"]
        paths.setdefault(f"/api/v1{path}", {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Subtext API", "version": "1",
                 "description": "See API.md. Authenticate with `Authorization: Bearer <token>` "
                 "from POST /api/v1/tokens; a browser session cookie also works, and then "
                 "state-changing calls need the page's CSRF token in `X-CSRFToken`."},
        "paths": paths,
        "components": COMPONENTS,
    }  # fmt: skip


def _path_params(rule: Rule) -> list[dict]:
    params = []
    for converter, name in _PARAM_RE.findall(rule.rule):
        schema = ({"type": "integer", "minimum": 1, "maximum": MAX_ID} if converter == "id"
                  else {"type": "string", "minLength": 1})  # fmt: skip
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params
