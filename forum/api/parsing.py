"""Reading requests: the JSON body, its fields, and the query string.

Wrong JSON or wrong types → 400 `bad_request`; missing required fields → 422 `invalid`
with `fields`. Rules about the world (lengths, enums, taken names) stay in the services."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask import request

from forum.services.errors import BadRequest, Invalid

MAX_LIMIT = 100
DEFAULT_LIMIT = 25
_INT_RE = re.compile(r"[+-]?\d{1,18}")
TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", list: "a list of strings"}


@dataclass(frozen=True)
class Field:
    kind: type  # str, int, bool or list (of strings)
    required: bool = False


def json_body() -> dict[str, Any]:
    """The request's JSON object ({} when there is no body at all; a body of only
    whitespace is not JSON)."""
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise BadRequest("The body is not valid JSON.") from err
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


def read(**spec: Field) -> dict[str, Any]:
    """The named fields of the JSON body; an absent or null optional field is None."""
    data = json_body()
    wrong = {
        name: f"Must be {TYPE_NAMES[f.kind]}."
        for name, f in spec.items()
        if data.get(name) is not None and not _has_type(data[name], f.kind)
    }
    if wrong:
        raise BadRequest("Some fields have the wrong type.", wrong)
    missing = {n: "Required." for n, f in spec.items() if f.required and data.get(n) is None}
    if missing:
        raise Invalid("Some required fields are missing.", missing)
    return {name: _as(spec[name].kind, data.get(name)) for name in spec}


def _as(kind: type, value: Any) -> Any:
    """JSON Schema counts 3.0 as an integer: so do we."""
    return int(value) if kind is int and isinstance(value, float) else value


def _has_type(value: Any, kind: type) -> bool:
    if kind is int:
        if isinstance(value, float):
            return value.is_integer() and abs(value) < 2**63
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, list) and all(_is_text(v) for v in value)
    if kind is str:
        return _is_text(value)
    return isinstance(value, kind)


def _is_text(value: Any) -> bool:
    """A string the database can store: valid UTF-8, no NUL characters."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def query_limit() -> int:
    """`?limit=`: 1..100, default 25. Not a number → 400; out of range → 422."""
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not _INT_RE.fullmatch(raw.strip()):
        raise BadRequest("limit must be an integer.", {"limit": "Must be an integer."})
    limit = int(raw)
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid("limit is out of range.", {"limit": f"From 1 to {MAX_LIMIT}."})
    return limit


def query(name: str, default: str | None = None) -> str | None:
    """A query parameter, or the default when it is absent (given but empty → 422)."""
    value = request.args.get(name)
    if value == "":
        raise Invalid(f"{name} is empty.", {name: "Leave it out or give a value."})
    return default if value is None else value
