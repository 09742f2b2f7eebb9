"""The served OpenAPI document describes exactly the routes that exist, and no more."""

from __future__ import annotations

import json
import re

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
    }  # fmt: skip
    assert set(schemas["Revision"]["required"]) == {"id", "body", "title", "created_at", "editor"}
