"""Fans report a thread or a reply to the moderators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from forum import limits
from forum.services import replies, reports, threads
from forum.services.permissions import can_read_post, can_report, require
from forum.web import viewer
from forum.web.forms import ReportForm
from forum.web.helpers import post_url
from forum.web.submit import form_page, keeps_form

bp = Blueprint("reports", __name__)


@bp.route("/threads/<int:thread_id>/report", methods=["GET", "POST"])
@limits.report
@login_required
@keeps_form
def report_thread(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    return _report(thread, None, url_for("threads.show", thread_id=thread.id))


@bp.route("/posts/<int:post_id>/report", methods=["GET", "POST"])
@limits.report
@login_required
@keeps_form
def report_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    return _report(post.thread, post, post_url(post))


def _report(thread, post, back: str):
    require(can_report(viewer()))
    form = ReportForm()

    def send():
        kind, target_id = ("post", post.id) if post else ("thread", thread.id)
        reports.report(viewer(), kind, target_id, form.reason.data, form.category.data)
        flash("Thank you: the moderators will look at it.", "success")
        return redirect(back)

    readable = post is None or can_read_post(viewer(), post)
    return form_page(
        form,
        send,
        lambda: render_template(
            "moderation/report.html", thread=thread, post=post, form=form, readable=readable
        ),
    )
