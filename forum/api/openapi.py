"""The OpenAPI 3.1 document, generated from the routes so it cannot drift: every route
under /api/v1 must have an entry in OPERATIONS (building the document fails otherwise)
and every entry a route (tests/api/test_api_openapi.py checks both ways)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Rule

from forum.api import (
    TAG_NAME,
    operations,
    operations_community,
    operations_moderation,
    operations_world,
)
from forum.api.openapi_parts import MAX_ID, PARAM_RE
from forum.api.parsing import TEXT_PATTERN
from forum.api.schemas_doc import COMPONENTS

OPERATIONS: dict[str, dict] = {
    **operations.OPERATIONS,
    **operations_moderation.OPERATIONS,
    **operations_world.OPERATIONS,
    **operations_community.OPERATIONS,
}


def api_routes(app: Flask) -> list[tuple[str, str, Rule]]:
    """(method, path as in OPERATIONS, rule) for every route of the API blueprint."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = PARAM_RE.sub(r"{\2}", rule.rule).removeprefix("/api/v1")
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
        "info": {
            "title": "Subtext API",
            "version": "1",
            "description": "See API.md. Authenticate with `Authorization: Bearer <token>` "
            "from POST /api/v1/tokens; a browser session cookie also works, and then "
            "state-changing calls need the page's CSRF token in `X-CSRFToken`.",
        },
        "paths": paths,
        "components": COMPONENTS,
    }


def _path_params(rule: Rule) -> list[dict]:
    params = []
    for converter, name in PARAM_RE.findall(rule.rule):
        if converter == "id":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        elif converter == "tag":
            schema = {"type": "string", "minLength": 1, "maxLength": 40, "pattern": f"^{TAG_NAME}$"}
        else:
            schema = {"type": "string", "minLength": 1, "pattern": TEXT_PATTERN}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params
