"""A tag's normalized name: the one key follows and mutes use (and the site-wide tags)."""

from __future__ import annotations

import re
import unicodedata

from forum.services.errors import Invalid

TAG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def normalize_tag(name: str) -> str:
    """Lower-case, accents stripped, spaces and underscores become hyphens, a leading #
    dropped: `Ruska Roma` and `#ruska_roma` are both `ruska-roma`. Invalid otherwise."""
    plain = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).strip().lstrip("#")
    plain = re.sub(r"[\s_]+", "-", plain.lower())
    if not TAG_RE.match(plain):
        raise Invalid(
            "That is not a tag name.", {"tag": "1–40 letters, digits and - (spaces become -)."}
        )
    return plain
