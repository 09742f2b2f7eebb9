"""The one door user text goes through: Markdown → HTML → sanitized HTML.

markdown-it-py (CommonMark, raw HTML off) parses; our inline rule adds spoilers
(`||hidden||` and Reddit's `>!hidden!<`); bleach keeps only an allow-list of tags,
attributes and URL schemes, turns bare URLs into links with the same scheme list,
and gives every link rel="nofollow ugc noopener".
"""

from __future__ import annotations

import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markupsafe import Markup, escape

ALLOWED_TAGS = frozenset(
    {
        "a", "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td", "span", "button",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
SPOILER_CLASS = "spoiler"
# A spoiler is a button (Enter, Space or a click shows it; static/app.js flips
# aria-expanded) and its text, which CSS keeps out of sight and out of the accessibility
# tree (display: none) until the button says it is expanded.
SPOILER_BUTTON = (
    '<button type="button" class="spoiler-toggle" aria-expanded="false">Spoiler</button>'
)
SPOILER_TEXT_OPEN = '<span class="spoiler-text">'

_MARKERS = (("||", "||"), (">!", "!<"), ("\\>!", "!<"))
# A line that starts with `>!` would be a block quote: escape it so the inline rule sees it.
_LINE_START_SPOILER = re.compile(r"^(\s{0,3})>!(?=.*!<)", re.MULTILINE)


def _spoiler_rule(state: StateInline, silent: bool) -> bool:
    for opener, closer in _MARKERS:
        if not state.src.startswith(opener, state.pos):
            continue
        start = state.pos + len(opener)
        end = state.src.find(closer, start, state.posMax)
        if end <= start:
            continue
        if not silent:
            token = state.push("spoiler_open", "span", 1)
            token.attrs = {"class": SPOILER_CLASS}
            state.push("html_inline", "", 0).content = SPOILER_BUTTON + SPOILER_TEXT_OPEN
            old_pos, old_max = state.pos, state.posMax
            state.pos, state.posMax = start, end
            state.md.inline.tokenize(state)
            state.pos, state.posMax = old_pos, old_max
            state.push("html_inline", "", 0).content = "</span>"
            state.push("spoiler_close", "span", -1)
        state.pos = end + len(closer)
        return True
    return False


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("escape", "spoiler", _spoiler_rule)
    md.inline.add_terminator_char("|")  # so plain text stops where `||` may open
    return md


_md = _build_parser()


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title", "rel"}
    if tag == "span":
        return (name, value) in {("class", SPOILER_CLASS), ("class", "spoiler-text")}
    if tag == "button":
        return (name, value) in {
            ("type", "button"), ("class", "spoiler-toggle"), ("aria-expanded", "false")
        }  # fmt: skip
    if tag == "ol":
        return name == "start" and value.isdigit()
    if tag == "code":
        return name == "class" and value.startswith("language-") and value[9:].isalnum()
    return False


def _set_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_allowed,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[_set_rel],
            url_re=build_url_re(protocols=ALLOWED_PROTOCOLS),
            parse_email=False,
            skip_tags={"pre", "code"},
        )
    ],
)


def render(source: str) -> str:
    """Render a user's Markdown to sanitized HTML, ready to store beside the source."""
    source = _LINE_START_SPOILER.sub(r"\1\\>!", source)
    return _cleaner.clean(_md.render(source)).strip()


def plain_text(html: str, limit: int = 240) -> str:
    """A short text preview of stored HTML, with spoilers blanked out."""
    without_spoilers = re.sub(
        r'<span class="spoiler"[^>]*>.*?</span>', "[spoiler]", html, flags=re.DOTALL
    )
    text = bleach.clean(without_spoilers, tags=set(), strip=True)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mark(text: str, pattern: re.Pattern[str] | None) -> Markup:
    """Plain text as HTML, every match of `pattern` in a <mark> (all of it escaped)."""
    if pattern is None:
        return escape(text)
    pieces, at = [], 0
    for found in pattern.finditer(text):
        pieces += [escape(text[at : found.start()]), Markup("<mark>%s</mark>") % found.group()]
        at = found.end()
    return Markup("").join([*pieces, escape(text[at:])])
