"""The API's own description."""

from __future__ import annotations

from flask import current_app

from forum.api import bp
from forum.api.openapi import document


@bp.get("/openapi.json")
def openapi():
    return document(current_app)
