"""Films (boards) and universes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Film, Universe, User
from forum.models.films import SPOILER_WINDOW_DAYS
from forum.services import scenes
from forum.services.errors import Conflict, Invalid, NotFound
from forum.services.permissions import can_manage_films, require


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


@dataclass
class FilmFields:
    title: str
    year: int
    slug: str | None = None
    release_date: date | None = None
    universe: Universe | None = None
    timeline_order: int | None = None
    synopsis: str = ""
    spoiler_window_days: int | None = None  # None: keep the film's, or the default for a new one
    runtime_minutes: int | None = None  # None: not known (every scene timestamp links)


def home_listing() -> tuple[list[Universe], list[Film]]:
    """Universes with their films in timeline order, and the films of no universe."""
    universes = db.session.scalars(
        select(Universe).options(selectinload(Universe.films)).order_by(Universe.name)
    ).all()
    loose = db.session.scalars(
        select(Film).where(Film.universe_id.is_(None)).order_by(Film.year, Film.title)
    ).all()
    return list(universes), list(loose)


def story_neighbours(film: Film) -> tuple[Film | None, Film | None]:
    """The films just before and just after this one in its universe's story order."""
    if film.universe is None:
        return None, None
    line = list(film.universe.films)  # ordered by timeline_order, year, id
    at = next(i for i, f in enumerate(line) if f.id == film.id)
    return (line[at - 1] if at > 0 else None), (line[at + 1] if at + 1 < len(line) else None)


def story_films(film: Film) -> list[Film]:
    """The films of this film's universe in story order (the film alone when it has none)."""
    if film.universe_id is None:
        return [film]
    query = select(Film).where(Film.universe_id == film.universe_id)
    return sorted(
        db.session.scalars(query),
        key=lambda f: (f.timeline_order is None, f.timeline_order or 0, f.year, f.id),
    )


def all_films() -> list[Film]:
    return list(
        db.session.scalars(
            select(Film).options(selectinload(Film.universe)).order_by(Film.year, Film.title)
        )
    )


def all_universes() -> list[Universe]:
    return list(db.session.scalars(select(Universe).order_by(Universe.name)))


SLUG_RE = re.compile(r"[a-z0-9-]{1,80}")
TIMELINE_RANGE = range(-1000, 1001)
MAX_SYNOPSIS = 5000
MAX_TITLE = 200
SPOILER_WINDOW_RANGE = range(0, 3651)  # days after release; up to ten years
RUNTIME_RANGE = range(1, 1441)  # minutes: up to a day


def get_film(slug: str) -> Film:
    film = None
    if SLUG_RE.fullmatch(slug or ""):
        film = db.session.scalar(select(Film).where(Film.slug == slug))
    if film is None:
        raise NotFound("No such film.")
    return film


def get_universe(slug: str) -> Universe:
    universe = None
    if SLUG_RE.fullmatch(slug or ""):
        universe = db.session.scalar(select(Universe).where(Universe.slug == slug))
    if universe is None:
        raise NotFound("No such universe.")
    return universe


def _checked_slug(slug: str | None, fallback: str, model, current_id: int | None) -> str:
    """The given slug, cleaned; else one made from the name (or the model's own name, for
    a name without a letter or digit: "七人の侍" → "film"); 409 when taken."""
    slug = slugify(slug) if slug else slugify(fallback) or model.__name__.lower()
    if not slug:
        raise Invalid("Please give a slug.", {"slug": "Use letters or digits."})
    taken = db.session.scalar(select(model.id).where(model.slug == slug))
    if taken is not None and taken != current_id:
        raise Conflict("That slug is taken.", {"slug": "That slug is taken."})
    return slug


def save_film(user: User, fields: FilmFields, film: Film | None = None) -> Film:
    """Create a film (a new board) or edit one. Admins only."""
    require(can_manage_films(user))
    title = (fields.title or "").strip()
    if not 1 <= len(title) <= MAX_TITLE:
        raise Invalid("Please give a title.", {"title": "1–200 characters."})
    if not 1870 <= fields.year <= 2200:
        raise Invalid("That year looks wrong.", {"year": "A year between 1870 and 2200."})
    if fields.timeline_order is not None and fields.timeline_order not in TIMELINE_RANGE:
        raise Invalid("That timeline place looks wrong.", {"timeline_order": "-1000 to 1000."})
    if len(fields.synopsis or "") > MAX_SYNOPSIS:
        raise Invalid("The synopsis is too long.", {"synopsis": f"At most {MAX_SYNOPSIS:,}."})
    window = fields.spoiler_window_days
    if window is not None and window not in SPOILER_WINDOW_RANGE:
        raise Invalid(
            "That spoiler window looks wrong.", {"spoiler_window_days": "0 to 3650 days."}
        )
    runtime = fields.runtime_minutes
    if runtime is not None and runtime not in RUNTIME_RANGE:
        raise Invalid("That runtime looks wrong.", {"runtime_minutes": "1 to 1440 minutes."})
    film = film or Film(spoiler_window_days=SPOILER_WINDOW_DAYS)
    old_slug = film.slug
    if window is not None:
        film.spoiler_window_days = window
    film.slug = _checked_slug(fields.slug, title, Film, film.id)
    film.title, film.year, film.release_date = title, fields.year, fields.release_date
    film.universe, film.timeline_order = fields.universe, fields.timeline_order
    film.synopsis = (fields.synopsis or "").strip()
    relink = film.id is not None and (film.runtime_minutes, film.slug) != (runtime, old_slug)
    film.runtime_minutes = runtime
    db.session.add(film)
    if relink:
        db.session.flush()
        scenes.relink(film)
    db.session.commit()
    return film


def save_universe(
    user: User, name: str, slug: str | None, description: str, universe: Universe | None = None
) -> Universe:
    require(can_manage_films(user))
    name = (name or "").strip()
    if not 1 <= len(name) <= 120:
        raise Invalid("Please give a name.", {"name": "1–120 characters."})
    universe = universe or Universe()
    universe.slug = _checked_slug(slug, name, Universe, universe.id)
    universe.name, universe.description = name, (description or "").strip()
    db.session.add(universe)
    db.session.commit()
    return universe
