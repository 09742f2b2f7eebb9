"""Moderators' pages and buttons: thread and reply actions, bans, roles, the report queue.
Every route here is for moderators (admins for roles): the guard below asks permissions
first, so a member gets 403 even for a thread hidden from them; the services ask again."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm

from forum.models import Post
from forum.services import accounts, moderation, replies, reports, threads, user_moderation
from forum.services.errors import DomainError, Invalid
from forum.services.permissions import ban_message, can_moderate, is_moderator, require
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
from forum.web.helpers import show_errors

bp = Blueprint("moderation", __name__)
NOT_MODERATOR = "Only moderators can do that."
THREAD_ACTIONS = {  # action in the URL: (service, what the moderator is told)
    "lock": (moderation.lock_thread, "The thread is locked."),
    "unlock": (moderation.unlock_thread, "The thread is unlocked."),
    "pin": (moderation.pin_thread, "The thread is pinned."),
    "unpin": (moderation.unpin_thread, "The thread is unpinned."),
    "restore": (moderation.restore_thread, "The thread is restored."),
}


@bp.before_request
@login_required
def moderators_only():
    user = viewer()
    require(can_moderate(user), ban_message(user) if is_moderator(user) else NOT_MODERATOR)


def submitted(form: FlaskForm) -> FlaskForm:
    """The form, or Invalid (a 422 page naming the problem) when its shape is wrong."""
    if not form.validate_on_submit():
        fields = {name: " ".join(errors) for name, errors in form.errors.items()}
        raise Invalid("Please check the form: " + "; ".join(fields.values()), fields)
    return form


@bp.post("/threads/<int:thread_id>/<any(lock, unlock, pin, unpin, restore):action>")
def thread_action(thread_id: int, action: str):
    thread = threads.get_visible_thread(thread_id, viewer())
    form = submitted(ReasonForm())
    service, done = THREAD_ACTIONS[action]
    service(viewer(), thread, form.reason.data)
    flash(done, "success")
    return redirect(url_for("threads.show", thread_id=thread.id))


@bp.post("/threads/<int:thread_id>/status")
def theory_status(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    form = submitted(StatusForm())
    moderation.set_theory_status(viewer(), thread, form.status.data, form.note.data)
    flash(f"The theory is marked {thread.status.value}.", "success")
    return redirect(url_for("threads.show", thread_id=thread.id))


@bp.post("/threads/<int:thread_id>/spoiler")
def thread_spoiler(thread_id: int):
    """Flag (`spoiler=yes`) or unflag (`spoiler=no`) a thread as having spoilers."""
    thread = threads.get_visible_thread(thread_id, viewer())
    form = submitted(SpoilerFlagForm())
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
    return _wrap_page(post, post.thread, _post_url(post))


def _wrap_page(item, thread, back: str):
    form = WrapSpoilerForm()
    if form.validate_on_submit():
        try:
            moderation.wrap_spoiler(viewer(), item, form.passage.data, form.reason.data)
        except DomainError as err:
            if err.status != 422:
                raise
            flash(show_errors(form, err), "error")
        else:
            flash("The passage is wrapped in spoiler markup.", "success")
            return redirect(back)
    status = 422 if form.is_submitted() else 200
    page = render_template("moderation/wrap.html", item=item, thread=thread, form=form, back=back)
    return page, status


@bp.route("/threads/<int:thread_id>/remove", methods=["GET", "POST"])
def remove_thread(thread_id: int):
    """A confirmation page with the reason: removal asks first, even without JavaScript."""
    thread = threads.get_visible_thread(thread_id, viewer())
    form = RemoveForm()
    if form.validate_on_submit() and _try(form, moderation.remove_thread, thread):
        flash("The thread is removed: hidden from everyone but moderators.", "success")
        return redirect(url_for("threads.show", thread_id=thread.id))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/remove.html", thread=thread, post=None, form=form), status


@bp.route("/posts/<int:post_id>/remove", methods=["GET", "POST"])
def remove_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    form = RemoveForm()
    if form.validate_on_submit() and _try(form, moderation.remove_post, post):
        flash("The reply is removed: it shows as [removed by moderator].", "success")
        return redirect(_post_url(post))
    status = 422 if form.is_submitted() else 200
    page = render_template("moderation/remove.html", thread=post.thread, post=post, form=form)
    return page, status


@bp.post("/posts/<int:post_id>/restore")
def restore_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    form = submitted(ReasonForm())
    moderation.restore_post(viewer(), post, form.reason.data)
    flash("The reply is restored.", "success")
    return redirect(_post_url(post))


@bp.route("/u/<username>/ban", methods=["GET", "POST"])
def ban(username: str):
    user = accounts.get_user(username)
    form = BanForm()
    if form.validate_on_submit() and _try(form, user_moderation.ban_user, user, form.until.data):
        flash(f"{user.username} is banned.", "success")
        return redirect(url_for("users.profile", username=user.username))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/ban.html", user=user, form=form), status


@bp.post("/u/<username>/unban")
def unban(username: str):
    user = accounts.get_user(username)
    form = submitted(ReasonForm())
    user_moderation.unban_user(viewer(), user, form.reason.data)
    flash(f"{user.username} is no longer banned.", "success")
    return redirect(url_for("users.profile", username=user.username))


@bp.post("/u/<username>/role")
def role(username: str):
    user = accounts.get_user(username)
    form = submitted(RoleForm())
    user_moderation.set_role(viewer(), user, form.role.data, form.reason.data)
    flash(f"{user.username} is now {user.role.value}.", "success")
    return redirect(url_for("users.profile", username=user.username))


@bp.get("/mod/reports")
def report_queue():
    cursor = request.args.get("cursor") or None
    page = reports.report_queue(viewer(), cursor, limit=current_app.config["PAGE_SIZE"])
    return render_template("moderation/reports.html", page=page, form=ReasonForm())


@bp.post("/mod/reports/<int:report_id>/<any(resolve, dismiss):verdict>")
def close_report(report_id: int, verdict: str):
    found = reports.get_report(report_id)
    form = submitted(ReasonForm())
    close = reports.resolve_report if verdict == "resolve" else reports.dismiss_report
    close(viewer(), found, form.reason.data)
    flash(f"Report {'resolved' if verdict == 'resolve' else 'dismissed'}.", "success")
    return redirect(url_for(".report_queue"))


def _try(form: FlaskForm, service, target, *extra) -> bool:
    """Call `service(viewer(), target, form.reason.data, *extra)`; on bad input put the
    message on the form and answer False (permission errors still become 403 pages)."""
    try:
        service(viewer(), target, form.reason.data, *extra)
    except DomainError as err:
        if err.status != 422:
            raise
        flash(show_errors(form, err), "error")
        return False
    return True


def _post_url(post: Post) -> str:
    return url_for("threads.show", thread_id=post.thread_id, _anchor=f"post-{post.id}")
