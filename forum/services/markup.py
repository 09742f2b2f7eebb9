"""The one door user text goes through: Markdown → HTML → sanitized HTML, once, at write time.

markdown-it-py (CommonMark, raw HTML off) parses; our inline rule adds spoilers
(`||hidden||` and Reddit's `>!hidden!<`); bleach keeps only an allow-list of tags,
attributes and URL schemes, turns bare URLs into links with the same scheme list,
and gives every link rel="nofollow ugc noopener". The same parse gives the plain text,
without the spoilers' text, that search and excerpts read: no read ever sanitizes again.

Every cost has a bound. Parsing is linear in the text; bleach (html5lib) costs about 60–120
µs per element and grows faster than linearly past ~10,000 (8,000 quotes: 2–11 s). So a
body is refused (422, saying why) when its parse has more than MAX_ELEMENTS elements or its
sanitized HTML (bare URLs made links included) has more than MAX_ELEMENTS elements or
MAX_HTML characters, or blocks nest deeper than MAX_DEPTH (past its maxNesting the parser
drops the rest of the text; inline nesting past it stays plain text).
bench/render_corpus.py measures the worst shapes within the bounds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markupsafe import Markup, escape

from forum.services.errors import Invalid

ALLOWED_TAGS = frozenset(
    {
        "a",
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "del",
        "s",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "button",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
SPOILER_CLASS = "spoiler"
SPOILER_TEXT = "░░░"  # stands for a spoiler in the plain text: no word to find or read

# Bounds (see the module's docstring and bench/render_corpus.py for the measurements).
MAX_DEPTH = 16  # blocks in blocks (quotes in lists in quotes…); the parser stops 2 deeper
MAX_ELEMENTS = 4_000  # HTML elements: paragraphs, quotes, list items, cells, links, spoilers
MAX_ESCAPES = 6_000  # & < > " in the text: html5lib reads each escape slowly (~10 µs)
MAX_HTML = 250_000  # characters of sanitized HTML (a 40,000-character body, ~6× over)
# A spoiler is a button (Enter, Space or a click shows it; static/app.js flips
# aria-expanded) and its text, which CSS keeps out of sight and out of the accessibility
# tree (display: none) until the button says it is expanded.
SPOILER_BUTTON = (
    '<button type="button" class="spoiler-toggle" aria-expanded="false">Spoiler</button>'
)
SPOILER_TEXT_OPEN = '<span class="spoiler-text">'
# What a spoiler becomes in the spoiler-free HTML (API.md: withheld, not hidden): no word of
# it, nested spoilers included; the page around it offers the ways to reveal it.
WITHHELD_CLASS = "spoiler-withheld"
SPOILER_WITHHELD = (
    f'<span class="{WITHHELD_CLASS}">[Spoiler withheld: mark the film seen or show spoilers '
    "to read it]</span>"
)

_MARKERS = (("||", "||"), (">!", "!<"), ("\\>!", "!<"))

# Scene timestamps: `[1:42:10]` (hours, minutes, seconds) or `[42:10]` (minutes, seconds).
TIMESTAMP_CLASS = "timestamp"
MAX_MOMENTS = 100  # distinct moments of one text kept for the scene index
_TIMESTAMP = re.compile(r"\[(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\]")


@dataclass(frozen=True)
class SceneLinks:
    """Where a text's scene timestamps link: its film's scene index (`href`), for moments
    up to the film's runtime (None: not known, every moment links)."""

    href: str
    runtime_seconds: int | None = None

    def links(self, seconds: int) -> bool:
        return self.runtime_seconds is None or seconds <= self.runtime_seconds


def format_moment(seconds: int) -> str:
    """1:42:10, or 42:10 under an hour."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def parse_moment(text: str) -> int | None:
    """`1:42:10` or `42:10` (brackets allowed) as seconds; None when it is not a moment."""
    found = _TIMESTAMP.fullmatch(f"[{text.strip().strip('[]')}]") if text else None
    return _seconds(found) if found else None


def _seconds(found: re.Match) -> int | None:
    hours, minutes, secs = found.group(1), int(found.group(2)), int(found.group(3))
    if secs >= 60 or (hours is not None and minutes >= 60):
        return None
    return int(hours or 0) * 3600 + minutes * 60 + secs


def _timestamp_rule(state: StateInline, silent: bool) -> bool:
    """`[1:42:10]` → a link to the film's scene index at that moment, when the text has a
    film (`env["scenes"]`) and the moment is within its runtime; otherwise plain text. Not
    inside a link's text, and not a link's own text (`[1:42:10](url)` stays a link)."""
    if silent or state.src[state.pos] != "[" or state.linkLevel > 0:
        return False  # silent: a link's label is being measured; its brackets nest as text
    found = _TIMESTAMP.match(state.src, state.pos, state.posMax)
    if found is None or (seconds := _seconds(found)) is None:
        return False
    end = found.end()
    if end < state.posMax and state.src[end] in "([":
        return False
    links = state.env.get("scenes")
    if links is not None and links.links(seconds):
        token = state.push("timestamp_open", "a", 1)
        token.attrs = {
            "href": f"{links.href}#t-{seconds}",
            "class": TIMESTAMP_CLASS,
            "title": f"Scenes at {format_moment(seconds)}",
        }
        token.meta = {"seconds": seconds}
        state.push("text", "", 0).content = found.group(0)[1:-1]
        state.push("timestamp_close", "a", -1)
    else:  # as typed; still a moment of the film when it has one (past its runtime)
        token = state.push("timestamp_text", "", 0)
        token.content = found.group(0)
        token.meta = {"seconds": seconds} if links is not None else {}
    state.pos = end
    return True


def _render_timestamp_text(renderer, tokens: list[Token], idx: int, options, env) -> str:
    return str(escape(tokens[idx].content))


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


# `@username` (API.md's usernames: 3–30 of A-Za-z0-9_-), not inside a word or an address.
_MENTION_RE = re.compile(r"@([A-Za-z0-9_-]{3,30})")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
MAX_MENTION_LOOKUPS = 50  # distinct @names one text looks up (one query); the rest stay text
PROFILE_PATH = "/u/{}"  # forum/web/users.py's profile page


def _mention_rule(state: StateInline, silent: bool) -> bool:
    """`@name` → a `mention` token; whether it becomes a link is decided once the whole
    text is parsed (one look-up of every name: `render`'s `existing_users`)."""
    pos = state.pos
    if state.src[pos] != "@" or state.linkLevel > 0:
        return False
    if pos > 0 and (state.src[pos - 1] in _NAME_CHARS or state.src[pos - 1] in "@./"):
        return False
    found = _MENTION_RE.match(state.src, pos, state.posMax)
    if found is None or (found.end() < state.posMax and state.src[found.end()] in _NAME_CHARS):
        return False
    if not silent:
        state.push("mention", "", 0).content = found.group(1)
    state.pos = found.end()
    return True


def _render_mention(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    name = token.meta.get("username")
    if name is None:
        return str(escape("@" + token.content))
    return f'<a href="{PROFILE_PATH.format(escape(name))}">@{escape(name)}</a>'


def _build_parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_DEPTH + 2},
    )
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("escape", "spoiler", _spoiler_rule)
    md.inline.ruler.before("link", "timestamp", _timestamp_rule)
    md.add_render_rule("timestamp_text", _render_timestamp_text)
    md.inline.add_terminator_char("|")  # so plain text stops where `||` may open
    md.inline.ruler.after("spoiler", "mention", _mention_rule)
    md.inline.add_terminator_char("@")
    md.add_render_rule("mention", _render_mention)
    return md


_md = _build_parser()


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title", "rel"} or (name, value) == ("class", TIMESTAMP_CLASS)
    if tag == "span":
        return (name, value) in {
            ("class", SPOILER_CLASS),
            ("class", "spoiler-text"),
            ("class", WITHHELD_CLASS),
        }
    if tag == "button":
        return (name, value) in {
            ("type", "button"),
            ("class", "spoiler-toggle"),
            ("aria-expanded", "false"),
        }
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


@dataclass(frozen=True)
class Rendered:
    """What a body becomes, once, at write time: each output is stored beside the source."""

    html: str  # sanitized HTML, spoilers in <span class="spoiler"> behind a button
    text: str  # plain text, the spoilers' text left out (SPOILER_TEXT in its place)
    safe_html: str  # sanitized HTML, each spoiler a SPOILER_WITHHELD placeholder (no text)
    # the scene timestamps it cites, once per moment, linked or past the film's runtime:
    # (seconds, only inside spoilers)
    moments: tuple[tuple[int, bool], ...] = ()
    mentions: tuple[str, ...] = ()  # the users @named (that exist), in order, once each


UserLookup = Callable[[list[str]], Iterable[str]]


def render(
    source: str,
    field: str = "body",
    scenes: SceneLinks | None = None,
    existing_users: UserLookup | None = None,
) -> Rendered:
    """Render a user's Markdown to sanitized HTML and spoiler-free plain text, or refuse
    it (Invalid naming `field`) when it is beyond the bounds above. With `scenes` (the
    text's film), scene timestamps within the film's runtime link its scene index.
    `existing_users(names)` answers which of up to MAX_MENTION_LOOKUPS @names are users
    (their usernames as stored): those become links to their profiles; without it no
    @name is a link."""
    tokens = _parse(_LINE_START_SPOILER.sub(r"\1\\>!", source), field, {"scenes": scenes})
    _check_bound(_element_count(tokens), field)
    mentions = _link_mentions(tokens, existing_users)
    raw_html = _md.renderer.render(tokens, _md.options, {})
    _check_escapes(raw_html.count("&"), field)
    html = _cleaner.clean(raw_html).strip()
    _check_bound(html.count("<") - html.count("</"), field)  # bare URLs are links now
    if len(html) > MAX_HTML:
        raise Invalid(
            "This text is too large once formatted.",
            {field: f"{len(html):,} characters of HTML; at most {MAX_HTML:,}. Please shorten it."},
        )
    safe_raw = _md.renderer.render(_withhold(tokens), _md.options, {})
    safe_html = html if safe_raw == raw_html else _cleaner.clean(safe_raw).strip()
    return Rendered(
        html=html,
        text=_plain_text(tokens),
        safe_html=safe_html,
        moments=_moments(tokens),
        mentions=mentions,
    )


def _moments(tokens: list[Token]) -> tuple[tuple[int, bool], ...]:
    """Each moment once, in order, with whether every mention is inside a spoiler; at most
    MAX_MOMENTS. A moment past the film's runtime is kept too (it is listed if the runtime
    is changed to include it)."""
    found: dict[int, bool] = {}
    for token in tokens:
        hidden = 0
        for child in token.children or ():
            if child.type == "spoiler_open":
                hidden += 1
            elif child.type == "spoiler_close":
                hidden = max(hidden - 1, 0)
            elif child.type in ("timestamp_open", "timestamp_text") and child.meta:
                seconds = child.meta["seconds"]
                found[seconds] = found.get(seconds, True) and hidden > 0
    return tuple(sorted(found.items()))[:MAX_MOMENTS]


def _link_mentions(tokens: list[Token], existing_users: UserLookup | None) -> tuple[str, ...]:
    """Mark each `mention` token of an existing user with its username: one look-up."""
    found = [
        c for t in tokens if t.type == "inline" for c in t.children or () if c.type == "mention"
    ]
    if not found or existing_users is None:
        return ()
    asked = list(dict.fromkeys(c.content.lower() for c in found))[:MAX_MENTION_LOOKUPS]
    known = {name.lower(): name for name in existing_users(asked)}
    for child in found:
        name = known.get(child.content.lower())
        if name is not None:
            child.meta = {**child.meta, "username": name}
    return tuple(dict.fromkeys(c.meta["username"] for c in found if "username" in c.meta))


def _withhold(tokens: list[Token]) -> list[Token]:
    """The same tokens with each outermost spoiler (and all inside it) one placeholder."""
    return [
        token.copy(children=_withhold_inline(token.children))
        if token.type == "inline" and token.children
        else token
        for token in tokens
    ]


def _withhold_inline(children: list[Token]) -> list[Token]:
    kept: list[Token] = []
    hidden = 0  # how many spoilers deep we are
    for child in children:
        if child.type == "spoiler_open":
            if not hidden:
                kept.append(Token("html_inline", "", 0, content=SPOILER_WITHHELD))
            hidden += 1
        elif child.type == "spoiler_close":
            hidden = max(hidden - 1, 0)
        elif not hidden:
            kept.append(child)
    return kept


def text_of(source: str) -> str:
    """Only the plain, spoiler-free text of a body (parsing only: no bound needed), for
    rows written before it was stored (migration 0006)."""
    return _plain_text(_md.parse(_LINE_START_SPOILER.sub(r"\1\\>!", source)))


def _parse(source: str, field: str, env: dict | None = None) -> list[Token]:
    """markdown-it's parse, refusing before the inline pass (the costlier half) when the
    blocks alone are over the bound."""
    state = StateCore(source, _md, env or {})
    for rule in _md.core.ruler.getRules(""):
        rule(state)
        if rule.__name__ == "block":
            _check_bound(sum(token.nesting == 1 for token in state.tokens), field)
            _check_depth(max((t.level for t in state.tokens if t.nesting == 1), default=0), field)
    return state.tokens


def _element_count(tokens: list[Token]) -> int:
    count = 0
    for token in tokens:
        count += token.nesting == 1 or token.type in ("hr", "fence", "code_block")
        for child in token.children or ():
            count += child.nesting == 1 or child.type in ("code_inline", "hardbreak", "mention")
    return count


def _check_bound(elements: int, field: str) -> None:
    if elements > MAX_ELEMENTS:
        raise Invalid(
            "This text has too many parts to show: please simplify it.",
            {
                field: f"{elements:,} elements (paragraphs, quotes, list items, table cells, "
                f"links, spoilers…); at most {MAX_ELEMENTS:,}."
            },
        )


def _check_depth(depth: int, field: str) -> None:
    if depth > MAX_DEPTH:
        raise Invalid(
            "This text is nested too deeply to show: please simplify it.",
            {
                field: f"Nested more than {MAX_DEPTH} levels deep; at most {MAX_DEPTH} levels of "
                "quotes, lists and list items."
            },
        )


def _check_escapes(count: int, field: str) -> None:
    if count > MAX_ESCAPES:
        raise Invalid(
            "This text has too many special characters to show: please simplify it.",
            {field: f'{count:,} characters to escape in HTML (& < > "); at most {MAX_ESCAPES:,}.'},
        )


_BLOCK_BREAK = {
    "paragraph_close",
    "heading_close",
    "blockquote_close",
    "list_item_close",
    "tr_close",
    "code_block",
    "fence",
    "hr",
}


def _plain_text(tokens: list[Token]) -> str:
    """The text a reader sees, without any spoiler's text (nested ones included)."""
    pieces: list[str] = []
    for token in tokens:
        if token.type == "inline":
            pieces += _inline_text(token.children or [])
        elif token.type in ("code_block", "fence"):
            pieces.append(token.content)
        elif token.type in ("th_close", "td_close"):
            pieces.append(" ")
        if token.type in _BLOCK_BREAK:
            pieces.append("\n")
    lines = (" ".join(line.split()) for line in "".join(pieces).splitlines())
    return "\n".join(line for line in lines if line)


def _inline_text(children: list[Token]) -> list[str]:
    pieces: list[str] = []
    hidden = 0  # how many spoilers deep we are
    for child in children:
        if child.type == "spoiler_open":
            pieces += [] if hidden else [" ", SPOILER_TEXT, " "]
            hidden += 1
        elif child.type == "spoiler_close":
            hidden = max(hidden - 1, 0)
        elif hidden:
            continue
        elif child.type in ("text", "code_inline", "timestamp_text"):
            pieces.append(child.content)
        elif child.type == "mention":
            pieces.append("@" + child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return pieces


def mark(text: str, pattern: re.Pattern[str] | None) -> Markup:
    """Plain text as HTML, every match of `pattern` in a <mark> (all of it escaped)."""
    if pattern is None:
        return escape(text)
    pieces, at = [], 0
    for found in pattern.finditer(text):
        pieces += [escape(text[at : found.start()]), Markup("<mark>%s</mark>") % found.group()]
        at = found.end()
    return Markup("").join([*pieces, escape(text[at:])])
