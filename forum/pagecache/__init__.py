"""Pages for readers who are not signed in: shared, cached, and conditional.

A signed-out reader's GET of a listed page (home, /all, boards, threads, profiles, the
moderation log, edit histories, and the JSON API's films, boards, threads and reply trees)
is answered from the page cache when every version the page
depends on is unchanged (see changes.py): no view runs and no SQL is sent. Otherwise the page
is rendered, its dependencies are recorded from the rows it loaded, and it is stored. Either
way the answer carries an ETag and Last-Modified (a matching If-None-Match or
If-Modified-Since gets 304 with no body) and `Cache-Control: public, max-age=…,
stale-while-revalidate=…`, `Vary: Cookie`.

A page looks the same for every signed-out reader but for the theme they chose (a cookie:
light, dark, or none to follow the device): each theme has its own copy of a page, the
`page_cache_variants` the site registers.

Nothing one visitor owns is shared: a page is cached only when the reader is signed out, has
no flash message waiting, the answer sets no cookie and carries no CSRF token. Signed-out
pages print no token (vote arrows post without one: for a signed-out reader a vote only
leads to the log-in page), and a token a form made but the page never printed is not kept
in the session, so reading sets no cookie. Every other answer says `private, no-store`.

Freshness: versions are raised right after each commit, so the next read renders anew. A
page is stored with the versions read *before* it was rendered (a dependency first seen
while rendering is stored as unknown, and the next read renders once more), so a write that
lands during a render can't hide behind a newer version. Entries expire after
PAGE_CACHE_TTL seconds whatever happens (writes made outside the application; without Redis,
writes made by another process).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

from forum.extensions import db
from forum.pagecache import changes
from forum.pagecache.store import MemoryStore, RedisStore


def _listing(prefix: str, source: str):
    """A page that lists rows: it also depends on which rows there are (`l:<film>` for a
    board, `a:<user>` for a profile), derived from the films or users it showed."""
    return lambda reads: {prefix + name[2:] for name in reads if name.startswith(source)}


# The cached pages, and what each depends on beyond the rows it shows. Search results are
# not cached: every query is a new key, and search has its own limits.
PAGES = {
    "films.home": lambda reads: {"l"},
    "films.everywhere": lambda reads: {"l"},
    "films.board": _listing("l:", "f:"),
    "threads.show": lambda reads: set(),
    "threads.continue_thread": lambda reads: set(),
    "users.profile": _listing("a:", "u:"),
    "history.modlog": lambda reads: {"mod_actions"},
    "history.thread_history": lambda reads: {"revisions"},
    "history.post_history": lambda reads: {"revisions"},
    # The JSON API, read without a token: the same rows, the same dependencies.
    "api.universes": lambda reads: {"l"},
    "api.film_list": lambda reads: {"l"},
    "api.film": lambda reads: set(),
    "api.board": _listing("l:", "f:"),
    "api.thread": lambda reads: set(),
    "api.thread_posts": lambda reads: set(),
}
API = "api."  # endpoints that answer JSON whatever the client accepts
MIMETYPES = {"text/html", "application/json"}
NO_STORE = "private, no-store"


@dataclass
class _Visit:
    """A signed-out GET of a cached page, from before the view runs to its answer."""

    key: str
    known: dict[str, int | None] = field(default_factory=dict)  # versions read before render
    etag: str | None = None  # the stale entry's, to keep its Last-Modified if unchanged
    modified: float | None = None


def init_app(app: Flask) -> None:
    if app.config["PAGE_CACHE_ENABLED"]:
        ttl = app.config["PAGE_CACHE_TTL"]
        if app.config.get("REDIS_URL"):
            store = RedisStore(app.config["REDIS_URL"], app.config["PAGE_CACHE_KEY_PREFIX"], ttl)
        else:
            store = MemoryStore(app.config["PAGE_CACHE_MAX_ENTRIES"], ttl)
        app.extensions["page_cache"] = store
    # What else picks a page's look for every reader alike (the theme cookie, from the site):
    # functions returning one of a few known values, each value its own cached copy.
    app.extensions.setdefault("page_cache_variants", [])
    changes.listen(db.Model, db.session)
    app.jinja_env.globals["shared_page"] = is_shared_page
    # First before anything else (a hit loads no user and sends no SQL); last after.
    app.before_request_funcs.setdefault(None, []).insert(0, _before)
    app.after_request_funcs.setdefault(None, []).insert(0, _after)


def is_shared_page() -> bool:
    """This answer is for every signed-out reader (templates print no CSRF token in it)."""
    return "page_cache_visit" in g


def _store():
    return current_app.extensions.get("page_cache")


def _signed_out() -> bool:
    """No session user, no remember-me cookie, no API token: decided without the database."""
    config = current_app.config
    return (
        "_user_id" not in session
        and config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies
        and "Authorization" not in request.headers
    )


def _before():
    if request.method not in ("GET", "HEAD") or request.endpoint == "static":
        return None
    if not _signed_out():
        return None
    g.page_cache_session = dict(session)  # to tell what this answer adds to the session
    wants_html = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if request.endpoint not in PAGES or "_flashes" in session:
        return None
    if wants_html == "application/json" and not request.endpoint.startswith(API):
        return None  # a page asked for as JSON answers errors as JSON: not the page
    url = request.path + "?" + request.query_string.decode("latin-1")
    variants = (
        [] if request.endpoint.startswith(API) else current_app.extensions["page_cache_variants"]
    )
    variant = "|".join(vary() for vary in variants)  # the API's JSON has no theme
    visit = g.page_cache_visit = _Visit(key=hashlib.sha256(f"{variant}#{url}".encode()).hexdigest())
    store = _store()
    if store is None:
        return None
    entry = _load(store.get(visit.key))
    if entry is None:
        visit.known = {changes.SITE: store.versions([changes.SITE])[0]}
    else:
        header, body = entry
        current = store.versions(header["deps"])
        if None not in current and current == header["versions"]:
            g.page_cache_hit = True
            mimetype = header.get("mimetype", "text/html")
            return _answer(Response(body, mimetype=mimetype), header["etag"], header["modified"])
        visit.known = dict(zip(header["deps"], current, strict=True))
        visit.etag, visit.modified = header["etag"], header["modified"]
    db.session.info[changes.READS] = set()
    return None


def _after(response: Response) -> Response:
    if g.get("page_cache_hit") or request.endpoint == "static":
        return response
    _forget_unprinted_token(response)
    visit = g.pop("page_cache_visit", None)
    reads = db.session.info.pop(changes.READS, None)
    if visit is not None and _shareable(response):
        body = response.get_data()
        etag = hashlib.sha256(body).hexdigest()[:32]
        modified = visit.modified if etag == visit.etag and visit.modified else time.time()
        store = _store()
        if store is not None and reads is not None:
            deps = sorted(reads | PAGES[request.endpoint](reads) | {changes.SITE})
            versions = [visit.known.get(name) for name in deps]
            header = {
                "deps": deps,
                "versions": versions,
                "etag": etag,
                "modified": modified,
                "mimetype": response.mimetype,
            }
            store.put(visit.key, json.dumps(header).encode() + b"\n" + body)
        return _answer(response, etag, modified)
    if _sets_cookie(response) or current_user.is_authenticated:
        response.headers["Cache-Control"] = NO_STORE
    else:
        response.headers.setdefault("Cache-Control", NO_STORE)
    return response


def _load(data: bytes | None):
    if not data:
        return None
    header, _, body = data.partition(b"\n")
    return json.loads(header), body


def _answer(response: Response, etag: str, modified: float) -> Response:
    config = current_app.config
    response.headers["Cache-Control"] = (
        f"public, max-age={config['PAGE_CACHE_MAX_AGE']}, "
        f"stale-while-revalidate={config['PAGE_CACHE_STALE_WHILE_REVALIDATE']}"
    )
    response.vary.add("Cookie")
    response.set_etag(etag)
    response.last_modified = int(modified)
    return response.make_conditional(request)


def _shareable(response: Response) -> bool:
    """The same answer would do for every signed-out reader."""
    if response.status_code != 200 or response.mimetype not in MIMETYPES:
        return False
    if _sets_cookie(response) or current_user.is_authenticated:
        return False
    token = g.get("csrf_token")
    return not token or token.encode() not in response.get_data()


def _sets_cookie(response: Response) -> bool:
    app = current_app._get_current_object()
    return (
        "Set-Cookie" in response.headers
        or session.modified
        or app.session_interface.should_set_cookie(app, session)
    )


def _forget_unprinted_token(response: Response) -> None:
    """A form built for a signed-out reader makes a CSRF token (and a session to hold it)
    even when the page doesn't show the form. If the page doesn't carry the token, the
    session doesn't keep it: reading the forum sets no cookie."""
    before = g.get("page_cache_session")
    token = g.get("csrf_token")
    if before is None or token is None or "csrf_token" in before:
        return
    if response.mimetype != "text/html" or token.encode() in response.get_data():
        return
    session.pop("csrf_token", None)
    g.pop("csrf_token")
    if dict(session) == before:
        session.modified = False
