"""Plain text helpers that models and services share."""

from __future__ import annotations


def excerpt(text: str, limit: int = 200) -> str:
    """The start of a stored plain text on one line, cut at a word, `…` when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"
