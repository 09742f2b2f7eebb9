"""The films you have seen: the marks that open their spoilers to you."""

from __future__ import annotations

from forum.api import bp, require_api_user
from forum.api.schemas import film_summary_json
from forum.services import films, seen


@bp.get("/me/seen")
def seen_list():
    user = require_api_user()
    return {"films": [film_summary_json(film) for film in seen.seen_films(user)]}


@bp.put("/me/seen/<slug>")
def mark_seen(slug: str):
    user = require_api_user()
    seen.mark_seen(user, films.get_film(slug))
    return "", 204


@bp.delete("/me/seen/<slug>")
def unmark_seen(slug: str):
    user = require_api_user()
    seen.unmark_seen(user, films.get_film(slug))
    return "", 204
