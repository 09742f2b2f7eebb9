"""Small serializers with API.md's exact field names; models don't know they are JSON."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from flask import url_for

from forum.models import (
    ApiToken,
    Film,
    ModAction,
    Post,
    Report,
    Revision,
    Thread,
    Universe,
    User,
)
from forum.services import withholding
from forum.services.permissions import (
    can_read_post,
    can_read_post_spoilers,
    can_read_thread,
    can_read_thread_spoilers,
)
from forum.services.votes import VoteResult


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z suffix."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role.value,
        "karma": user.karma,
        "created_at": iso(user.created_at),
        "html_url": url_for("users.profile", username=user.username, _external=True),
    }


def token_json(token: ApiToken) -> dict[str, Any]:
    """API.md's Token: never the secret itself."""
    return {
        "id": token.id,
        "created_at": iso(token.created_at),
        "last_used_at": iso(token.last_used_at),
        "expires_at": iso(token.expires_at),
    }


def film_summary_json(film: Film) -> dict[str, Any]:
    return {
        "slug": film.slug,
        "title": film.title,
        "year": film.year,
        "timeline_order": film.timeline_order,
        "html_url": url_for("films.board", slug=film.slug, _external=True),
    }


def film_json(film: Film, seen_film_ids: Collection[int] = ()) -> dict[str, Any]:
    """A board; `seen` says whether the viewer marked it seen (their `seen_film_ids`)."""
    return {
        **film_summary_json(film),
        "release_date": film.release_date.isoformat() if film.release_date else None,
        "universe": film.universe.slug if film.universe else None,
        "synopsis": film.synopsis,
        "thread_count": film.thread_count,
        "spoiler_window_days": film.spoiler_window_days,
        "runtime_minutes": film.runtime_minutes,
        "seen": film.id in seen_film_ids,
    }


def universe_json(universe: Universe) -> dict[str, Any]:
    return {
        "slug": universe.slug,
        "name": universe.name,
        "films": [film_summary_json(film) for film in universe.films],
    }


def thread_json(
    thread: Thread,
    viewer: User | None,
    my_vote: int = 0,
    seen_film_ids: Collection[int] = (),
    reveal: bool = False,
) -> dict[str, Any]:
    """A thread as `viewer` may see it: a spoiler-flagged thread's body and full title are
    withheld unless they may read its film's spoilers (`seen_film_ids`, `reveal`)."""
    readable = can_read_thread(viewer, thread)
    spoilers_ok = can_read_thread_spoilers(viewer, thread, reveal, seen_film_ids)
    withheld = withholding.thread_withheld(thread, spoilers_ok)  # API.md: flagged threads
    inline_withheld = withholding.withheld(thread, spoilers_ok, thread.spoiler)
    shown = readable and not withheld
    return {
        "id": thread.id,
        "film": thread.film.slug,
        "title": thread.title,
        "spoiler_title": thread.spoiler_title if spoilers_ok else None,
        "kind": thread.kind.value,
        "status": thread.status.value if thread.status else None,
        "author": _author(thread, readable),
        "body": thread.body if shown and not inline_withheld else None,
        "body_html": withholding.body_html(thread, spoilers_ok) if shown else None,
        "spoiler": thread.spoiler,
        "withheld": withheld,
        "tags": thread.tags,
        **_counts(thread),
        "reply_count": thread.reply_count,
        "locked": thread.locked,
        "pinned": thread.pinned,
        "removed": thread.removed,
        "deleted": thread.deleted,
        "created_at": iso(thread.created_at),
        "last_activity_at": iso(thread.last_activity_at),
        "edited_at": iso(thread.edited_at),
        "my_vote": my_vote,
        "html_url": url_for("threads.show", thread_id=thread.id, _external=True),
    }


def post_json(
    post: Post, viewer: User | None, thread_spoilers_ok: bool, my_vote: int = 0
) -> dict[str, Any]:
    """A reply as `viewer` may see it: nothing of it in a spoiler-flagged thread, and its
    inline spoilers as placeholders, unless they may read the thread's spoilers."""
    readable = can_read_post(viewer, post)
    spoilers_ok = can_read_post_spoilers(viewer, post, thread_spoilers_ok)
    flagged_out = withholding.thread_withheld(post.thread, spoilers_ok)
    withheld = withholding.withheld(post, spoilers_ok, post.thread.spoiler)
    shown = readable and not flagged_out
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "parent_id": post.parent_id,
        "depth": post.depth,
        "author": _author(post, readable),
        "body": post.body if shown and not withheld else None,
        "body_html": withholding.body_html(post, spoilers_ok) if shown else None,
        "withheld": withheld,
        **_counts(post),
        "removed": post.removed,
        "deleted": post.deleted,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "my_vote": my_vote,
    }


def vote_json(result: VoteResult) -> dict[str, int]:
    return {
        "score": result.score,
        "upvotes": result.upvotes,
        "downvotes": result.downvotes,
        "my_vote": result.my_vote,
    }


def revision_json(revision: Revision, withheld: bool) -> dict[str, Any]:
    """An earlier version; its Markdown is null when withheld (`withholding.revision_withheld`)."""
    return {
        "id": revision.id,
        "body": None if withheld else revision.body,
        "title": revision.title,
        "created_at": iso(revision.created_at),
        "editor": revision.editor.username,
    }


def mod_action_json(action: ModAction, note_withheld: bool = False) -> dict[str, Any]:
    """A log entry; the note that settled a spoiler-flagged theory may be withheld."""
    return {
        "id": action.id,
        "action": action.action,
        "moderator": action.moderator.username,
        "target_type": action.target_type,
        "target_id": action.target_id,
        "reason": withholding.status_only(action.reason) if note_withheld else action.reason,
        "created_at": iso(action.created_at),
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "target_type": report.target_type,
        "target_id": report.target_id,
        "reason": report.reason,
        "category": report.category,
        "reporter": report.reporter.username,
        "status": report.status,
        "created_at": iso(report.created_at),
    }


def _author(item: Thread | Post, readable: bool) -> str | None:
    """The author's name; null once the author deleted it (moderators still see it)."""
    if item.deleted and not readable:
        return None
    return item.author.username


def _counts(item: Thread | Post) -> dict[str, int]:
    return {"score": item.score, "upvotes": item.upvotes, "downvotes": item.downvotes}
