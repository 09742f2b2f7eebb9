"""Small helpers shared by the site's views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for
from flask_wtf import FlaskForm

from forum.services.errors import DomainError


def show_errors(form: FlaskForm, err: DomainError) -> str:
    """Put a service's field errors next to the form's fields; return the message."""
    for name, message in err.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    return err.message


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no `//` or `\\` tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def wants_json() -> bool:
    """The page's script asked for JSON (`Accept: application/json`), not a browser."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built from BASE_URL (or HOST and PORT), never from
    the request's Host header, which a client chooses."""
    config = current_app.config
    base = config.get("BASE_URL") or f"http://{config['HOST']}:{config['PORT']}"
    return base.rstrip("/") + url_for(endpoint, **values)


def post_url(post) -> str:
    """A reply's place on its thread's page."""
    return url_for("threads.show", thread_id=post.thread_id, _anchor=f"post-{post.id}")
