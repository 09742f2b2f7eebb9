"""Edit history: the earlier text of a thread or a reply, kept at each edit and shown to
whoever may read the text itself (`permissions.can_read_history`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Post, Revision, Thread, User
from forum.services.permissions import can_read_history, require


def revisions(viewer: User | None, item: Thread | Post) -> list[Revision]:
    """The earlier versions of a thread or reply, oldest first; NotFound for a viewer who
    may not read its history."""
    require(can_read_history(viewer, item))
    column = Revision.post_id if isinstance(item, Post) else Revision.thread_id
    query = select(Revision).where(column == item.id).options(joinedload(Revision.editor))
    return list(db.session.scalars(query.order_by(Revision.id)))


def keep_revision(item: Thread | Post, editor: User) -> None:
    """Add the item's text as it is now to its history; the caller commits."""
    text = {
        "editor": editor,
        "body": item.body,
        "body_html": item.body_html,
        "body_safe_html": item.body_safe_html,
    }
    if isinstance(item, Post):
        db.session.add(Revision(post_id=item.id, **text))
    else:
        db.session.add(
            Revision(thread_id=item.id, title=item.title, spoiler_title=item.spoiler_title, **text)
        )
