"""The public record: the moderation log and the edit history of threads and replies."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from forum.services import moderation, replies, revisions, threads, withholding
from forum.services.permissions import can_read_post_spoilers
from forum.web import thread_spoilers_ok, viewer

bp = Blueprint("history", __name__)


@bp.get("/modlog")
def modlog():
    """Every moderation action, newest first. Read-only: no route edits or deletes it."""
    cursor = request.args.get("cursor") or None
    page = moderation.moderation_log(cursor, limit=current_app.config["PAGE_SIZE"])
    targets = moderation.log_targets(page.items)
    withheld = withholding.withheld_notes(page.items, targets, thread_spoilers_ok)
    return render_template("moderation/log.html", page=page, targets=targets, withheld=withheld)


@bp.get("/threads/<int:thread_id>/history")
def thread_history(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    found = revisions.revisions(viewer(), thread)
    return _history_page(thread, None, found)


@bp.get("/posts/<int:post_id>/history")
def post_history(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    found = revisions.revisions(viewer(), post)
    return _history_page(post.thread, post, found)


def _history_page(thread, post, found):
    """The versions, each withheld as its item is (API.md's spoiler rule)."""
    ok = thread_spoilers_ok(thread)
    if post is not None:
        ok = can_read_post_spoilers(viewer(), post, ok)
    item = post or thread
    return render_template(
        "moderation/history.html",
        thread=thread,
        post=post,
        revisions=found,
        spoilers_ok=ok,
        withheld=withholding.thread_withheld(thread, ok),
        withheld_ids={r.id for r in found if withholding.revision_withheld(r, item, ok)},
    )
