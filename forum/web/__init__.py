"""The HTML site: blueprints, error pages, Jinja globals."""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forum.extensions import login_manager
from forum.models import TheoryStatus, User
from forum.services import accounts, inputs, permissions
from forum.services.errors import DomainError
from forum.services.threads import MAX_BODY
from forum.web.helpers import wants_json


def viewer() -> User | None:
    """The signed-in user, or None."""
    return current_user._get_current_object() if current_user.is_authenticated else None


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
    app.jinja_env.globals["MAX_BODY"] = MAX_BODY  # a textarea's maxlength
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
        response = make_response(_error_page(err.code or 500, err.description or err.name))
        for name, value in err.get_headers():
            if name.lower() in ("allow", "retry-after"):  # 405 says which methods will do
                response.headers[name] = value
        return response

    @app.before_request
    def refuse_invalid_text() -> None:
        """One guard for every site request: no NUL, control character or broken Unicode
        in the path, the query string or a form field reaches a view (or a database)."""
        if request.path.startswith("/api/"):
            return  # the API answers in its own shape (forum/api/parsing.py)
        fields = [*request.args.items(multi=True), *request.form.items(multi=True)]
        inputs.check_texts([request.path, *(text for pair in fields for text in pair)])

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
        error = {
            "code": code or TITLES.get(status, "error").lower().replace(" ", "_"),
            "message": message,
            **({"fields": fields} if fields else {}),
        }
        return {"error": error}, status
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status
