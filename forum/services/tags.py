"""Tags: one namespace for the whole site (a motif's page gathers every film's threads),
normalized names, suggestions as a fan types, and the moderators' rename and merge.

A name is normalized before anything else: lower case, accents dropped (`Róma` → `roma`),
spaces and underscores become hyphens, repeated hyphens collapse, a leading `#` goes. So
`Ruska Roma`, `ruska_roma` and `#ruska-roma` are one tag. A merged or renamed tag's old
name stays as an alias row (`Tag.merged_into_id`): links to it and new threads using it
land on the live tag."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import and_, delete, func, insert, literal, select, update
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import Film, Tag, Thread, ThreadTag, User
from forum.services.errors import Conflict, Invalid, NotFound
from forum.services.locking import lock_row
from forum.services.permissions import require_moderator

MAX_TAG = 40
MAX_TAGS = 5
SUGGESTIONS = 8
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SEPARATORS = re.compile(r"[\s_\-]+")
_APOSTROPHES = re.compile(r"['’]")
TAG_RULE = "letters (accents are dropped), digits, spaces, - and _; at most 40 characters"


def normalize(name: str) -> str:
    """The tag a fan means: `Ruska Roma`, `ruska_roma`, `#Ruska-Róma` → `ruska-roma`.
    Invalid (naming `tags`) when nothing of it is left or something can't be in a tag."""
    text = unicodedata.normalize("NFKD", (name or "").strip().lstrip("#").strip())
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _SEPARATORS.sub("-", _APOSTROPHES.sub("", text)).strip("-")
    if not text or len(text) > MAX_TAG or not NAME_RE.match(text):
        shown = (name or "").strip()[:50]
        raise Invalid("Please fix the tags.", {"tags": f"“{shown}”: use {TAG_RULE}."})
    return text


def normalize_or_none(name: str) -> str | None:
    """The normalized name, or None for one no tag can have (a page answers 404)."""
    try:
        return normalize(name)
    except Invalid:
        return None


def parse_names(tags: list[str] | str | None) -> list[str]:
    """The distinct normalized names of a list, or of a form's text (separated by commas or
    by `#`: `Ruska Roma, mirrors` or `#rooney #mirrors`); at most MAX_TAGS."""
    if isinstance(tags, str):
        tags = re.split(r"[,#\n]+", tags)
    names = sorted({normalize(t) for t in tags or [] if t and t.strip().lstrip("#").strip()})
    if len(names) > MAX_TAGS:
        raise Invalid("Please fix the tags.", {"tags": f"Up to {MAX_TAGS} tags."})
    return names


def tags_for(names: list[str]) -> list[Tag]:
    """The live tags for these normalized names (an alias gives the tag it points at),
    made when new. Flushes; the caller commits. A tag made at the same moment by another
    writer is taken, not made twice (the unique name decides)."""
    if not names:
        return []
    _insert_missing(names)
    found = db.session.scalars(select(Tag).where(Tag.name.in_(names))).all()
    live_ids = {tag.merged_into_id or tag.id for tag in found}
    return list(db.session.scalars(select(Tag).where(Tag.id.in_(live_ids)).order_by(Tag.name)))


def _insert_missing(names: list[str]) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    rows = [{"name": name, "thread_count": 0} for name in names]
    db.session.execute(upsert(Tag).values(rows).on_conflict_do_nothing(index_elements=["name"]))


def count_threads(tags: list[Tag], sign: int) -> None:
    """A thread with these tags became live (+1) or stopped being (-1): counted in SQL."""
    if tags:
        ids = [tag.id for tag in tags]
        db.session.execute(
            update(Tag).where(Tag.id.in_(ids)).values(thread_count=Tag.thread_count + sign)
        )


def count_thread(thread: Thread, sign: int) -> None:
    """The thread's tags count it once more (+1) or once less (-1)."""
    tag_ids = select(ThreadTag.tag_id).where(ThreadTag.thread_id == thread.id)
    db.session.execute(
        update(Tag)
        .where(Tag.id.in_(tag_ids.scalar_subquery()))
        .values(thread_count=Tag.thread_count + sign)
        .execution_options(synchronize_session=False)
    )


def get_tag(name: str) -> Tag:
    """The tag with this name (normalized), alias or not; NotFound when there is none."""
    normal = normalize_or_none(name)
    tag = db.session.scalar(select(Tag).where(Tag.name == normal)) if normal else None
    if tag is None:
        raise NotFound("No such tag.")
    return tag


def live_tag(tag: Tag) -> Tag:
    """The tag itself, or the tag an alias points at."""
    return db.session.get(Tag, tag.merged_into_id) if tag.merged_into_id else tag


def suggest(prefix: str | None, limit: int = SUGGESTIONS) -> list[Tag]:
    """Live tags whose name starts with what the fan typed (normalized), most used first;
    the most used of all for an empty prefix. One query on the small tags table."""
    query = select(Tag).where(Tag.merged_into_id.is_(None), Tag.thread_count > 0)
    typed = (prefix or "").strip().lstrip("#").strip()
    if typed:
        normal = normalize_or_none(typed)
        if normal is None:
            return []
        query = query.where(Tag.name.like(normal + "%"))  # [a-z0-9-] only: nothing to escape
    return list(db.session.scalars(query.order_by(Tag.thread_count.desc(), Tag.name).limit(limit)))


def film_counts(tag: Tag) -> list[tuple[Film, int]]:
    """The films with live threads of this tag and how many, in release order: one query."""
    count = func.count(Thread.id)
    query = (
        select(Film, count)
        .join(Thread, Thread.film_id == Film.id)
        .join(ThreadTag, and_(ThreadTag.thread_id == Thread.id, ThreadTag.tag_id == tag.id))
        .where(Thread.removed.is_(False), Thread.deleted.is_(False))
        .group_by(Film.id)
        .order_by(Film.year, Film.title, Film.id)
    )
    return [(film, n) for film, n in db.session.execute(query)]


def busiest(universe_id: int, limit: int = 10) -> list[tuple[Tag, int]]:
    """A universe's most used tags (live threads in its films), busiest first: one query."""
    count = func.count(ThreadTag.thread_id)
    query = (
        select(Tag, count)
        .join(ThreadTag, ThreadTag.tag_id == Tag.id)
        .join(Thread, Thread.id == ThreadTag.thread_id)
        .join(Film, Film.id == Thread.film_id)
        .where(Film.universe_id == universe_id)
        .where(Thread.removed.is_(False), Thread.deleted.is_(False))
        .group_by(Tag.id)
        .order_by(count.desc(), Tag.name)
        .limit(limit)
    )
    return [(tag, n) for tag, n in db.session.execute(query)]


# --- moderators: rename and merge (each writes one ModAction) -----------------------------


def rename_tag(moderator: User, tag: Tag, new_name: str, reason: str | None = None) -> Tag:
    """Give a tag a new name; the old name stays as an alias that leads to it. 409 when
    the new name is another live tag's (merge them instead)."""
    from forum.services.moderation import check_reason, write_log

    require_moderator(moderator)
    new = _new_name(new_name)
    reason = check_reason(reason)
    tag = _live_locked(tag)
    if new == tag.name:
        raise Conflict("The tag already has that name.", {"name": "That is its name now."})
    taken = db.session.scalar(select(Tag).where(Tag.name == new))
    if taken is not None and taken.merged_into_id is None:
        raise Conflict(
            f"#{new} is another tag: merge #{tag.name} into it instead.",
            {"name": "Another tag has that name."},
        )
    if taken is not None:  # an old alias: the name is free again
        db.session.execute(
            update(Tag).where(Tag.merged_into_id == taken.id).values(merged_into_id=None)
        )
        db.session.delete(taken)
        db.session.flush()
    old = tag.name
    tag.name = new
    db.session.flush()
    db.session.add(Tag(name=old, merged_into_id=tag.id, thread_count=0))
    write_log(moderator, "rename_tag", tag, _log_reason(f"#{old} → #{new}", reason))
    db.session.commit()
    return tag


def merge_tag(moderator: User, source: Tag, into_name: str, reason: str | None = None) -> Tag:
    """Move every thread of `source` to the tag named `into_name` (a thread with both keeps
    one), and leave `source`'s name as an alias of it. Answers the tag merged into."""
    from forum.services.moderation import check_reason, write_log

    require_moderator(moderator)
    into_normal = _new_name(into_name, field="into")
    reason = check_reason(reason)
    source = _live_locked(source)
    target = db.session.scalar(select(Tag).where(Tag.name == into_normal))
    if target is None:
        raise NotFound(f"There is no tag #{into_normal}.", {"into": "No such tag."})
    target = _live_locked(target)
    if target.id == source.id:
        raise Conflict("A tag can't be merged into itself.", {"into": "Choose another tag."})
    _move_threads(source, target)
    db.session.execute(
        update(Tag).where(Tag.merged_into_id == source.id).values(merged_into_id=target.id)
    )
    source.merged_into_id, source.thread_count = target.id, 0
    write_log(
        moderator, "merge_tag", target, _log_reason(f"#{source.name} → #{target.name}", reason)
    )
    db.session.commit()
    db.session.refresh(target)
    return target


def _move_threads(source: Tag, target: Tag) -> None:
    """Relink `source`'s threads to `target` in three statements, whatever their number."""
    other = aliased(ThreadTag)
    already = select(other.thread_id).where(other.tag_id == target.id)
    moving = (
        select(ThreadTag.thread_id)
        .where(ThreadTag.tag_id == source.id, ThreadTag.thread_id.not_in(already))
        .subquery()
    )
    db.session.execute(
        insert(ThreadTag).from_select(
            ["thread_id", "tag_id"], select(moving.c.thread_id, literal(target.id))
        )
    )
    db.session.execute(delete(ThreadTag).where(ThreadTag.tag_id == source.id))
    live = (
        select(func.count())
        .select_from(ThreadTag)
        .join(Thread, Thread.id == ThreadTag.thread_id)
        .where(ThreadTag.tag_id == target.id)
        .where(Thread.removed.is_(False), Thread.deleted.is_(False))
        .scalar_subquery()
    )
    db.session.execute(update(Tag).where(Tag.id == target.id).values(thread_count=live))


def _new_name(name: str | None, field: str = "name") -> str:
    if not isinstance(name, str) or not name.strip():
        raise Invalid("Please give the tag's name.", {field: "Required."})
    normal = normalize_or_none(name)
    if normal is None:
        raise Invalid("That can't be a tag's name.", {field: f"Use {TAG_RULE}."})
    return normal


def _live_locked(tag: Tag) -> Tag:
    """The live tag (following an alias), its row locked for the change."""
    tag = lock_row(tag)
    if tag.merged_into_id is not None:
        tag = lock_row(db.session.get(Tag, tag.merged_into_id))
    return tag


def _log_reason(change: str, reason: str | None) -> str:
    return f"{change}: {reason}" if reason else change
