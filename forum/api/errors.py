"""The API's own refusal; every error answer is built in forum/errors.py."""

from __future__ import annotations

from forum.errors import HTTP_CODES, error_response
from forum.services.errors import DomainError

__all__ = ["HTTP_CODES", "CsrfFailed", "error_response"]


class CsrfFailed(DomainError):
    status = 400
    code = "csrf"
