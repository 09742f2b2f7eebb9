"""Pieces of the OpenAPI document shared by the operation tables: parameters, bodies,
responses, the error statuses and the security requirements."""

from __future__ import annotations

import re
from typing import Any

from forum.api.parsing import DEFAULT_LIMIT, MAX_LIMIT, TEXT_PATTERN, trimmed_pattern
from forum.api.schemas_doc import ref

MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL: larger ones name nothing (404)
BEARER = [{"bearerAuth": []}, {"cookieAuth": []}]
OPTIONAL_AUTH = [{}, *BEARER]
PARAM_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

ERRORS = {
    400: "Malformed JSON, wrong types, a bad cursor, or (cookie calls) a missing CSRF token.",
    401: "No or bad credentials where they are needed.",
    403: "Authenticated but not allowed (role, ban, own content).",
    404: "No such thing, or hidden from this viewer.",
    409: "Taken or duplicate.",
    413: "The request body is over 64 KiB.",
    422: "Fields fail validation: `fields` says which.",
    423: "The thread is locked.",
    429: "Over a rate limit: `Retry-After` says how many seconds to wait.",
}


def param(name: str, schema: dict, description: str) -> dict:
    """A query parameter. A string one is never empty (`?name=` is refused: leave it out)
    and, like every query parameter, holds no control characters (TEXT_PATTERN)."""
    if schema.get("type") == "string" and "enum" not in schema:
        schema = {"minLength": 1, "pattern": TEXT_PATTERN, **schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


LIMIT = param(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    "Page size.",
)
CURSOR = param(
    "cursor",
    {"type": "string"},
    "The previous page's `next_cursor` (a cursor that is not one of ours is 400).",
)


def json_body(properties: dict, required: list[str]) -> dict:
    """A JSON object body. Constraints here are never stricter than the services (which
    trim, lowercase and deduplicate first); the rest of each rule is in `description`."""
    schema = {"type": "object", "properties": properties, "required": required}
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


def text(
    description: str, nullable: bool = False, pattern: str = TEXT_PATTERN, **limits: int
) -> dict:
    """A string field: no control characters (the server refuses them with 400), and
    whatever `pattern` and length limits the services enforce."""
    return {
        "type": ["string", "null"] if nullable else "string",
        "pattern": pattern,
        **limits,
        "description": description,
    }


def trimmed_text(description: str, low: int, high: int, nullable: bool = False) -> dict:
    """Text the services trim, then count: at least `low` characters once trimmed, at most
    `high` as sent (the view's Field(max_length=high) refuses more)."""
    return text(description, nullable, trimmed_pattern(low), maxLength=high)


def op(
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
    operation = {
        "summary": summary,
        "security": BEARER if auth else OPTIONAL_AUTH,
        "parameters": query or [],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = body
    return operation


def ref_response(code: int) -> dict:
    content = {"application/json": {"schema": ref("Error")}}
    response: dict[str, Any] = {"description": ERRORS[code], "content": content}
    if code == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if code == 429:
        response["headers"] = {"Retry-After": {"schema": {"type": "string"}, "required": True}}
    return response


def list_of(key: str, item: str, paginated: bool = False) -> dict:
    properties: dict[str, Any] = {key: {"type": "array", "items": ref(item)}}
    if paginated:
        properties["next_cursor"] = {"type": ["string", "null"]}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


REVEAL = param(
    "reveal",
    {"type": "string", "enum": ["spoilers"]},
    "Consent to spoilers for this one request: spoiler-flagged threads are not "
    "withheld, inline spoilers are sent in full and `spoiler_title` is sent.",
)
