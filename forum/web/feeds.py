"""Atom 1.0 feeds (RFC 4287) of the front page, each board, each tag, each thread and each
user: public, spoiler-safe, with stable `tag:` ids and conditional GET."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from flask import Blueprint, current_app, make_response, render_template, request, url_for

from forum.services import accounts, feeds, films, threads
from forum.services.tagnames import normalize_tag

bp = Blueprint("feeds", __name__)
ATOM = "application/atom+xml; charset=utf-8"
EMPTY_SINCE = datetime(2026, 1, 1, tzinfo=UTC)  # an empty feed's <updated>


@bp.get("/feed.atom")
def front():
    return _feed("front", "Subtext: new threads on every board", "films.home", {},
                 feeds.newest_threads(limit=_size()))  # fmt: skip


@bp.get("/films/<slug>/feed.atom")
def board(slug: str):
    film = films.get_film(slug)
    return _feed(f"film-{film.slug}", f"Subtext: {film.title}", "films.board",
                 {"slug": film.slug}, feeds.newest_threads(film, limit=_size()))  # fmt: skip


@bp.get("/tags/<name>/feed.atom")
def tag(name: str):
    tag = normalize_tag(name)
    return _feed(f"tag-{tag}", f"Subtext: #{tag}", "films.everywhere", {"tag": tag},
                 feeds.newest_threads(tag=tag, limit=_size()))  # fmt: skip


@bp.get("/threads/<int:thread_id>/feed.atom")
def thread(thread_id: int):
    found = threads.get_visible_thread(thread_id, None)  # as any signed-out reader
    return _feed(f"thread-{found.id}", f"Subtext: {found.title}", "threads.show",
                 {"thread_id": found.id}, feeds.thread_entries(found, _size()))  # fmt: skip


@bp.get("/u/<username>/feed.atom")
def user(username: str):
    found = accounts.get_user(username)
    return _feed(f"user-{found.username.lower()}", f"Subtext: {found.username}",
                 "users.profile", {"username": found.username},
                 feeds.user_entries(found, _size()))  # fmt: skip


def _size() -> int:
    return current_app.config["FEED_ENTRIES"]


def _feed(key: str, title: str, endpoint: str, args: dict, entries: list):
    base = (current_app.config.get("BASE_URL") or request.url_root).rstrip("/")
    updated = max((e.updated for e in entries), default=EMPTY_SINCE)
    body = render_template(
        "feeds/atom.xml",
        base=base,  # @mention links in the HTML are relative: resolved against this
        feed_id=_tag_uri(key),
        title=title,
        updated=updated,
        alternate=base + url_for(endpoint, **args),
        self_url=base + request.path,
        entries=entries,
        entry_id=_tag_uri,
        entry_url=lambda e: base + _entry_path(e),
    )
    response = make_response(body)
    response.headers["Content-Type"] = ATOM
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.last_modified = updated
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response.make_conditional(request)


def _tag_uri(key: str) -> str:
    return f"tag:{current_app.config['FEED_ID_AUTHORITY']}:{key}"


def _entry_path(entry) -> str:
    if entry.post is None:
        return url_for("threads.show", thread_id=entry.thread.id)
    return url_for("threads.continue_thread", thread_id=entry.thread.id, post_id=entry.post.id,
                   _anchor=f"post-{entry.post.id}")  # fmt: skip
