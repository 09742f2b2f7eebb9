"""A thread page, its reply tree, replying, editing and deleting."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from forum.services import replies, threads
from forum.services.errors import DomainError, Invalid
from forum.web import viewer
from forum.web.forms import EditPostForm, EditThreadForm, EmptyForm, ReplyForm
from forum.web.helpers import show_errors

bp = Blueprint("threads", __name__)


@bp.get("/threads/<int:thread_id>")
def show(thread_id: int, form: ReplyForm | None = None, status: int = 200):
    thread = threads.get_visible_thread(thread_id, viewer())
    sort = request.args.get("sort", "best")
    tree = replies.thread_tree(thread, sort, max_depth=current_app.config["REPLY_DEPTH_LIMIT"])
    return render_template(
        "threads/show.html", thread=thread, tree=tree, sort=sort, root=None,
        form=form or ReplyForm(), action_form=EmptyForm(), sorts=replies.REPLY_SORTS,
    ), status  # fmt: skip


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
    return render_template(
        "threads/show.html", thread=thread, tree=tree, sort=sort, root=root,
        form=ReplyForm(), action_form=EmptyForm(), sorts=replies.REPLY_SORTS,
    )  # fmt: skip


@bp.post("/threads/<int:thread_id>/replies")
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
            threads.edit_thread(viewer(), thread, form.title.data, form.body.data)
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
