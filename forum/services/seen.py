"""Films a fan has seen: the marks that open a film's spoilers to them.

Marking is idempotent and safe under concurrency without a read: an INSERT that does
nothing when the mark exists (ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike),
and a DELETE that removes nothing when it doesn't."""

from __future__ import annotations

from sqlalchemy import String, cast, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import with_expression

from forum.extensions import db
from forum.models import Film, Seen, User, utcnow
from forum.services.errors import Invalid
from forum.services.permissions import can_mark_seen, require


def mark_seen(user: User, film: Film) -> None:
    """Say you have seen a film (again is fine)."""
    _insert_marks(user, [film.id])
    db.session.commit()


def unmark_seen(user: User, film: Film) -> None:
    """Take back a seen mark (no mark is fine)."""
    require(can_mark_seen(user))
    db.session.execute(delete(Seen).where(Seen.user_id == user.id, Seen.film_id == film.id))
    db.session.commit()


def mark_seen_up_to(user: User, film: Film) -> list[Film]:
    """ "I've seen up to Parabellum": mark this film and every film before it in its
    universe's story order. Returns the films marked."""
    if film.universe_id is None or film.timeline_order is None:
        raise Invalid(
            "This film has no place in a universe's story order.",
            {"film": "Mark it seen on its own."},
        )
    films = list(
        db.session.scalars(
            select(Film)
            .where(Film.universe_id == film.universe_id, Film.timeline_order <= film.timeline_order)
            .order_by(Film.timeline_order, Film.year, Film.id)
        )
    )
    _insert_marks(user, [f.id for f in films])
    db.session.commit()
    return films


def seen_film_ids(user: User | None) -> frozenset[int]:
    """The ids of the films this fan marked seen: read from the session's user when it was
    loaded with them (`SEEN_IDS`), else one query (none when anonymous), so a page asks
    once and checks every film it shows against the answer."""
    if user is None:
        return frozenset()
    if (loaded := user.seen_film_ids_text) is not None:
        return frozenset(int(film_id) for film_id in loaded.split(",") if film_id)
    return frozenset(db.session.scalars(select(Seen.film_id).where(Seen.user_id == user.id)))


def with_seen_ids():
    """A loader option: the user comes with the ids of the films they marked seen, in the
    same statement (the session's user, whom every signed-in page asks about)."""
    ids = func.aggregate_strings(cast(Seen.film_id, String), ",")
    found = select(func.coalesce(ids, "")).where(Seen.user_id == User.id).scalar_subquery()
    return with_expression(User.seen_film_ids_text, found)


def seen_films(user: User) -> list[Film]:
    """The films this fan marked seen, in release order."""
    return list(
        db.session.scalars(
            select(Film)
            .join(Seen, Seen.film_id == Film.id)
            .where(Seen.user_id == user.id)
            .order_by(Film.year, Film.title, Film.id)
        )
    )


def _insert_marks(user: User, film_ids: list[int]) -> None:
    require(can_mark_seen(user))
    if not film_ids:
        return
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"user_id": user.id, "film_id": fid, "created_at": utcnow()} for fid in film_ids]
    db.session.execute(insert(Seen).values(rows).on_conflict_do_nothing())
