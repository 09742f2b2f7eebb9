"""Public profiles."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from forum.services import accounts, moderation, replies, threads, votes
from forum.web import viewer
from forum.web.forms import RoleForm

bp = Blueprint("users", __name__)


@bp.get("/u/<username>")
def profile(username: str):
    user = accounts.get_user(username)
    tab = "replies" if request.args.get("tab") == "replies" else "threads"
    cursor = request.args.get("cursor") or None
    status = request.args.get("status") or None
    if tab == "threads":
        page = threads.user_threads(user, cursor, status=status)
        mine = votes.my_votes(viewer(), thread_ids=[t.id for t in page.items])
    else:
        page = replies.user_posts(user, cursor)
        mine = votes.my_votes(viewer(), post_ids=[p.id for p in page.items])
    return render_template(
        "users/profile.html",
        user=user,
        tab=tab,
        page=page,
        my_votes=mine,
        theories=moderation.theory_counts(user),
        status=status if tab == "threads" else None,
        role_form=RoleForm(role=user.role.value),
        feed_url=url_for("feeds.user", username=user.username),
        feed_title=f"{user.username}'s threads and replies (Atom)",
    )
