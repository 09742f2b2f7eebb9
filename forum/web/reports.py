"""Fans report a thread or a reply to the moderators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from forum import limits
from forum.services import replies, reports, threads
from forum.services.errors import DomainError
from forum.services.permissions import can_read_post, can_report, require
from forum.web import viewer
from forum.web.forms import ReportForm
from forum.web.helpers import post_url, show_errors

bp = Blueprint("reports", __name__)


@bp.route("/threads/<int:thread_id>/report", methods=["GET", "POST"])
@limits.report
@login_required
def report_thread(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    return _report(thread, None, url_for("threads.show", thread_id=thread.id))


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@limits.report
@login_required
def report_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    return _report(post.thread, post, post_url(post))


def _report(thread, post, back: str):
    require(can_report(viewer()))
    form = ReportForm()
    if form.validate_on_submit():
        kind, target_id = ("post", post.id) if post else ("thread", thread.id)
        try:
            reports.report(viewer(), kind, target_id, form.reason.data)
        except DomainError as err:
            if err.status != 422:
                raise
            flash(show_errors(form, err), "error")
        else:
            flash("Thank you: the moderators will look at it.", "success")
            return redirect(back)
    status = 422 if form.is_submitted() else 200
    readable = post is None or can_read_post(viewer(), post)
    return render_template(
        "moderation/report.html", thread=thread, post=post, form=form, readable=readable
    ), status
