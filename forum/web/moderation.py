"""Moderators' pages and buttons: thread and reply actions, bans, roles, the report queue.
Every route here is for moderators (admins for roles): the guard below asks permissions
first, so a member gets 403 even for a thread hidden from them; the services ask again."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from forum.models import ReportCategory
from forum.services import (
    accounts,
    films,
    markup,
    moderation,
    replies,
    reports,
    threads,
    user_moderation,
)
from forum.services.errors import Invalid
from forum.services.permissions import require_moderator
from forum.web import viewer
from forum.web.forms import (
    BanForm,
    ReasonForm,
    RemoveForm,
    RoleForm,
    SpoilerFlagForm,
    StatusForm,
    WrapSpoilerForm,
)
from forum.web.helpers import post_url
from forum.web.submit import form_page, require_valid

bp = Blueprint("moderation", __name__)
ACTION_NAMES = ", ".join(moderation.THREAD_ACTIONS)


@bp.before_request
@login_required
def moderators_only():
    require_moderator(viewer())


@bp.post(f"/threads/<int:thread_id>/<any({ACTION_NAMES}):action>")
def thread_action(thread_id: int, action: str):
    thread = threads.get_visible_thread(thread_id, viewer())
    form = require_valid(ReasonForm())
    service, state = moderation.THREAD_ACTIONS[action]
    service(viewer(), thread, form.reason.data)
    flash(f"The thread is {state}.", "success")
    return redirect(url_for("threads.show", thread_id=thread.id))


@bp.post("/threads/<int:thread_id>/status")
def theory_status(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    form = require_valid(StatusForm())
    film = films.get_film(form.film.data) if form.film.data else None
    seconds = None
    if form.timestamp.data:
        seconds = markup.parse_moment(form.timestamp.data)
        if seconds is None:
            raise Invalid(
                "That moment is not a timestamp.", {"timestamp": "Like 1:42:10 or 42:10."}
            )
    moderation.set_theory_status(viewer(), thread, form.status.data, form.note.data, film, seconds)
    flash(f"The theory is marked {thread.status.value}.", "success")
    return redirect(url_for("threads.show", thread_id=thread.id))


@bp.post("/threads/<int:thread_id>/spoiler")
def thread_spoiler(thread_id: int):
    """Flag (`spoiler=yes`) or unflag (`spoiler=no`) a thread as having spoilers."""
    thread = threads.get_visible_thread(thread_id, viewer())
    form = require_valid(SpoilerFlagForm())
    flagged = form.spoiler.data == "yes"
    moderation.set_spoiler(viewer(), thread, flagged, form.reason.data)
    flash(f"The thread is {'' if flagged else 'no longer '}flagged as spoilers.", "success")
    return redirect(url_for("threads.show", thread_id=thread.id))


@bp.route("/threads/<int:thread_id>/wrap-spoiler", methods=["GET", "POST"])
def wrap_thread_spoiler(thread_id: int):
    """A page to wrap a passage of the thread's text in spoiler markup."""
    thread = threads.get_visible_thread(thread_id, viewer())
    return _wrap_page(thread, thread, url_for("threads.show", thread_id=thread.id))


@bp.route("/posts/<int:post_id>/wrap-spoiler", methods=["GET", "POST"])
def wrap_post_spoiler(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    return _wrap_page(post, post.thread, post_url(post))


def _wrap_page(item, thread, back: str):
    form = WrapSpoilerForm()

    def wrap():
        moderation.wrap_spoiler(viewer(), item, form.passage.data, form.reason.data)
        flash("The passage is wrapped in spoiler markup.", "success")
        return redirect(back)

    return form_page(
        form,
        wrap,
        lambda: render_template(
            "moderation/wrap.html", item=item, thread=thread, form=form, back=back
        ),
    )


@bp.route("/threads/<int:thread_id>/remove", methods=["GET", "POST"])
def remove_thread(thread_id: int):
    """A confirmation page with the reason: removal asks first, even without JavaScript."""
    thread = threads.get_visible_thread(thread_id, viewer())
    form = RemoveForm()

    def remove():
        moderation.remove_thread(viewer(), thread, form.reason.data)
        flash("The thread is removed: hidden from everyone but moderators.", "success")
        return redirect(url_for("threads.show", thread_id=thread.id))

    return form_page(
        form,
        remove,
        lambda: render_template("moderation/remove.html", thread=thread, post=None, form=form),
    )


@bp.route("/posts/<int:post_id>/remove", methods=["GET", "POST"])
def remove_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    form = RemoveForm()

    def remove():
        moderation.remove_post(viewer(), post, form.reason.data)
        flash("The reply is removed: it shows as [removed by moderator].", "success")
        return redirect(post_url(post))

    return form_page(
        form,
        remove,
        lambda: render_template("moderation/remove.html", thread=post.thread, post=post, form=form),
    )


@bp.post("/posts/<int:post_id>/restore")
def restore_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    form = require_valid(ReasonForm())
    moderation.restore_post(viewer(), post, form.reason.data)
    flash("The reply is restored.", "success")
    return redirect(post_url(post))


@bp.route("/u/<username>/ban", methods=["GET", "POST"])
def ban(username: str):
    user = accounts.get_user(username)
    form = BanForm()

    def ban_them():
        user_moderation.ban_user(viewer(), user, form.reason.data, form.until.data)
        flash(f"{user.username} is banned.", "success")
        return redirect(url_for("users.profile", username=user.username))

    return form_page(
        form, ban_them, lambda: render_template("moderation/ban.html", user=user, form=form)
    )


@bp.post("/u/<username>/unban")
def unban(username: str):
    user = accounts.get_user(username)
    form = require_valid(ReasonForm())
    user_moderation.unban_user(viewer(), user, form.reason.data)
    flash(f"{user.username} is no longer banned.", "success")
    return redirect(url_for("users.profile", username=user.username))


@bp.post("/u/<username>/role")
def role(username: str):
    user = accounts.get_user(username)
    form = require_valid(RoleForm())
    user_moderation.set_role(viewer(), user, form.role.data, form.reason.data)
    flash(f"{user.username} is now {user.role.value}.", "success")
    return redirect(url_for("users.profile", username=user.username))


@bp.get("/mod/reports")
def report_queue():
    cursor = request.args.get("cursor") or None
    page = reports.report_queue(
        viewer(), cursor, limit=current_app.config["PAGE_SIZE"], by_category=True
    )
    labels = {c.value: c.label for c in ReportCategory}
    return render_template(
        "moderation/reports.html", page=page, form=ReasonForm(), report_labels=labels
    )


@bp.post("/mod/reports/<int:report_id>/<any(resolve, dismiss):verdict>")
def close_report(report_id: int, verdict: str):
    found = reports.get_report(report_id)
    form = require_valid(ReasonForm())
    close = reports.resolve_report if verdict == "resolve" else reports.dismiss_report
    close(viewer(), found, form.reason.data)
    flash(f"Report {'resolved' if verdict == 'resolve' else 'dismissed'}.", "success")
    return redirect(url_for(".report_queue"))
