"""The film world through the API: a universe's page and its story order, tags across every
film (suggestions, their threads, moderators' rename and merge), scene indexes, a theory's
status history and a theorist's record."""

from __future__ import annotations

from flask import url_for

from forum.api import api_user, bp, require_api_user, reveal_spoilers, seen_ids
from forum.api.parsing import Field, query, query_limit, read
from forum.api.schemas import film_summary_json, iso
from forum.api.threads import TAG_NAME_PATTERN, threads_json
from forum.models import SceneCitation, StatusChange, Tag
from forum.services import (
    accounts,
    films,
    markup,
    moderation,
    permissions,
    scenes,
    tags,
    threads,
    universes,
)
from forum.services.errors import Invalid
from forum.services.permissions import can_read_spoilers, can_read_thread_spoilers

MAX_PREFIX = 40
MAX_FILMS = 200  # films named in one story order
MAX_TAG_NAME = 60  # as sent: white space and # around up to 40 characters
SUGGEST_LIMIT = 20
TAG_WHY = f"Use {tags.TAG_RULE}."


# --- universes ----------------------------------------------------------------------------


@bp.get("/universes/<slug>")
def universe(slug: str):
    return universe_json(films.get_universe(slug))


@bp.put("/universes/<slug>/order")
def order_universe(slug: str):
    """`{films: [slug…], reason?}`: the universe's films, first to last in the story."""
    user = require_api_user()
    universe_ = films.get_universe(slug)
    permissions.require(permissions.can_manage_films(user))
    data = read(
        films=Field(list, True, max_items=MAX_FILMS, why="Each film's slug, once."),
        reason=Field(str, max_length=moderation.MAX_REASON),
    )
    by_slug = {film.slug: film.id for film in universes.films_of(universe_)}
    unknown = [s for s in data["films"] if s not in by_slug]
    if unknown:
        raise Invalid(
            "Those films are not in this universe.",
            {"films": f"Not in {universe_.name}: {', '.join(unknown[:5])}."},
        )
    ids = [by_slug[s] for s in data["films"]]
    return universe_json(universes.order_films(user, universe_, ids, data["reason"]))


def universe_json(universe_) -> dict:
    """API.md's Universe, its films in story order, each with its thread count, places,
    top theory and confirmed theories, and the universe's busiest tags."""
    page = universes.universe_page(universe_, full=True)
    shown = [t for line in page.story for t in [line.top_theory, *line.confirmed] if t]
    as_json = {t.id: j for t, j in zip(shown, threads_json(shown), strict=True)}
    return {
        "slug": universe_.slug,
        "name": universe_.name,
        "description": universe_.description,
        "films": [
            {
                **film_summary_json(line.film),
                "release_date": line.film.release_date.isoformat()
                if line.film.release_date
                else None,
                "runtime_minutes": line.film.runtime_minutes,
                "thread_count": line.film.thread_count,
                "story_place": line.story_place,
                "release_place": line.release_place,
                "top_theory": as_json[line.top_theory.id] if line.top_theory else None,
                "confirmed_theories": [as_json[t.id] for t in line.confirmed],
            }
            for line in page.story
        ],
        "release_order": [line.film.slug for line in page.release],
        "busiest_tags": [{"name": tag.name, "thread_count": n} for tag, n in page.tags],
        "html_url": url_for("world.universe", slug=universe_.slug, _external=True),
    }


# --- tags ---------------------------------------------------------------------------------


@bp.get("/tags")
def tag_suggestions():
    prefix = query("prefix")
    if prefix is not None and len(prefix) > MAX_PREFIX:
        raise Invalid("prefix is too long.", {"prefix": f"At most {MAX_PREFIX} characters."})
    found = tags.suggest(prefix, min(query_limit(), SUGGEST_LIMIT))
    return {"tags": [{"name": t.name, "thread_count": t.thread_count} for t in found]}


def _tag(name: str) -> Tag:
    return tags.live_tag(tags.get_tag(name))


@bp.get("/tags/<name>")
def tag(name: str):
    return tag_json(_tag(name))


def tag_json(tag_: Tag) -> dict:
    return {
        "name": tag_.name,
        "thread_count": tag_.thread_count,
        "films": [
            {"film": film.slug, "title": film.title, "thread_count": n}
            for film, n in tags.film_counts(tag_)
        ],
        "html_url": url_for("world.tag", name=tag_.name, _external=True),
    }


@bp.get("/tags/<name>/threads")
def tag_threads(name: str):
    tag_ = _tag(name)
    film_slug = query("film")
    _, page = threads.board_page(
        films.get_film(film_slug) if film_slug else None,
        sort=query("sort", "hot"),
        window=query("t", "all"),
        kind=query("kind"),
        status=query("status"),
        tag=tag_,
        cursor=query("cursor"),
        limit=query_limit(),
        pin=False,
    )
    return {"threads": threads_json(page.items), "next_cursor": page.next_cursor}


@bp.post("/tags/<name>/rename")
def rename_tag(name: str):
    user = require_api_user()
    permissions.require_moderator(user)
    tag_ = tags.get_tag(name)
    data = read(
        name=Field(str, True, max_length=MAX_TAG_NAME, pattern=TAG_NAME_PATTERN, why=TAG_WHY),
        reason=Field(str, max_length=moderation.MAX_REASON),
    )
    return tag_json(tags.rename_tag(user, tag_, data["name"], data["reason"]))


@bp.post("/tags/<name>/merge")
def merge_tag(name: str):
    user = require_api_user()
    permissions.require_moderator(user)
    tag_ = tags.get_tag(name)
    data = read(
        into=Field(str, True, max_length=MAX_TAG_NAME, pattern=TAG_NAME_PATTERN, why=TAG_WHY),
        reason=Field(str, max_length=moderation.MAX_REASON),
    )
    return tag_json(tags.merge_tag(user, tag_, data["into"], data["reason"]))


# --- scenes -------------------------------------------------------------------------------


@bp.get("/films/<slug>/scenes")
def film_scenes(slug: str):
    film = films.get_film(slug)
    ok = can_read_spoilers(api_user(), film, reveal_spoilers(), seen_ids())
    page = scenes.scene_index(film, ok, query("cursor"), query_limit())
    return {"scenes": [citation_json(c) for c in page.items], "next_cursor": page.next_cursor}


def citation_json(citation: SceneCitation) -> dict:
    return {
        "seconds": citation.seconds,
        "timestamp": markup.format_moment(citation.seconds),
        "thread_id": citation.thread_id,
        "post_id": citation.post_id,
        "title": citation.thread.title,
        "author": (citation.post or citation.thread).author.username,
        "in_spoiler": citation.in_spoiler,
        "html_url": url_for(
            "threads.continue_thread",
            thread_id=citation.thread_id,
            post_id=citation.post_id,
            _anchor=f"post-{citation.post_id}",
            _external=True,
        )
        if citation.post_id
        else url_for("threads.show", thread_id=citation.thread_id, _external=True),
    }


@bp.get("/threads/<id:thread_id>/scenes")
def thread_scenes(thread_id: int):
    thread = threads.get_visible_thread(thread_id, api_user())
    ok = can_read_thread_spoilers(api_user(), thread, reveal_spoilers(), seen_ids())
    moments = [] if thread.spoiler and not ok else scenes.thread_scenes(thread, ok)
    return {
        "scenes": [
            {
                "seconds": m.seconds,
                "timestamp": m.label,
                "count": m.count,
                "post_id": m.first_post_id,
            }
            for m in moments
        ]
    }


# --- theories -----------------------------------------------------------------------------


@bp.get("/threads/<id:thread_id>/status-history")
def status_history(thread_id: int):
    thread = threads.get_visible_thread(thread_id, api_user())
    ok = can_read_thread_spoilers(api_user(), thread, reveal_spoilers(), seen_ids())
    note_withheld = thread.spoiler and not ok
    changes = moderation.status_history(thread) if thread.is_theory else []
    return {"changes": [status_change_json(c, note_withheld) for c in changes]}


def status_change_json(change: StatusChange, note_withheld: bool) -> dict:
    """A status change; its note is withheld as the theory's own is (API.md)."""
    return {
        "id": change.id,
        "status": change.status.value,
        "previous": change.previous.value if change.previous else None,
        "note": None if note_withheld else change.note,
        "note_withheld": bool(note_withheld and change.note),
        "moderator": change.moderator.username,
        "film": change.film.slug if change.film else None,
        "seconds": change.seconds,
        "timestamp": markup.format_moment(change.seconds) if change.seconds is not None else None,
        "created_at": iso(change.created_at),
    }


@bp.get("/users/<username>/theories")
def user_theories(username: str):
    user = accounts.get_user(username)
    status = query("status")
    page = threads.user_threads(user, query("cursor"), query_limit(), status, theories=True)
    return {
        "counts": moderation.theory_counts(user),
        "threads": threads_json(page.items),
        "next_cursor": page.next_cursor,
    }
