"""Proof that user text cannot become script: generated Markdown and HTML fragments
(hypothesis) and a corpus of known vectors go through markup.render, and the output is
parsed as a browser would (html5lib, the WHATWG algorithm) and checked."""

from __future__ import annotations

import re

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.services import markup
from tests.xss_corpus import VECTORS

SAFE_SCHEMES = {"http", "https", "mailto"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "span": {"class", "tabindex", "title"},
                      "button": {"type", "class", "aria-expanded"},
                      "ol": {"start"}, "code": {"class"}}  # fmt: skip
# What the URL parser ignores before it reads a scheme: C0 controls and spaces at the
# ends, tabs and newlines anywhere.
_URL_STRIP = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def browser_scheme(href: str) -> str | None:
    """The scheme a browser would see in an (already entity-decoded) attribute value."""
    url = re.sub(r"[\t\n\r]", "", href.strip(_URL_STRIP))
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def assert_no_script(html: str) -> None:
    """Nothing in this HTML can run script in a browser."""
    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    for element in fragment.iter():
        if not isinstance(element.tag, str) or element is fragment:
            continue  # comments (none expected) and the fragment root
        assert element.tag in markup.ALLOWED_TAGS, f"tag {element.tag} in {html!r}"
        for name, value in element.attrib.items():
            assert name in ALLOWED_ATTRIBUTES.get(element.tag, set()), f"{name} in {html!r}"
            if name == "href":
                assert browser_scheme(value) in SAFE_SCHEMES | {None}, f"{value!r} in {html!r}"
        if element.tag == "a":
            assert element.get("rel") == markup.LINK_REL
        if element.tag == "span":
            assert element.get("class") in {markup.SPOILER_CLASS, "spoiler-text"}
        if element.tag == "button":  # a spoiler's toggle, never a form's button
            assert element.get("type") == "button" and element.get("class") == "spoiler-toggle"
    assert "<script" not in html.lower() and "<!--" not in html


def assert_stable(html: str) -> None:
    """Parsing and serializing again changes nothing: no mutation-XSS foothold."""
    again = html5lib.serialize(
        html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False),
        tree="etree", quote_attr_values="always", omit_optional_tags=False,
        use_trailing_solidus=False, minimize_boolean_attributes=False,
        resolve_entities=False, alphabetical_attributes=False,
    )  # fmt: skip
    assert markup.render(html).html is not None  # rendering its own output does not blow up
    assert_no_script(again)


# --- generated input ---------------------------------------------------------------------

SCHEMES = ["javascript", "vbscript", "data", "livescript", "file", "jar", "blob",
           "http", "https", "mailto", "ftp"]  # fmt: skip
PAYLOADS = ["alert(1)", "//example.com/x", "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "text/html,<script>alert(1)</script>", "msgbox(1)", "x@example.com"]  # fmt: skip
COLONS = [":", "&colon;", "&#58;", "&#x3a;", "&#X3A;", "&#0000058", "%3A", ":\t"]
NOISE = ["\t", "\n", "\r", " ", "\x01", "\x0b", "&#9;", "&#x0A;", "&Tab;", "&NewLine;"]


@st.composite
def obfuscated_scheme(draw) -> str:
    scheme = draw(st.sampled_from(SCHEMES))
    chars = []
    for char in scheme:
        char = char.upper() if draw(st.booleans()) else char
        form = draw(st.sampled_from(["plain", "plain", "plain", "dec", "hex", "noise"]))
        if form == "dec":
            char = f"&#{ord(char)};"
        elif form == "hex":
            char = f"&#x{ord(char):x};"
        elif form == "noise":
            char = draw(st.sampled_from(NOISE)) + char
        chars.append(char)
    lead = draw(st.sampled_from(["", " ", "\x01", "\t", "&#32;", "  \n"]))
    return lead + "".join(chars)


urls = st.builds(lambda s, c, p: s + c + p, obfuscated_scheme(), st.sampled_from(COLONS),
                 st.sampled_from(PAYLOADS)) | st.sampled_from(["/relative", "#top", "//x.example",
                 "?q=1", "https://example.com/a_(b)", ""])  # fmt: skip
TAGS = ["script", "img", "svg", "math", "iframe", "a", "span", "details", "style", "object",
        "embed", "form", "input", "button", "textarea", "template", "noscript", "xmp", "title",
        "base", "meta", "link", "video", "source", "body", "p", "code", "pre", "table", "td",
        "select", "mglyph", "mtext", "annotation-xml", "foreignObject", "use", "animate", "set",
        "ol", "li", "blockquote", "x-custom"]  # fmt: skip
ATTRS = ["href", "src", "onerror", "onload", "onclick", "onmouseover", "onfocus", "style",
         "srcdoc", "formaction", "action", "xlink:href", "data", "background", "class", "title",
         "tabindex", "id", "start", "autofocus", "rel", "target", "to", "values"]  # fmt: skip
text = st.sampled_from(
    [
        "x",
        "alert(1)",
        "Rooney",
        "&lt;",
        "&amp;",
        "&#60;script&#62;",
        '"',
        "'",
        "`",
        "<",
        ">",
        "||",
        ">!",
        "!<",
        "*",
        "_",
        "[",
        "]",
        "(",
        ")",
        "\n",
        "\n\n",
        "> ",
        "- ",
        "1. ",
        "    ",
        "```",
        "|",
        "\\",
        "&",
        "-->",
    ]
)


@st.composite
def attribute(draw) -> str:
    name = draw(st.sampled_from(ATTRS))
    value = draw(urls | st.sampled_from(["alert(1)", "x", "spoiler", "0", "1 onclick=alert(1)"]))
    quote = draw(st.sampled_from(['"', "'", "", "`"]))
    return f" {name}={quote}{value}{quote}"


def html_tag(children):
    @st.composite
    def build(draw) -> str:
        tag = draw(st.sampled_from(TAGS))
        tag = tag.upper() if draw(st.booleans()) else tag
        attrs = "".join(draw(st.lists(attribute(), max_size=3)))
        close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "/>"]))
        return f"<{tag}{attrs}>{draw(children)}{close}"

    return build()


def markdown(children):
    def link(t, u, title):
        return f"[{t}]({u}{title})"

    return st.one_of(
        st.builds(link, children, urls, st.sampled_from(["", ' "t"', " 'x\" onclick=alert(1)'"])),
        st.builds(lambda t, u: f"![{t}]({u})", children, urls),
        st.builds(lambda u: f"<{u}>", urls),
        st.builds(lambda t, u: f"[{t}][r]\n\n[r]: {u}\n", children, urls),
        st.builds(lambda t: f"||{t}||", children),
        st.builds(lambda t: f">!{t}!<", children),
        st.builds(lambda t: f"`{t}`", children),
        st.builds(lambda t: f"**{t}**", children),
        st.builds(lambda t: f"\n> {t}\n", children),
        st.builds(lambda t: f"\n```\n{t}\n```\n", children),
        st.builds(lambda t: f"\n| a |\n|---|\n| {t} |\n", children),
    )


fragments = st.recursive(
    text | urls, lambda children: html_tag(children) | markdown(children), max_leaves=12
)
documents = st.lists(fragments, min_size=1, max_size=6).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_no_generated_markdown_or_html_renders_to_script(source):
    html = markup.render(source).html
    assert_no_script(html)
    assert_stable(html)


@settings(max_examples=300, deadline=None)
@given(urls, st.sampled_from(["[x]({})", "<{}>", "{}", "[x][r]\n\n[r]: {}", "![x]({})"]))
def test_links_keep_only_web_and_mail_schemes(url, shape):
    assert_no_script(markup.render(shape.format(url)).html)


# --- the corpus --------------------------------------------------------------------------


@pytest.mark.parametrize("vector", VECTORS)
def test_known_vectors_render_harmless(vector):
    html = markup.render(vector).html
    assert_no_script(html)
    assert_stable(html)


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](&#x6A;avascript:alert(1))",
        "<javascript:alert(1)>",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "||[x](vbscript:msgbox(1))||",
    ],
)
def test_script_links_lose_their_link_but_keep_their_text(source):
    html = markup.render(source).html
    assert "<a " not in html
    assert re.search(r"alert\(1\)|msgbox\(1\)", html)


@pytest.mark.parametrize(
    ("href", "scheme"),
    [("javascript:x", "javascript"), (" \x01JaVa\tScRiPt:x", "javascript"),
     ("java\nscript:x", "javascript"), ("/path:x", None), ("https://x", "https"),
     ("data:x", "data"), ("#a:b", None)],
)  # fmt: skip
def test_the_checker_normalises_urls_like_a_browser(href, scheme):
    assert browser_scheme(href) == scheme


@pytest.mark.parametrize(
    "html",
    ['<a href="java&#x09;script:alert(1)" rel="nofollow ugc noopener">x</a>',
     '<img src="x" onerror="alert(1)">', '<span class="spoiler" onclick="alert(1)">x</span>',
     '<a href=" javascript:alert(1)" rel="nofollow ugc noopener">x</a>',
     "<svg><a>x</a></svg>", '<p style="color:red">x</p>'],
)  # fmt: skip
def test_the_checker_catches_script_capable_html(html):
    with pytest.raises(AssertionError):
        assert_no_script(html)
