"""Notifications, the Following page, follow and mute buttons, and the digest's
unsubscribe link."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from forum.extensions import csrf
from forum.services import accounts, films, following, notifications, threads
from forum.services.errors import Invalid
from forum.services.permissions import can_read_thread_spoilers
from forum.web import seen_ids, unread_count, viewer
from forum.web.forms import EmptyForm, MarkReadForm, NameForm, NotificationSettingsForm
from forum.web.helpers import safe_next
from forum.web.submit import require_valid

bp = Blueprint("community", __name__)


@bp.get("/notifications")
@login_required
def notification_list():
    user = viewer()
    unread = request.args.get("show") == "unread"
    page = notifications.notifications_page(
        user, unread, request.args.get("cursor") or None, current_app.config["PAGE_SIZE"]
    )
    seen = seen_ids()
    notes = {
        n.id: n.note if can_read_thread_spoilers(user, n.thread, False, seen)
        else notifications.withheld_note(n)
        for n in page.items
    }  # fmt: skip
    return render_template(
        "community/notifications.html",
        groups=notifications.grouped(page.items),
        page=page,
        notes=notes,
        unread=unread,
        form=MarkReadForm(),
    )


@bp.post("/notifications/read")
@login_required
def mark_read():
    form = require_valid(MarkReadForm())
    ids = None
    if form.ids.data:
        try:
            ids = [int(part) for part in form.ids.data.split(",")]
        except ValueError as err:
            raise Invalid("Those are not notifications.", {"ids": "Numbers, please."}) from err
    count = notifications.mark_read(viewer(), ids)
    if ids is None:
        flash("Every notification is marked read.", "success")
    elif count:
        flash("Marked read.", "success")
    return redirect(safe_next(request.args.get("next")) or url_for(".notification_list"))


@bp.get("/following")
@login_required
def following_page():
    unread_count()  # before the look's commit expires the user it came with
    found = following.following(viewer(), look=True)
    return render_template("community/following.html", found=found, form=NameForm())


def _back(fallback: str):
    return redirect(safe_next(request.form.get("next")) or fallback)


@bp.post("/threads/<int:thread_id>/follow")
@login_required
def follow_thread(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    require_valid(EmptyForm())
    if request.form.get("follow") == "no":
        following.unfollow_thread(viewer(), thread)
        flash("You no longer follow this thread.", "info")
    else:
        following.follow_thread(viewer(), thread)
        flash("You follow this thread: new replies show in your notifications.", "success")
    return _back(url_for("threads.show", thread_id=thread.id))


@bp.post("/films/<slug>/follow")
@login_required
def follow_film(slug: str):
    film = films.get_film(slug)
    require_valid(EmptyForm())
    if request.form.get("follow") == "no":
        following.unfollow_film(viewer(), film)
        flash(f"You no longer follow {film.title}.", "info")
    else:
        following.follow_film(viewer(), film)
        flash(f"You follow {film.title}: its new threads show in your notifications.", "success")
    return _back(url_for("films.board", slug=film.slug))


@bp.post("/tags/follow")
@login_required
def follow_tag():
    form = require_valid(NameForm())
    if request.form.get("follow") == "no":
        following.unfollow_tag(viewer(), form.name.data)
        flash("You no longer follow that tag.", "info")
    else:
        tag = following.follow_tag(viewer(), form.name.data)
        flash(f"You follow #{tag}: its new threads show in your notifications.", "success")
    return _back(url_for(".following_page"))


@bp.post("/u/<username>/mute")
@login_required
def mute_user(username: str):
    user = accounts.get_user(username)
    require_valid(EmptyForm())
    if request.form.get("mute") == "no":
        following.unmute_user(viewer(), user)
        flash(f"You no longer mute {user.username}.", "info")
    else:
        following.mute_user(viewer(), user)
        flash(f"You muted {user.username}: their writing is folded away and they can't "
              "notify you.", "success")  # fmt: skip
    return _back(url_for("users.profile", username=user.username))


@bp.post("/films/<slug>/mute")
@login_required
def mute_film(slug: str):
    film = films.get_film(slug)
    require_valid(EmptyForm())
    if request.form.get("mute") == "no":
        following.unmute_film(viewer(), film)
        flash(f"{film.title} is back on your front page.", "info")
    else:
        following.mute_film(viewer(), film)
        flash(f"You muted {film.title}: its threads leave your front page.", "success")
    return _back(url_for("films.board", slug=film.slug))


@bp.post("/tags/mute")
@login_required
def mute_tag():
    form = require_valid(NameForm())
    if request.form.get("mute") == "no":
        following.unmute_tag(viewer(), form.name.data)
        flash("That tag is back on your front page.", "info")
    else:
        tag = following.mute_tag(viewer(), form.name.data)
        flash(f"You muted #{tag}: its threads leave your front page.", "success")
    return _back(url_for("auth.account", _anchor="muted"))


@bp.post("/account/notifications")
@login_required
def settings():
    form = require_valid(NotificationSettingsForm())
    accounts.set_notification_switches(
        viewer(), **{name: getattr(form, name).data for name in form.SWITCHES}
    )
    flash("Your notification settings are saved.", "success")
    return redirect(url_for("auth.account", _anchor="notifications"))


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof (RFC 8058 one-click: a POST from the mail app)
def unsubscribe(token: str):
    from forum.services import digest

    user = digest.user_for_unsubscribe(token)  # NotFound for a bad or forged token
    if request.method == "POST":
        digest.unsubscribe(user)
        return render_template("community/unsubscribed.html", done=True)
    return render_template("community/unsubscribed.html", done=False, token=token)
