"""Universes and films (boards)."""

from __future__ import annotations

from datetime import date

from forum.api import bp, require_api_user, seen_ids
from forum.api.parsing import FORBIDDEN, Field, matches, read
from forum.api.schemas import film_json, universe_json
from forum.services import films
from forum.services.errors import Invalid, NotFound

# As the document says (JSON Schema reads a pattern with re.search).
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SLUG_PATTERN = rf"^[^{FORBIDDEN}]*[A-Za-z0-9][^{FORBIDDEN}]*$"


@bp.get("/universes")
def universes():
    universes, _ = films.home_listing()
    return {"universes": [universe_json(universe) for universe in universes]}


@bp.get("/films")
def film_list():
    seen = seen_ids()
    return {"films": [film_json(film, seen) for film in films.all_films()]}


@bp.get("/films/<slug>")
def film(slug: str):
    return film_json(films.get_film(slug), seen_ids())


@bp.post("/films")
def create_film():
    user = require_api_user()
    data = read(
        title=Field(str, True, max_length=films.MAX_TITLE),
        year=Field(int, True),
        slug=Field(str, pattern=SLUG_PATTERN, why="Use letters or digits."),
        release_date=Field(str),
        universe=Field(str),
        timeline_order=Field(int),
        synopsis=Field(str),
        spoiler_window_days=Field(int),
        runtime_minutes=Field(int),
    )
    fields = films.FilmFields(
        title=data["title"],
        year=data["year"],
        slug=data["slug"],
        release_date=_date(data["release_date"]),
        universe=_universe(data["universe"]),
        timeline_order=data["timeline_order"],
        synopsis=data["synopsis"] or "",
        spoiler_window_days=data["spoiler_window_days"],
        runtime_minutes=data["runtime_minutes"],
    )
    return film_json(films.save_film(user, fields), seen_ids()), 201


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if matches(DATE_PATTERN, value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Invalid("That date is not valid.", {"release_date": "A date as YYYY-MM-DD."})


def _universe(slug: str | None):
    """The named universe; 404 when there is none (as for any name of a missing thing)."""
    if slug is None:
        return None
    try:
        return films.get_universe(slug)
    except NotFound as err:
        raise NotFound("No such universe.", {"universe": "No such universe."}) from err
