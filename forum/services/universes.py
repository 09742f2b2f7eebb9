"""A universe's page: its films in story order beside release order, each with its top
theory and its confirmed ones, the universe's busiest tags, and the admins' ordering."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import Film, Tag, TheoryStatus, Thread, ThreadKind, Universe, User
from forum.services.errors import Invalid
from forum.services.locking import lock_row
from forum.services.permissions import can_manage_films, require
from forum.services.tags import busiest

CONFIRMED_SHOWN = 3  # confirmed theories listed under each film
BUSIEST_TAGS = 12


@dataclass
class FilmLine:
    """One film on a universe's page."""

    film: Film
    story_place: int  # 1, 2, 3… in story order
    release_place: int  # 1, 2, 3… in release order
    top_theory: Thread | None = None
    confirmed: list[Thread] = field(default_factory=list)


@dataclass
class UniversePage:
    universe: Universe
    story: list[FilmLine]  # in story order
    release: list[FilmLine]  # the same lines in release order
    tags: list[tuple[Tag, int]]  # busiest first, with their live threads in this universe


def story_key(film: Film) -> tuple:
    """Story order: by `timeline_order` (films without one last), then year and id."""
    return (film.timeline_order is None, film.timeline_order or 0, film.year, film.id)


def release_key(film: Film) -> tuple:
    return (film.release_date is None, film.release_date or film.year, film.year, film.id)


def films_of(universe: Universe) -> list[Film]:
    """The universe's films in story order."""
    query = select(Film).where(Film.universe_id == universe.id)
    return sorted(db.session.scalars(query), key=story_key)


def universe_page(universe: Universe, full: bool = False) -> UniversePage:
    """Everything the page shows, in a constant number of queries whatever the size of the
    universe: its films, the top theory of each, the confirmed ones, the busiest tags. With
    `full` (the API's whole Thread objects) the theories come with their authors and tags."""
    films = list(db.session.scalars(select(Film).where(Film.universe_id == universe.id)))
    story = sorted(films, key=story_key)
    release = sorted(films, key=release_key)
    lines = {
        film.id: FilmLine(film, story.index(film) + 1, release.index(film) + 1) for film in films
    }
    ids = list(lines)
    if ids:
        for thread in _ranked_theories(ids, None, 1, full):
            lines[thread.film_id].top_theory = thread
        for thread in _ranked_theories(ids, TheoryStatus.CONFIRMED, CONFIRMED_SHOWN, full):
            lines[thread.film_id].confirmed.append(thread)
    return UniversePage(
        universe=universe,
        story=[lines[f.id] for f in story],
        release=[lines[f.id] for f in release],
        tags=busiest(universe.id, BUSIEST_TAGS),
    )


def _ranked_theories(film_ids: list[int], status: TheoryStatus | None, per_film: int, full: bool):
    """The best-scored live theories of each film (with `status`), at most `per_film` each:
    one query ranking within each film."""
    where = [
        Thread.film_id.in_(film_ids),
        Thread.kind == ThreadKind.THEORY,
        Thread.removed.is_(False),
        Thread.deleted.is_(False),
    ]
    if status is not None:
        where.append(Thread.status == status)
    order = (Thread.score.desc(), Thread.id.desc())
    rank = func.row_number().over(partition_by=Thread.film_id, order_by=order).label("rank")
    ranked = select(Thread.id, rank).where(*where).subquery()
    query = (
        select(Thread)
        .join(ranked, ranked.c.id == Thread.id)
        .where(ranked.c.rank <= per_film)
        .order_by(Thread.film_id, ranked.c.rank)
    )
    if full:
        query = query.options(
            joinedload(Thread.author), joinedload(Thread.film), selectinload(Thread.tag_list)
        )
    return list(db.session.scalars(query))


def order_films(admin: User, universe: Universe, film_ids: list[int], reason: str | None = None):
    """Put the universe's films in this story order (`film_ids`, first to last: each of its
    films once): their `timeline_order` becomes 1, 2, 3… Admins only; logged."""
    from forum.services.moderation import check_reason, write_log

    require(can_manage_films(admin))
    reason = check_reason(reason)
    universe = lock_row(universe)  # two admins ordering at once: one after the other
    films = {
        f.id: f for f in db.session.scalars(select(Film).where(Film.universe_id == universe.id))
    }
    if len(film_ids) != len(set(film_ids)) or set(film_ids) != set(films):
        raise Invalid(
            "Please place every film of the universe once.",
            {"films": f"Each of the {len(films)} films of {universe.name}, once."},
        )
    for place, film_id in enumerate(film_ids, start=1):
        films[film_id].timeline_order = place
    story = ", ".join(films[i].title for i in film_ids)
    logged = f"story order: {story}" + (f" ({reason})" if reason else "")
    write_log(admin, "order_films", universe, logged[:500])
    db.session.commit()
    return universe


def order_from_places(films: list[Film], places: dict[int, int]) -> list[int]:
    """The film ids in the order of the places an admin typed (`places[film id]`; ties keep
    the current story order), for the form that works without JavaScript."""
    for film in films:
        if film.id not in places:
            raise Invalid(
                "Please give every film a place.", {f"place-{film.id}": "A number, please."}
            )
    current = {film.id: i for i, film in enumerate(sorted(films, key=story_key))}
    return sorted(places, key=lambda film_id: (places[film_id], current.get(film_id, 0)))
