"""The HTML site: blueprints, error pages, Jinja globals."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forum.extensions import login_manager
from forum.models import TheoryStatus, User
from forum.services import accounts, permissions, seen
from forum.services.errors import DomainError
from forum.web.helpers import wants_json


def viewer() -> User | None:
    """The signed-in user, or None."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def seen_ids() -> frozenset[int]:
    """The films the viewer marked seen: one query per request, asked at most once."""
    if "seen_film_ids" not in g:
        g.seen_film_ids = seen.seen_film_ids(viewer())
    return g.seen_film_ids


def reveal_spoilers() -> bool:
    """`?reveal=spoilers` on this request: the viewer consents to spoilers for this page."""
    return request.args.get("reveal") == "spoilers"


def init_app(app: Flask) -> None:
    from forum.web import admin, auth, films, history, moderation, reports, search, threads, users

    for module in (auth, films, threads, users, admin, moderation, history, reports, search):
        app.register_blueprint(module.bp)

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to do that."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(accounts.load_session_user)

    app.jinja_env.globals.update(
        {name: getattr(permissions, name) for name in dir(permissions) if name.startswith("can_")}
    )
    app.jinja_env.globals["viewer"] = viewer
    app.jinja_env.globals["ban_message"] = permissions.ban_message
    app.jinja_env.globals["theory_statuses"] = list(TheoryStatus)
    from forum.web import filters

    filters.init_app(app)

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return _error_page(err.status, err.message, err.code, err.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        return _error_page(400, "Your form expired or came from elsewhere. Please try again.")

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        return _error_page(err.code or 500, err.description or err.name)

    @app.errorhandler(Exception)
    def server_error(err: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        return _error_page(500, "Something broke on our side. It has been logged.")


TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Please check your input",
    423: "Locked",
    429: "Slow down",
    500: "Server error",
}


def _error_page(status: int, message: str, code: str | None = None, fields=None):
    if wants_json():  # the site's own scripts (voting) read errors as API.md's shape
        error = {"code": code or TITLES.get(status, "error").lower().replace(" ", "_"),
                 "message": message, **({"fields": fields} if fields else {})}  # fmt: skip
        return {"error": error}, status
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status
