"""The served OpenAPI document describes exactly the routes that exist, and no more."""

from __future__ import annotations

import json
import re

import jsonschema_rs
import pytest

from forum.api.openapi import OPERATIONS, api_routes

METHODS = {"get", "post", "put", "patch", "delete"}


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def test_every_api_route_is_documented_and_every_documented_path_exists(app, client):
    routes = {(method.lower(), f"/api/v1{path}") for method, path, _ in api_routes(app)}
    documented = {
        (method, path)
        for path, item in _document(client)["paths"].items()
        for method in item
        if method in METHODS
    }
    assert routes == documented
    assert {f"{m.upper()} {p.removeprefix('/api/v1')}" for m, p in routes} == set(OPERATIONS)


def test_every_route_of_the_app_under_api_belongs_to_the_api(app):
    """A route added under /api/v1 in another blueprint would escape the document."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            assert rule.endpoint.startswith("api."), rule.rule


def test_the_document_is_openapi_3_1_with_full_paths_and_resolvable_refs(client):
    document = _document(client)
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(document)):
        assert ref in schemas
    for path, item in document["paths"].items():
        assert path.startswith("/api/v1/")
        for method, operation in item.items():
            names = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert names == set(re.findall(r"{(\w+)}", path)), (method, path)
            assert any(code.startswith("2") for code in operation["responses"])
            assert "400" in operation["responses"] and "401" in operation["responses"]


def test_objects_in_the_document_have_api_md_field_names(client):
    schemas = _document(client)["components"]["schemas"]
    assert set(schemas["User"]["required"]) == {"id", "username", "role", "karma",
                                                "created_at", "html_url"}  # fmt: skip
    assert set(schemas["Film"]["required"]) == {
        "slug", "title", "year", "release_date", "universe", "timeline_order", "synopsis",
        "thread_count", "spoiler_window_days", "seen", "html_url",
        "runtime_minutes",  # beyond API.md: the README's "The film world"
    }  # fmt: skip
    assert set(schemas["Revision"]["required"]) == {"id", "body", "title", "created_at", "editor"}


def _request_strings(operation: dict):
    """(where, schema) for every string a client sends: parameters and body fields."""
    for parameter in operation["parameters"]:
        yield f"{parameter['in']} {parameter['name']}", parameter["schema"], parameter["in"]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    for name, schema in (body or {"schema": {}})["schema"].get("properties", {}).items():
        yield f"body {name}", schema.get("items", schema), "body"


def _is_string(schema: dict) -> bool:
    kinds = schema.get("type")
    return "string" in (kinds if isinstance(kinds, list) else [kinds])


def test_every_string_a_client_sends_states_what_the_server_refuses(client):
    """Control characters are refused everywhere, so every free-text string carries a
    pattern; a query string is never empty (`?cursor=` is 422). New operations get both
    from the shared pieces (text(), param(), CURSOR) or this fails."""
    for path, item in _document(client)["paths"].items():
        for method, operation in item.items():
            for where, schema, place in _request_strings(operation):
                if not _is_string(schema) or "enum" in schema:
                    continue
                assert "pattern" in schema, (method, path, where)
                assert re.fullmatch(r"\^.*\$", schema["pattern"]), (method, path, where)
                if place in ("query", "path"):
                    assert schema.get("minLength", 0) >= 1, (method, path, where)


def test_every_operation_documents_the_errors_it_can_give(client):
    document = _document(client)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if "{" in path:  # a name or an id that names nothing
                assert "404" in codes, (method, path)
            if "requestBody" in operation:  # over 64 KiB, or fields that fail
                assert {"413", "422"} <= codes, (method, path)
            if any(p["in"] == "query" for p in operation["parameters"]):
                assert "422" in codes, (method, path)  # an empty or out-of-range value
            if operation["security"] and {} not in operation["security"]:
                assert "401" in codes, (method, path)


@pytest.mark.parametrize(
    "path, method, field, accepted, refused",
    [
        ("/api/v1/films/{slug}/threads", "post", "title",
         ["abc", "  abc  ", "a\u3000b c", "x" * 200, " " + "x" * 198 + "\n"],
         ["", "ab", "   ab", "x" * 201, " " + "x" * 200, "a\x07bc", "   "]),
        ("/api/v1/films/{slug}/threads", "post", "body",
         ["x", " \n x", "tab\tand\r\nlines"], ["", " \n\t", "x\x00", "x\x1b"]),
        ("/api/v1/users", "post", "username",
         ["rooney", " rooney ", "a-b_c"], ["ro", "roo ney", "rooney!", "x" * 31]),
        ("/api/v1/films", "post", "release_date",
         ["2027-05-21"], ["", "21/05/2027", "2027-05-21\n", "２０２７-05-21"]),
        ("/api/v1/films", "post", "slug", ["heat", " Heat 2 "], ["", "!!!", "é"]),
        ("/api/v1/threads/{thread_id}/remove", "post", "reason",
         ["spam", "  spam  "], ["", "   ", "x" * 501]),
    ],
)  # fmt: skip
def test_the_document_patterns_say_what_the_server_does(client, path, method, field, accepted,
                                                        refused):  # fmt: skip
    """Spot checks of the patterns as JSON Schema validators read them (jsonschema_rs,
    which schemathesis uses); the schemathesis run checks the server agrees."""
    operation = _document(client)["paths"][path][method]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.validator_for(schema["properties"][field])
    for value in accepted:
        assert validator.is_valid(value), value
    for value in refused:
        assert not validator.is_valid(value), value
