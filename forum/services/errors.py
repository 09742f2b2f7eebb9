"""Domain errors. The web turns them into pages, the API into API.md's JSON shape."""

from __future__ import annotations

import enum
from typing import TypeVar

E = TypeVar("E", bound=enum.Enum)


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Invalid(DomainError):
    status = 422
    code = "invalid"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Locked(DomainError):
    status = 423
    code = "locked"


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


def parse_choice(choices: type[E], value: E | str, field: str, what: str | None = None) -> E:
    """`value` as a member of `choices`, or Invalid naming the field and what it may be."""
    try:
        return choices(value)
    except ValueError as err:
        allowed = ", ".join(m.value for m in choices)
        raise Invalid(f"Unknown {what or field}.", {field: f"One of {allowed}."}) from err
