"""The pages every whole-site browser check walks (axe in both themes and at 360 px, the
phone's width, `make screenshots`), the themes and widths they are seen in, and the data
behind them: the demo forum plus a thread built to stretch a phone (replies nested past the
deepest level a page shows, a wide code block, a wide table, a long word and a long link)
and a board with no thread yet."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page
from sqlalchemy import select

from forum import demo
from forum.extensions import db
from forum.models import Post, Thread, ThreadKind
from forum.services import accounts, films, replies, threads

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LONG_WORD = "Excommunicado" * 8
LONG_LINK = "https://example.com/" + "continental-hotel/" * 8 + "?ticket=" + "0123456789" * 6
WIDE_BODY = f"""A phone must hold all of this without scrolling sideways.

```
the_high_table.adjudicate(contract="{"x" * 90}", marker=None, consequences="all of them")
```

| film | year | who | what | where | when | why |
|---|---|---|---|---|---|---|
| John Wick | 2014 | John | the dog | New York | the night after | grief |
| Ballerina | 2025 | Eve | the Director | Prague | between 3 and 4 | the Ruska Roma |

{LONG_WORD} and {LONG_LINK}
"""


@dataclass(frozen=True)
class Look:
    """A way to see the site: a width, the device's colour scheme, and the reader's theme
    cookie (None: follow the device)."""

    name: str
    width: int
    device: str
    cookie: str | None = None

    @property
    def theme(self) -> str:
        return self.cookie or self.device

    @property
    def phone(self) -> bool:
        return self.width <= 400


# Both themes at both widths, and both ways to get each: the device's setting, the cookie.
LOOKS = [
    Look("light", 1280, "light"),
    Look("dark", 1280, "dark"),
    Look("dark-phone", 360, "light", cookie="dark"),
    Look("light-phone", 360, "dark", cookie="light"),
]

# Every page type: (who reads it, the URL). {names} come from `seed_site`.
PAGES = [
    (None, "/"),
    (None, "/all"),
    (None, "/films/ballerina"),
    (None, "/films/ballerina?kind=question&status=debunked"),
    (None, "/films/heat"),
    (None, "/threads/{thread}"),
    (None, "/threads/{spoiler}?reveal=spoilers"),
    (None, "/threads/{stress}"),
    (None, "/threads/{stress}/replies/{deep}"),
    (None, "/threads/{thread}/replies/{post}"),
    (None, "/threads/{thread}/history"),
    (None, "/u/tarot_reader"),
    (None, "/u/tarot_reader?tab=replies"),
    (None, "/modlog"),
    (None, "/login"),
    (None, "/signup"),
    (None, "/password/forgot"),
    (None, "/search"),
    (None, "/search?q=ruska"),
    (None, "/search?q=nothing-like-this"),
    (None, "/search?q=*"),
    (None, "/theme"),
    (None, "/universes/john-wick"),
    (None, "/tags/mirrors"),
    (None, "/tags/markers?film=ballerina&status=open"),
    (None, "/films/john-wick-chapter-2/scenes"),
    (None, "/films/ballerina/scenes"),
    (None, "/films/heat/scenes"),
    (None, "/u/high_table?status=debunked"),
    (None, "/films/nope"),
    ("eve_macarro_fan", "/account"),
    ("eve_macarro_fan", "/notifications"),
    ("eve_macarro_fan", "/following"),
    ("tarot_reader", "/notifications"),
    ("tarot_reader", "/following"),
    ("eve_macarro_fan", "/threads/{thread}"),
    ("eve_macarro_fan", "/films/ballerina"),
    ("eve_macarro_fan", "/films/ballerina/threads/new"),
    ("high_table", "/u/high_table?tab=replies"),
    ("charon", "/threads/{spoiler}"),
    ("charon", "/threads/{spoiler}/wrap-spoiler"),
    ("winston", "/admin/"),
    ("winston", "/mod/reports"),
]


def page_id(page: tuple[str | None, str]) -> str:
    """`visitor-threads-stress-replies-deep`: a test id `-k` can pick."""
    who, url = page
    return re.sub(r"[^a-z0-9_]+", "-", f"{who or 'visitor'} {url}").strip("-")


def seed_site(app: Flask) -> dict[str, int]:
    """The demo data and the stretching thread; the ids the URLs above need (they differ
    between databases)."""
    with app.app_context():
        demo.seed()
        busiest = db.session.scalar(select(Thread).order_by(Thread.reply_count.desc()))
        post = db.session.scalar(select(Post).where(Post.thread_id == busiest.id).limit(1))
        spoiler = db.session.scalar(select(Thread.id).where(Thread.spoiler_title.is_not(None)))
        authors = [accounts.find_user(name) for name in ("ruska_roma", "tarot_reader")]
        stress = threads.start_thread(authors[0], films.get_film("john-wick"),
                                      f"Wide things on a small screen: {LONG_WORD}",
                                      WIDE_BODY, ThreadKind.DISCUSSION, spoiler=False)  # fmt: skip
        parent = None
        for depth in range(9):
            body = f"Level {depth}: {LONG_WORD} {LONG_LINK}\n\n```\n{'wide_code_' * 12}\n```"
            parent = replies.reply(authors[depth % 2], stress, body, parent)
        deep = db.session.scalar(
            select(Post.id).where(Post.thread_id == stress.id, Post.depth == 5)
        )
        return {"thread": busiest.id, "post": post.id, "spoiler": spoiler,
                "stress": stress.id, "deep": deep}  # fmt: skip


def log_in_as(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for(state="attached")


def show(page: Page, look: Look, url: str, base_url: str) -> None:
    """Open `url` as `look` sees it: its width, its device's scheme, its theme cookie."""
    page.set_viewport_size({"width": look.width, "height": 800 if not look.phone else 740})
    page.emulate_media(color_scheme=look.device)
    page.context.clear_cookies(name="theme")
    if look.cookie:
        page.context.add_cookies([{"name": "theme", "value": look.cookie, "url": base_url}])
    page.goto(url)


def shown_theme(page: Page) -> str:
    """ "dark" or "light": what the page's background really is."""
    rgb = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    return "dark" if sum(int(n) for n in re.findall(r"\d+", rgb)[:3]) < 300 else "light"


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now (every rule set we hold to)."""
    page.evaluate(AXE.read_text())  # not a <script> tag: the CSP refuses inline scripts
    result = page.evaluate("async rules => await axe.run(document, {runOnly: rules})", AXE_RULES)
    assert len(result["passes"]) > 5  # axe really ran
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def sideways_scroll(page: Page) -> dict | None:
    """None when the page fits its width; else how wide it is and what sticks out."""
    return page.evaluate(
        """() => {
            const width = document.scrollingElement.scrollWidth, inner = window.innerWidth;
            if (width <= inner) return null;
            const out = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > inner + 0.5)
                .slice(0, 5).map(el => el.tagName + '.' + el.className);
            return {width, inner, out};
        }"""
    )


def dumps(value) -> str:
    return json.dumps(value, indent=2)
