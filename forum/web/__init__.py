"""The HTML site: blueprints and Jinja globals (error pages: forum/errors.py)."""

from __future__ import annotations

from flask import Flask, g, request, url_for
from flask_login import current_user

from forum.extensions import login_manager
from forum.models import TheoryStatus, User
from forum.services import accounts, following, inputs, notifications, permissions, withholding
from forum.services.threads import MAX_BODY
from forum.web import helpers


def viewer() -> User | None:
    """The signed-in user, or None. Pages ask it per row: once flask-login has loaded the
    request's user (into `g._login_user`, which log-in and log-out replace), read it there
    rather than through the `current_user` proxy."""
    user = g.get("_login_user") or current_user._get_current_object()
    return user if user.is_authenticated else None


def load_marks() -> following.Marks:
    """The viewer's films seen, mutes and followed films: loaded with the session's user
    (else one query), read at most once per request."""
    if "marks" not in g:
        g.marks = following.viewer_marks(viewer())
    return g.marks


def unread_count() -> int:
    """The header's count of the viewer's unread notifications: loaded with the session's
    user (else one query), read at most once per request."""
    if "unread_count" not in g:
        user = viewer()
        count = user.unread_notifications if user is not None else 0
        if count is None:  # the user was loaded another way, or expired by a commit
            count = notifications.unread_count(user)
        g.unread_count = count
    return g.unread_count


def seen_ids() -> frozenset[int]:
    """The films the viewer marked seen (with the rest of `load_marks`)."""
    return load_marks().seen


def mutes() -> following.Mutes:
    """What the viewer muted (with the rest of `load_marks`)."""
    return load_marks().mutes


def reveal_spoilers() -> bool:
    """`?reveal=spoilers` on this request: the viewer consents to spoilers for this page."""
    return request.args.get("reveal") == "spoilers"


def thread_spoilers_ok(thread) -> bool:
    """Whether this viewer may read this thread's spoilers on this request (API.md's rule)."""
    return permissions.can_read_thread_spoilers(viewer(), thread, reveal_spoilers(), seen_ids())


def reveal_url(thread=None) -> str:
    """This page again with `reveal=spoilers` (the thread's page after a POST)."""
    if request.method != "GET" and thread is not None:
        return url_for("threads.show", thread_id=thread.id, reveal="spoilers")
    args = request.args.to_dict(flat=False) | {"reveal": "spoilers"}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    from forum.web import (
        admin,
        auth,
        community,
        feeds,
        films,
        history,
        moderation,
        reports,
        search,
        theme,
        threads,
        users,
        world,
    )

    modules = (auth, films, threads, users, admin, moderation, history, reports, search, world)
    for module in (*modules, community, feeds):
        app.register_blueprint(module.bp)
    app.register_blueprint(theme.bp)
    app.extensions["page_cache_variants"].append(theme.current_theme)  # a copy per theme

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to do that."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(accounts.load_session_user)

    app.jinja_env.globals.update(
        {name: getattr(permissions, name) for name in dir(permissions) if name.startswith("can_")}
    )
    app.jinja_env.globals["viewer"] = viewer
    app.jinja_env.globals["theme"] = theme.current_theme
    app.jinja_env.globals["mutes"] = mutes
    app.jinja_env.globals["marks"] = load_marks
    app.jinja_env.globals["unread_count"] = unread_count
    app.jinja_env.globals["thread_spoilers_ok"] = thread_spoilers_ok
    app.jinja_env.globals["reveal_url"] = reveal_url
    app.jinja_env.globals["spoiler_html"] = withholding.body_html  # which stored HTML to print
    app.jinja_env.globals["status_only"] = withholding.status_only
    app.jinja_env.globals["ban_message"] = permissions.ban_message
    app.jinja_env.globals["theory_statuses"] = list(TheoryStatus)
    app.jinja_env.globals["MAX_BODY"] = MAX_BODY  # a textarea's maxlength
    app.jinja_env.globals["vote_action"] = helpers.vote_action
    app.jinja_env.globals["row_url"] = helpers.row_url
    from forum.web import filters

    filters.init_app(app)

    @app.before_request
    def refuse_invalid_text() -> None:
        """One guard for every site request: no NUL, control character or broken Unicode
        in the path, the query string or a form field reaches a view (or a database)."""
        if request.path.startswith("/api/"):
            return  # the API answers in its own shape (forum/api/parsing.py)
        fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
        inputs.check_texts([request.path, *(text for pair in fields for text in pair)])
