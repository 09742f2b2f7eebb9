"""What fans type into forms and query strings, read one way everywhere: one guard for text
no database or page should hold, one integer parser, one way for times to enter (UTC,
range-checked)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from forum.models import utcnow
from forum.services.errors import BadRequest, Invalid

# NUL (PostgreSQL can't store it), the other C0 controls but tab and line breaks, and lone
# surrogates (not encodable as UTF-8).
_INVALID_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_ID = re.compile(r"[1-9][0-9]{0,9}")  # ASCII digits only: "²" and "٣" are not ids
MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL


def is_valid_text(value: str) -> bool:
    return _INVALID_TEXT.search(value) is None


def check_texts(values: Iterable[str]) -> None:
    """BadRequest when any of `values` holds a NUL, a control character or a lone surrogate."""
    if not all(map(is_valid_text, values)):
        raise BadRequest(
            "The request holds characters that can't be text (NUL, control characters or "
            "broken Unicode). Please remove them and try again."
        )


def parse_id(value: str | None, field: str, what: str = "That") -> int | None:
    """A form's or query string's id: None when empty, else a positive whole number in
    ASCII digits that fits the id column, or Invalid naming the field."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _ID.fullmatch(value) or int(value) > MAX_ID:
        raise Invalid(f"{what} does not exist.", {field: "Must be a whole number like 42."})
    return int(value)


def utc_moment(
    moment: datetime, field: str, earliest: datetime, latest: datetime, what: str = "time"
) -> datetime:
    """A time as UTC (a naive one is taken as UTC) within [earliest, latest], or Invalid
    saying the range; offsets at the ends of the calendar never overflow into a 500."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        moment = None
    if moment is None or not earliest < moment <= latest:
        raise Invalid(
            f"Please pick a {what} after {earliest:%Y-%m-%d %H:%M} UTC and up to "
            f"{latest:%Y-%m-%d}.",
            {field: f"From {earliest:%Y-%m-%d %H:%M} UTC to {latest:%Y-%m-%d}."},
        )
    return moment


def within_years(years: int) -> tuple[datetime, datetime]:
    """From now to `years` years ahead: the range a future time (a ban's end) may take."""
    now = utcnow()
    return now, now + timedelta(days=365 * years)
