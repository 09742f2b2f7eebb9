"""A thread page, its reply tree, replying, editing and deleting."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from forum import limits
from forum.services import replies, threads, votes
from forum.services.errors import DomainError, Invalid
from forum.services.permissions import can_read_thread_spoilers
from forum.web import reveal_spoilers, seen_ids, viewer
from forum.web.forms import EditPostForm, EditThreadForm, EmptyForm, ReplyForm, VoteForm
from forum.web.helpers import safe_next, show_errors, wants_json

bp = Blueprint("threads", __name__)


@bp.get("/threads/<int:thread_id>")
def show(thread_id: int, form: ReplyForm | None = None, status: int = 200):
    thread = threads.get_visible_thread(thread_id, viewer())
    sort = request.args.get("sort", "best")
    tree = replies.thread_tree(thread, sort, max_depth=current_app.config["REPLY_DEPTH_LIMIT"])
    mine = votes.my_votes(viewer(), [thread.id], replies.post_ids(tree))
    return render_template(
        "threads/show.html", thread=thread, tree=tree, sort=sort, root=None,
        form=form or ReplyForm(), action_form=EmptyForm(), sorts=replies.REPLY_SORTS,
        my_votes=mine, spoilers_ok=_spoilers_ok(thread),
    ), status  # fmt: skip


def _spoilers_ok(thread) -> bool:
    """Whether this viewer may read this thread's spoilers (API.md's rule)."""
    return can_read_thread_spoilers(viewer(), thread, reveal_spoilers(), seen_ids())


@bp.get("/threads/<int:thread_id>/replies/<int:post_id>")
def continue_thread(thread_id: int, post_id: int):
    """The subtree under one reply: where "continue this thread" leads."""
    thread = threads.get_visible_thread(thread_id, viewer())
    root = replies.get_visible_post(post_id, viewer())
    if root.thread_id != thread.id:
        return redirect(url_for(".continue_thread", thread_id=root.thread_id, post_id=root.id))
    sort = request.args.get("sort", "best")
    tree = replies.thread_tree(
        thread, sort, root=root, max_depth=current_app.config["REPLY_DEPTH_LIMIT"]
    )
    mine = votes.my_votes(viewer(), [thread.id], [root.id, *replies.post_ids(tree)])
    return render_template(
        "threads/show.html", thread=thread, tree=tree, sort=sort, root=root,
        form=ReplyForm(), action_form=EmptyForm(), sorts=replies.REPLY_SORTS,
        my_votes=mine, spoilers_ok=_spoilers_ok(thread),
    )  # fmt: skip


@bp.post("/threads/<int:thread_id>/replies")
@limits.reply
@login_required
def reply(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    form = ReplyForm()
    if not form.validate_on_submit():
        return show(thread_id, form=form, status=422)
    parent = None
    if form.parent_id.data:
        if not form.parent_id.data.isdigit():
            raise Invalid("That reply does not exist.")
        parent = replies.get_visible_post(int(form.parent_id.data), viewer())
    try:
        post = replies.reply(viewer(), thread, form.body.data, parent)
    except DomainError as err:
        if err.status != 422:
            raise
        flash(show_errors(form, err), "error")
        return show(thread_id, form=form, status=422)
    return redirect(url_for(".show", thread_id=thread.id, _anchor=f"post-{post.id}"))


@bp.route("/threads/<int:thread_id>/edit", methods=["GET", "POST"])
@login_required
def edit(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    threads.ensure_editable(viewer(), thread)
    form = EditThreadForm(obj=thread)
    if form.validate_on_submit():
        try:
            threads.edit_thread(
                viewer(), thread, form.title.data, form.body.data, form.spoiler_title.data or ""
            )
        except DomainError as err:
            if err.status != 422:
                raise
            flash(show_errors(form, err), "error")
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for(".show", thread_id=thread.id))
    status = 422 if form.is_submitted() else 200
    return render_template("threads/edit.html", thread=thread, form=form), status


@bp.post("/threads/<int:thread_id>/delete")
@login_required
def delete(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    if EmptyForm().validate_on_submit():
        threads.delete_thread(viewer(), thread)
        flash("Your thread is deleted.", "info")
    return redirect(url_for("films.board", slug=thread.film.slug))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    replies.ensure_editable(viewer(), post)
    form = EditPostForm(obj=post)
    if form.validate_on_submit():
        try:
            replies.edit_post(viewer(), post, form.body.data)
        except DomainError as err:
            if err.status != 422:
                raise
            flash(show_errors(form, err), "error")
        else:
            flash("Your reply is updated.", "success")
            return redirect(_post_url(post))
    status = 422 if form.is_submitted() else 200
    return render_template("threads/edit_post.html", post=post, form=form), status


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    if EmptyForm().validate_on_submit():
        replies.delete_post(viewer(), post)
        flash("Your reply is deleted.", "info")
    return redirect(_post_url(post))


def _post_url(post) -> str:
    return url_for(".show", thread_id=post.thread_id, _anchor=f"post-{post.id}")


@bp.post("/threads/<int:thread_id>/vote")
@limits.vote
def vote_thread(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    return _vote(thread, url_for(".show", thread_id=thread.id, _anchor="thread"))


@bp.post("/posts/<int:post_id>/vote")
@limits.vote
def vote_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    return _vote(post, _post_url(post))


def _vote(item, fallback: str):
    """Every arrow's form lands here: JSON for the page's script (`Accept:
    application/json`), otherwise a redirect back to where the voter was."""
    form = VoteForm()
    back = safe_next(form.next.data) or fallback
    if viewer() is None:
        return _log_in_to_vote(back)
    if not form.validate_on_submit():
        raise Invalid("A vote is 1 (up), -1 (down) or 0 (take it back).", {"value": "-1, 0 or 1"})
    result = votes.cast_vote(viewer(), item, form.value.data)
    return asdict(result) if wants_json() else redirect(back)


def _log_in_to_vote(back: str):
    login_url = url_for("auth.login", next=back)
    if wants_json():
        error = {"code": "unauthorized", "message": "Please log in to vote."}
        return {"error": error, "login_url": login_url}, 401
    flash("Please log in to vote.", "info")
    return redirect(login_url)
