"""What fans type into forms and query strings, read one way everywhere: one guard for text
no database or page should hold, one integer parser, one way for times to enter (UTC,
range-checked)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

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
    moment: datetime, field: str, earliest: datetime | None, latest: datetime, what: str = "time"
) -> datetime:
    """A time as UTC (a naive one is taken as UTC) after `earliest` (None: any) and up to
    `latest`, or Invalid saying the range; offsets at the ends of the calendar never
    overflow into a 500."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        moment = None
    if moment is None or not moment <= latest or (earliest and moment <= earliest):
        after = f" after {earliest:%Y-%m-%d %H:%M} UTC and" if earliest else ""
        raise Invalid(
            f"Please pick a {what}{after} before {latest:%Y-%m-%d}.",
            {field: f"A time{after} before {latest:%Y-%m-%d}."},
        )
    return moment


FAR_FUTURE = datetime(3000, 1, 1, tzinfo=UTC)  # past it, leave a time empty ("no end")


def future() -> tuple[datetime, datetime]:
    """From now to FAR_FUTURE: the range a future time (a ban's end) may take."""
    return utcnow(), FAR_FUTURE
