"""Small helpers shared by the site's views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, url_for


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no `//` or `\\` tricks."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, built from BASE_URL (or HOST and PORT), never from
    the request's Host header, which a client chooses."""
    config = current_app.config
    base = config.get("BASE_URL") or f"http://{config['HOST']}:{config['PORT']}"
    return base.rstrip("/") + url_for(endpoint, **values)


def post_url(post) -> str:
    """A reply's own page (the reply and the replies under it): wherever it falls in a
    paged tree of any size, that page shows it."""
    return url_for(
        "threads.continue_thread",
        thread_id=post.thread_id,
        post_id=post.id,
        _anchor=f"post-{post.id}",
    )


def row_url(endpoint: str, **value: int | str) -> str:
    """`url_for(endpoint, name=value)` for one value that needs no quoting (an id, a
    username): built by `url_for` once per page and endpoint, then filled in per row (a
    board shows dozens of rows, each with several links)."""
    ((name, filled),) = value.items()
    made = g.setdefault("row_urls", {})
    if endpoint not in made:
        blank = _BLANKS[type(filled)]
        made[endpoint] = url_for(endpoint, **{name: blank}).split(str(blank))
    head, tail = made[endpoint]
    return f"{head}{filled}{tail}"


_BLANKS = {int: 987654321012345, str: "0blank0"}  # values no route quotes or changes


def vote_action(kind: str, item_id: int) -> str:
    """Where an arrow posts: `/threads/<id>/vote` or `/posts/<id>/vote`."""
    return row_url(f"threads.vote_{kind}", **{f"{kind}_id": item_id})
