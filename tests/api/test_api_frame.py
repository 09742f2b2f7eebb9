"""The frame every endpoint shares: JSON errors, body parsing, limits, converters."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_of

GOOD_SIGNUP = {"username": "rooney", "email": "rooney@example.com",
               "password": "a-long-test-passphrase"}  # fmt: skip


def test_unknown_api_path_is_a_json_404_but_site_pages_stay_html(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_wrong_method_is_a_json_405_with_allow(client):
    response = client.put("/api/v1/films")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_body_over_64_kib_is_413(client):
    body = '{"username": "' + "x" * 70_000 + '"}'
    response = client.post("/api/v1/users", data=body, content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "{'single': 'quotes'}",
        '{"username": "rooney",',
        "[1, 2, 3]",
        '"a string"',
        "42",
        "null",
        "[" * 5000 + "]" * 5000,
        " ",
        "\n\t ",
    ],
)
def test_a_body_that_is_not_a_json_object_is_400(client, raw):
    response = client.post("/api/v1/users", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_a_patch_whose_body_is_only_whitespace_is_400_not_an_empty_edit(
    client, make_thread, make_user, login, app
):
    author = make_user()
    thread = make_thread(author=author, title="Mirrors mean lies")
    login(author)
    response = client.patch(f"/api/v1/threads/{thread.id}", data=" ",
                            content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"username": 42}, "username"),
        ({"username": ["rooney"]}, "username"),
        ({"email": {"a": 1}}, "email"),
        ({"password": True}, "password"),
        ({"username": "roo\x00ney"}, "username"),
        ({"username": "\ud800rooney"}, "username"),
    ],
)
def test_wrong_types_are_400_naming_the_field(client, change, field):
    response = client.post("/api/v1/users", json={**GOOD_SIGNUP, **change})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "bad_request" and field in error["fields"]


@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_missing_fields_are_422_naming_them(client, missing):
    body = {k: v for k, v in GOOD_SIGNUP.items() if k != missing}
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and set(error["fields"]) == {missing}


def test_an_empty_body_lists_every_missing_field(client):
    response = client.post("/api/v1/users", data="", content_type="application/json")
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"username", "email", "password"}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/threads/0", "/api/v1/threads/99999999999", "/api/v1/threads/-1",
     "/api/v1/posts/2147483648/revisions", "/api/v1/threads/abc",
     "/api/v1/users/%00", "/api/v1/films/%00", "/api/v1/films/Caf%C3%A9"],
)  # fmt: skip
def test_ids_and_names_that_cannot_exist_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("value", ["a%00b", "a%1Bb", "%7F", "%C2%85", "a%0Bb"])
def test_control_characters_in_a_query_parameter_are_400(client, make_film, value):
    film = make_film()
    response = client.get(f"/api/v1/films/{film.slug}/threads?tag={value}")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize("path", ["/api/v1/search?q=mirrors%00", "/api/v1/modlog?cursor=%07"])
def test_control_characters_are_400_in_search_words_and_cursors_too(client, path):
    assert client.get(path).status_code == 400


def test_tabs_and_line_breaks_are_text_but_other_control_characters_are_not(
    client, make_thread, make_user, bearer
):
    thread, auth = make_thread(), bearer(make_user())
    path = f"/api/v1/threads/{thread.id}/posts"
    ok = client.post(path, json={"body": "Two\tcolumns\r\nand lines"}, headers=auth)
    assert ok.status_code == 201 and ok.get_json()["body"] == "Two\tcolumns\r\nand lines"
    for bad in ("Bell\x07", "Escape\x1b[31m", "Form\x0cfeed", "C1\x85", "Del\x7f"):
        response = client.post(path, json={"body": bad}, headers=auth)
        assert response.status_code == 400, bad
        assert "body" in error_of(response)["fields"]


@pytest.mark.parametrize("path", ["/api/v1/modlog?cursor=", "/api/v1/search?q=a&cursor=",
                                  "/api/v1/search?q=", "/api/v1/films/x/threads?tag="])  # fmt: skip
def test_an_empty_query_parameter_is_422_as_the_document_says(client, make_film, path):
    make_film("x")
    response = client.get(path)
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"


def test_times_are_utc_with_z(client, make_user):
    make_user("rooney")
    created_at = client.get("/api/v1/users/rooney").get_json()["created_at"]
    assert created_at.endswith("Z") and "+" not in created_at


@pytest.mark.parametrize(
    "method, path",
    [("DELETE", "/api/v1/threads/0"), ("PATCH", "/api/v1/posts/007"),
     ("POST", "/api/v1/threads/0/posts"), ("GET", "/api/v2/films"), ("GET", "/api")],
)  # fmt: skip
def test_paths_that_name_nothing_are_json_404_whatever_the_method(client, method, path):
    response = client.open(path, method=method, json={})
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_crash_is_a_json_500_not_an_html_page(client, monkeypatch):
    from forum.services import films

    def broken():
        raise RuntimeError("the projector caught fire")

    monkeypatch.setattr(films, "all_films", broken)
    response = client.get("/api/v1/films")
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert "projector" not in response.get_data(as_text=True)
