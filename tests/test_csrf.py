"""Every form is protected against cross-site request forgery."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    "url",
    ["/signup", "/login", "/logout", "/account/password", "/films/f/threads/new",
     "/threads/1/replies", "/threads/1/edit", "/threads/1/delete", "/posts/1/edit",
     "/posts/1/delete", "/admin/films/new", "/admin/universes/new", "/theme"],
)  # fmt: skip
def test_a_post_without_the_csrf_token_is_refused_with_a_clear_page(csrf_app, url):
    response = csrf_app.test_client().post(url, data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert "Your form expired or came from elsewhere" in response.text


def test_the_sign_up_form_carries_a_token_that_is_accepted(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/signup").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', page)
    response = client.post(
        "/signup",
        data={"csrf_token": token, "username": "eve_fan", "email": "eve@example.com",
              "password": "the-coin-is-a-contract"},
    )  # fmt: skip
    assert response.status_code == 302
