"""Jinja filters: ages, dates, and `when`, the one way a page shows a time."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup

from forum.models import utcnow
from forum.models.text import excerpt
from forum.services import markup


def age(moment: datetime | None) -> str:
    if moment is None:
        return ""
    seconds = max(0, int((utcnow() - moment).total_seconds()))
    for unit, size in (
        ("year", 31_536_000),
        ("month", 2_592_000),
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
    ):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def iso(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th… 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def around(text: str, needle: str, width: int = 220) -> str:
    """A line of `text` around the first `needle` (its start when absent), `…` where cut."""
    text = " ".join((text or "").split())
    at = text.find(needle)
    if at < 0 or len(text) <= width:
        return excerpt(text, width)
    start = max(0, at - width // 2)
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def moment(seconds: int) -> str:
    return markup.format_moment(seconds)


def absolute(moment: datetime | None) -> str:
    """ "2 Dec 2026, 14:05 UTC": what a reader sees on hover."""
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC" if moment else ""


def when(moment: datetime | None) -> Markup:
    """`<time>` with the relative age as text, the absolute time on hover (title) and the
    machine-readable time in `datetime`: every time on every page goes through here."""
    if moment is None:
        return Markup("")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        iso(moment), absolute(moment), age(moment)
    )


def init_app(app: Flask) -> None:
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["absolute"] = absolute
    app.jinja_env.filters["ordinal"] = ordinal
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["around"] = around
    app.jinja_env.filters["age"] = age
    app.jinja_env.filters["iso"] = iso
    app.jinja_env.filters["mark"] = markup.mark
