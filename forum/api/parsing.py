"""Reading requests: the JSON body, its fields, and the query string.

Wrong JSON or wrong types → 400 `bad_request`; missing required fields → 422 `invalid`
with `fields`. Rules about the world (lengths, enums, taken names) stay in the services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import request

from forum.services.errors import BadRequest, Invalid
from forum.submitted import parse_json

MAX_LIMIT = 100
DEFAULT_LIMIT = 25
# No text may hold a control character (C0 and C1, tab, line feed and carriage return
# aside; PostgreSQL can't store NUL): refused with 400. The OpenAPI document states the
# same rule as a `pattern` on every string. (A lone surrogate, which is no character at
# all and which JSON Schema can't name, is refused too: it is not UTF-8.)
FORBIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# The white space str.strip() removes, less the control characters refused anyway.
SPACE = r"\t\n\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = f"^[^{FORBIDDEN}]*$"
_FORBIDDEN_RE = re.compile(f"[{FORBIDDEN}]")
_INT_RE = re.compile(r"[+-]?\d{1,18}")
TYPE_NAMES = {
    str: "a string without control characters",
    int: "an integer",
    bool: "true or false",
    list: "a list of strings without control characters",
}


@dataclass(frozen=True)
class Field:
    kind: type  # str, int, bool or list (of strings)
    required: bool = False
    # For rules the services state differently (they clean the value first): the pattern
    # the document gives (for a list: each item's) and why, checked here as written there.
    pattern: str | None = None
    why: str = ""
    max_items: int | None = None
    max_length: int | None = None  # before trimming, as the document's maxLength


def json_body() -> dict[str, Any]:
    """The request's JSON object ({} when there is no body at all; a body of only
    whitespace is not JSON)."""
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413
    if not raw:
        return {}
    try:
        data = parse_json(raw)  # the rate limiter reads the same way (forum/submitted.py)
    except ValueError as err:
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
    unfit = {
        name: f.why or f"At most {f.max_length} characters."
        for name, f in spec.items()
        if data.get(name) is not None and not _fits(data[name], f)
    }
    if unfit:
        raise Invalid("Please fix the marked fields.", unfit)
    return {name: _as(spec[name].kind, data.get(name)) for name in spec}


def _fits(value: Any, field: Field) -> bool:
    """The value meets the field's pattern and item count as the document states them."""
    items = value if isinstance(value, list) else [value]
    if field.max_items is not None and len(items) > field.max_items:
        return False
    if field.max_length is not None and any(len(v) > field.max_length for v in items):
        return False
    return field.pattern is None or all(matches(field.pattern, v) for v in items)


def matches(pattern: str, value: str) -> bool:
    """Whether `value` matches a pattern of the document as JSON Schema validators read it:
    anywhere in the value (re.search), with `$` only at the very end (not before a final
    line feed, as Python's `$` would allow)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.search(pattern, value) is not None


def _as(kind: type, value: Any) -> Any:
    """JSON Schema counts 3.0 as an integer: so do we."""
    return int(value) if kind is int and isinstance(value, float) else value


def is_integer(value: Any) -> bool:
    """An integer as JSON Schema counts them: 3 and 3.0 are, true is not."""
    return _has_type(value, int)


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
    """A string without control characters or lone surrogates (TEXT_PATTERN)."""
    return isinstance(value, str) and not has_forbidden_characters(value)


def has_forbidden_characters(value: str) -> bool:
    if _FORBIDDEN_RE.search(value) is not None:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return False


def trimmed_pattern(low: int) -> str:
    """TEXT_PATTERN for text at least `low` (0, 1 or more) characters long after
    str.strip(): the services trim, then count. (The upper limit is the field's maxLength,
    counted before trimming: the API refuses longer values as they come.)"""
    visible = f"[^{SPACE}{FORBIDDEN}]"
    if low >= 2:
        core = f"{visible}[^{FORBIDDEN}]{{{low - 2},}}{visible}"
    else:
        core = f"{visible}(?:[^{FORBIDDEN}]*{visible})?"
        core = f"(?:{core})?" if low == 0 else core
    return f"^[{SPACE}]*{core}[{SPACE}]*$"


# Text that is not only white space (Markdown bodies: the services refuse blank ones).
NOT_BLANK_PATTERN = f"^[{SPACE}]*[^{SPACE}{FORBIDDEN}][^{FORBIDDEN}]*$"


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
