"""Universes and films (boards)."""

from __future__ import annotations

import re
from datetime import date

from forum.api import bp, require_api_user, seen_ids
from forum.api.parsing import Field, read
from forum.api.schemas import film_json, universe_json
from forum.services import films
from forum.services.errors import Invalid, NotFound

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    data = read(title=Field(str, True), year=Field(int, True), slug=Field(str),
                release_date=Field(str), universe=Field(str), timeline_order=Field(int),
                synopsis=Field(str), spoiler_window_days=Field(int))  # fmt: skip
    fields = films.FilmFields(
        title=data["title"], year=data["year"], slug=data["slug"],
        release_date=_date(data["release_date"]), universe=_universe(data["universe"]),
        timeline_order=data["timeline_order"], synopsis=data["synopsis"] or "",
        spoiler_window_days=data["spoiler_window_days"],
    )  # fmt: skip
    return film_json(films.save_film(user, fields), seen_ids()), 201


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        if DATE_RE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Invalid("That date is not valid.", {"release_date": "A date as YYYY-MM-DD."})


def _universe(slug: str | None):
    if slug is None:
        return None
    try:
        return films.get_universe(slug)
    except NotFound as err:
        raise Invalid("No such universe.", {"universe": "No such universe."}) from err
