"""Every error answer, site and API alike, in one place.

One decision says who gets JSON (`wants_json`: any /api/ path, or the site's own scripts
asking with `Accept: application/json`); everyone else gets the site's error page. Domain
errors, CSRF refusals, HTTP errors (404, 405 with Allow, 413), rate limits (429 with
Retry-After) and crashes all go through `answer`. The handlers are registered on the app
once, so nothing depends on which blueprint is registered first."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, make_response, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forum.services.errors import DomainError

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "bad_request",
    422: "invalid",
    423: "locked",
    429: "rate_limited",
}
API_MESSAGES = {
    404: "No such thing here.",
    405: "That method is not allowed here.",
    413: "The request body is over the 64 KiB limit.",
}
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
CSRF_MESSAGE = "Your form expired or came from elsewhere. Please try again."
CRASH_MESSAGE = "Something broke on our side. It has been logged."
KEPT_HEADERS = {"allow", "retry-after"}


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def wants_json() -> bool:
    """The API, or the site's own scripts (voting), which read API.md's error shape."""
    if is_api_request():
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """API.md's shape: `{"error": {"code", "message", "fields"?}}`."""
    error: dict = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    response = jsonify({"error": error})
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def error_page(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    title = TITLES.get(status, "Error")
    page = render_template("errors/error.html", status=status, title=title, message=message)
    response = make_response(page, status)
    response.headers.update(headers or {})
    return response


def answer(
    status: int,
    message: str,
    code: str | None = None,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """JSON for whoever wants JSON, the error page for everyone else."""
    if wants_json():
        code = code or HTTP_CODES.get(status, "server_error" if status >= 500 else "bad_request")
        return error_response(status, code, message, fields, headers)
    return error_page(status, message, headers)


def http_error_response(err: HTTPException) -> Response:
    """A werkzeug HTTP error (404, 405 with Allow, 413…), keeping Allow and Retry-After."""
    status = err.code or 500
    headers = {k: v for k, v in err.get_headers() if k.lower() in KEPT_HEADERS}
    message = (API_MESSAGES.get(status) if wants_json() else None) or err.description or err.name
    return answer(status, message, headers=headers)


def rate_limited(err: RateLimitExceeded) -> Response:
    from forum import limits

    seconds = limits.retry_after()
    limits.log_breach(err)
    return answer(429, limits.slow_down_message(seconds), headers={"Retry-After": str(seconds)})


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return answer(err.status, err.message, err.code, err.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        return answer(400, CSRF_MESSAGE, "csrf")

    @app.errorhandler(RateLimitExceeded)
    def rate_limit(err: RateLimitExceeded):
        return rate_limited(err)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        return http_error_response(err)

    @app.errorhandler(Exception)
    def crash(err: Exception):
        current_app.logger.exception("Unhandled error on %s", request.path)
        return answer(500, CRASH_MESSAGE, "server_error")
