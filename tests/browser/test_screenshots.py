"""`make screenshots`: the main pages in both themes, at 1280 px and at 360 px, written into
docs/screenshots/ (SCREENSHOTS names the folder) by the same machinery the axe checks use, so
the README shows the forum as the current code draws it. A picture-maker, not a check: only
collected when SCREENSHOTS is set (tests/browser/conftest.py), so `make test` never runs it.

Each PNG is the visible screen (not the whole page), quantized to 128 colours with Pillow: a
few dozen kilobytes each."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

from tests.browser.site import Look, log_in_as, seed_site, show

OUT = os.environ.get("SCREENSHOTS", "")

DESKTOP_LIGHT, DESKTOP_DARK = Look("light", 1280, "light"), Look("dark", 1280, "dark")
PHONE_LIGHT, PHONE_DARK = Look("phone-light", 360, "light"), Look("phone-dark", 360, "dark")

# (file name, who reads it, URL, look): the README's gallery, in its order.
SHOTS = [
    ("home-light", None, "/", DESKTOP_LIGHT),
    ("home-dark", None, "/", DESKTOP_DARK),
    ("board-light", None, "/films/ballerina", DESKTOP_LIGHT),
    ("universe-dark", None, "/universes/john-wick", DESKTOP_DARK),
    ("thread-light", "winston", "/threads/{spoiler}", DESKTOP_LIGHT),
    ("thread-dark", "winston", "/threads/{spoiler}", DESKTOP_DARK),
    ("withheld-dark", None, "/threads/{thread}", DESKTOP_DARK),
    ("tag-light", None, "/tags/mirrors", DESKTOP_LIGHT),
    ("phone-home-light", None, "/", PHONE_LIGHT),
    ("phone-home-dark", None, "/", PHONE_DARK),
    ("phone-thread-light", "winston", "/threads/{spoiler}", PHONE_LIGHT),
    ("phone-thread-dark", "winston", "/threads/{spoiler}", PHONE_DARK),
    ("phone-replies-dark", None, "/threads/{stress}", PHONE_DARK),
    ("phone-notifications-dark", "tarot_reader", "/notifications", PHONE_DARK),
]


def compress(path: Path, colours: int = 128) -> None:
    """Fewer colours, same pixels' shapes: text and cards stay sharp, the file shrinks."""
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(colors=colours, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


def test_write_the_screenshots(page: Page, base_url: str, app):
    seeded = seed_site(app)
    folder = Path(OUT)
    folder.mkdir(parents=True, exist_ok=True)
    signed_in = None
    for name, who, url, look in SHOTS:
        if who != signed_in:
            page.context.clear_cookies()
            if who:
                log_in_as(page, who)
            signed_in = who
        show(page, look, url.format(**seeded), base_url)
        if name == "phone-replies-dark":
            page.locator(".tree").scroll_into_view_if_needed()
        path = folder / f"{name}.png"
        page.screenshot(path=path, animations="disabled", caret="hide")
        compress(path)
        assert path.stat().st_size < 200_000, (name, path.stat().st_size)
