"""The public record: the moderation log and the edit history of threads and replies."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from forum.services import moderation, replies, revisions, threads
from forum.web import viewer

bp = Blueprint("history", __name__)


@bp.get("/modlog")
def modlog():
    """Every moderation action, newest first. Read-only: no route edits or deletes it."""
    cursor = request.args.get("cursor") or None
    page = moderation.moderation_log(cursor, limit=current_app.config["PAGE_SIZE"])
    targets = moderation.log_targets(page.items)
    return render_template("moderation/log.html", page=page, targets=targets)


@bp.get("/threads/<int:thread_id>/history")
def thread_history(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    found = revisions.revisions(viewer(), thread)
    return render_template("moderation/history.html", thread=thread, post=None, revisions=found)


@bp.get("/posts/<int:post_id>/history")
def post_history(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    found = revisions.revisions(viewer(), post)
    return render_template(
        "moderation/history.html", thread=post.thread, post=post, revisions=found
    )
