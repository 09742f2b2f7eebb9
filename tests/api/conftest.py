"""API test helpers: a bearer token for a user, and the error shape API.md promises."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from forum.extensions import db
from forum.models import User
from forum.services import tokens


@pytest.fixture
def bearer(app: Flask) -> Callable[[User], dict[str, str]]:
    """`bearer(user)` → the Authorization header of a fresh token for that user."""

    def make(user: User) -> dict[str, str]:
        with app.app_context():
            token = tokens.issue_token(db.session.get(User, user.id))
        return {"Authorization": f"Bearer {token}"}

    return make


def error_of(response) -> dict:
    """The `error` object of an API error response, checking its shape."""
    assert response.is_json, response.data[:200]
    body = response.get_json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"]) <= {"code", "message", "fields"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
