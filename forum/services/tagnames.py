"""A tag's normalized name: the one key follows and mutes use (and the site-wide tags)."""

from __future__ import annotations

from forum.services import tags
from forum.services.errors import Invalid


def normalize_tag(name: str) -> str:
    """The site-wide tags' normalized name (services/tags.normalize): `Ruska Roma` and
    `#ruska_roma` are both `ruska-roma`. Invalid naming `tag` otherwise."""
    try:
        return tags.normalize(name)
    except Invalid as err:
        raise Invalid("That is not a tag name.", {"tag": err.fields["tags"]}) from err
