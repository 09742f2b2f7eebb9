"""User text goes through one door: markup.render."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum.models.text import excerpt
from forum.services import markup


def test_markdown_renders_emphasis_lists_and_code():
    html = markup.render("**Rooney** knows.\n\n- mirrors\n- shoes\n\n`coin`").html
    assert "<strong>Rooney</strong>" in html
    assert "<li>mirrors</li>" in html
    assert "<code>coin</code>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "<svg onload=alert(1)>",
    ],
)
def test_raw_html_and_script_links_never_survive(source):
    elements = _elements(markup.render(source).html)
    assert {tag for tag, _ in elements} <= markup.ALLOWED_TAGS
    for _tag, attrs in elements:
        assert not any(name.startswith("on") for name in attrs)
        href = attrs.get("href") or ""
        assert href.split(":")[0].lower() in {"http", "https", "mailto", href.lower()}


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element the browser would build from this HTML: (tag, attributes)."""
    found: list[tuple[str, dict[str, str]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {k.lower(): v or "" for k, v in attrs}))

    Collector().feed(html)
    return found


def test_bare_urls_become_links_but_only_with_safe_schemes():
    html = markup.render("see https://example.com/theory and data:text/html,hi").html
    assert '<a href="https://example.com/theory" rel="nofollow ugc noopener">' in html
    assert 'href="data' not in html


def test_every_link_is_nofollow_ugc_noopener():
    html = markup.render("[the theory](https://example.com/x)").html
    assert html == (
        '<p><a href="https://example.com/x" rel="nofollow ugc noopener">the theory</a></p>'
    )


@pytest.mark.parametrize(
    "source",
    ["Eve ||kills the Chancellor|| at the end", "Eve >!kills the Chancellor!< at the end"],
)
def test_both_spoiler_syntaxes_hide_text_behind_a_button(source):
    html = markup.render(source).html
    assert html == (
        '<p>Eve <span class="spoiler"><button type="button" class="spoiler-toggle" '
        'aria-expanded="false">Spoiler</button><span class="spoiler-text">kills the '
        "Chancellor</span></span> at the end</p>"
    )


def test_users_cannot_forge_spoiler_buttons():
    html = markup.render('<button type="button" class="spoiler-toggle">x</button>').html
    assert "<button" not in html
    html = markup.render('||<button aria-expanded="true" onclick="alert(1)">x</button>||').html
    assert html.count("<button") == 1 and 'aria-expanded="true"' not in html


def test_spoiler_at_line_start_is_not_a_block_quote():
    html = markup.render(">!Winston survives!<").html
    assert "<blockquote>" not in html
    assert 'class="spoiler"' in html


def test_spoilers_are_left_alone_in_code_and_when_unclosed():
    assert "spoiler" not in markup.render("`||code||`").html
    assert "spoiler" not in markup.render("a || b").html


def test_users_cannot_forge_spoiler_markup_or_classes():
    html = markup.render('<span class="spoiler" onclick="alert(1)">x</span>').html
    assert "<span" not in html


def test_plain_text_leaves_out_every_spoiler_and_keeps_the_rest():
    rendered = markup.render(
        "Intro ||the twist|| then >!outer ||inner|| SECRET!< end\n\n"
        "- `coin` **mirrors**\n\n|a|b|\n|-|-|\n|c|d|\n\n```\nfence\n```"
    )
    for hidden in ("twist", "outer", "inner", "SECRET"):
        assert hidden not in rendered.text
    assert rendered.text == (
        f"Intro {markup.SPOILER_TEXT} then {markup.SPOILER_TEXT} end\ncoin mirrors\na b\nc d\nfence"
    )


def test_excerpt_cuts_at_a_word():
    text = markup.render("Intro ||the twist|| " + "word " * 100).text
    preview = excerpt(text, limit=40)
    assert "twist" not in preview and preview.endswith("word…")
    assert len(preview) <= 40
