"""The JSON API v1 (API.md): thin views over the same services the web pages use.

One blueprint at /api/v1. Errors on /api/ paths answer in API.md's shape
`{"error": {"code", "message", "fields"?}}` through forum/errors.py, like the site's."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf
from werkzeug.routing import BaseConverter, IntegerConverter

from forum.api.errors import CsrfFailed
from forum.api.parsing import has_forbidden_characters
from forum.extensions import csrf
from forum.models import ApiToken, User
from forum.services import seen, tokens
from forum.services.errors import DomainError, Invalid, Unauthorized

bp = Blueprint("api", __name__, url_prefix="/api/v1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class IdConverter(IntegerConverter):
    """`<id:thread_id>`: a positive integer without leading zeros (the services answer
    404 for ids too large for the id column)."""

    regex = r"[1-9]\d{0,18}"


TAG_NAME = r"[A-Za-z0-9][A-Za-z0-9 _-]{0,39}"


class TagConverter(BaseConverter):
    """`<tag:name>`: a tag as a path names it — ASCII letters, digits, spaces, _ and -,
    which normalize to a tag name (services/tagnames.py); anything else names no route."""

    regex = TAG_NAME


def init_app(app: Flask) -> None:
    from forum.api import (  # noqa: F401
        accounts,
        community,
        docs,
        films,
        moderation,
        posts,
        search,
        seen_films,
        threads,
        world,
    )

    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["tag"] = TagConverter
    app.register_blueprint(bp)
    csrf.exempt(bp)  # cookie-authenticated calls are checked in `authenticate` below


def api_user() -> User | None:
    """The caller: a bearer token's user, a signed-in browser's user, or None."""
    return g.get("api_user")


def require_api_user() -> User:
    user = api_user()
    if user is None:
        raise Unauthorized("Please authenticate: Authorization: Bearer <token>.")
    return user


def seen_ids() -> frozenset[int]:
    """The films the caller marked seen: one query per request, asked at most once."""
    if "seen_film_ids" not in g:
        g.seen_film_ids = seen.seen_film_ids(api_user())
    return g.seen_film_ids


def reveal_spoilers() -> bool:
    """`?reveal=spoilers`: the caller consents to spoilers for this one request."""
    value = request.args.get("reveal")
    if value not in (None, "spoilers"):
        raise Invalid("reveal can only be spoilers.", {"reveal": "Leave it out or say spoilers."})
    return value == "spoilers"


def current_token() -> ApiToken | None:
    return g.get("api_token")


@bp.before_request
def authenticate() -> None:
    """Bearer token first (no CSRF needed); else the session cookie (CSRF on writes)."""
    if any(has_forbidden_characters(value) for value in request.args.values()):
        raise DomainError("Query parameters may not contain control characters.")
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        api_token = tokens.find_token(token.strip()) if scheme.lower() == "bearer" else None
        if api_token is None:
            raise Unauthorized("That token is not valid.")
        tokens.touch_token(api_token)
        g.api_user, g.api_token = api_token.user, api_token
        g._login_user = api_token.user  # Flask-Login's current_user for this request only
    elif current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            _check_csrf()
        g.api_user = current_user._get_current_object()


def _check_csrf() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except ValidationError as err:
        raise CsrfFailed(f"Send the page's CSRF token in X-CSRFToken ({err}).") from err
