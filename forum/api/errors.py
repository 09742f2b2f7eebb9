"""API.md's error shape: `{"error": {"code", "message", "fields"?}}`."""

from __future__ import annotations

from flask import Response, jsonify
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
MESSAGES = {
    404: "No such thing here.",
    405: "That method is not allowed here.",
    413: "The request body is over the 64 KiB limit.",
}


class CsrfFailed(DomainError):
    status = 400
    code = "csrf"


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    error: dict = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    response = jsonify({"error": error})
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def http_error_response(err: HTTPException) -> Response:
    """A werkzeug HTTP error (404, 405 with Allow, 413, 429 with Retry-After…) as JSON."""
    status = err.code or 500
    code = HTTP_CODES.get(status, "server_error" if status >= 500 else "bad_request")
    message = MESSAGES.get(status) or err.description or err.name
    keep = {"allow", "retry-after"}
    headers = {k: v for k, v in err.get_headers() if k.lower() in keep}
    return error_response(status, code, message, headers=headers)
