"""The stylesheet names every colour once, as a custom property in :root, so a theme (a dark
one, a high-contrast one) changes the whole site by overriding those properties alone."""

from __future__ import annotations

import re
from pathlib import Path

STYLE = Path(__file__).resolve().parent.parent / "static" / "style.css"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(")


def test_colours_are_written_only_as_custom_properties_in_root():
    css = STYLE.read_text()
    root, rest = css.split("}", 1)
    assert root.lstrip().startswith(":root")
    assert COLOUR.search(root), "the palette lives in :root"
    assert [line for line in rest.splitlines() if COLOUR.search(line)] == []


def test_every_custom_property_used_is_defined():
    css = STYLE.read_text()
    defined = set(re.findall(r"(--[\w-]+)\s*:", css.split("}", 1)[0]))
    used = set(re.findall(r"var\((--[\w-]+)\)", css))
    assert used - defined == set()
