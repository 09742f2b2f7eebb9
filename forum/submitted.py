"""What a request submitted, read one way for the views and for the rate limiter, so a
limit always counts under the name the view then acts on.

The JSON API reads any body as JSON, whatever its Content-Type (`api/parsing.json_body`);
the site's forms read the form fields, or a JSON body (as Flask-WTF does)."""

from __future__ import annotations

import json
from typing import Any

from flask import request


def parse_json(raw: bytes) -> Any:
    """The JSON document in a body; ValueError when it is not JSON (or nests too deep)."""
    try:
        return json.loads(raw)
    except RecursionError as err:
        raise ValueError("too deeply nested") from err


def field(name: str) -> Any:
    """A field of the request's body as the view answering it reads it; None if absent."""
    if not request.path.startswith("/api/") and request.form:
        return request.form.get(name)
    raw = request.get_data(cache=True)
    try:
        data = parse_json(raw) if raw else None
    except ValueError:
        return None
    return data.get(name) if isinstance(data, dict) else None
