"""Bodies shaped to make Markdown costly, each as long as API.md allows (40,000 characters).

Rendered in tests/test_markup_bounds.py (each is refused, or its output stays within the
bounds in forum/services/markup.py) and timed by bench/render_corpus.py (`make bench`
reports the worst). Add every costly shape you find here.
"""

from __future__ import annotations

MAX = 40_000


def _fill(unit: str, size: int = MAX) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def _table(columns: int, size: int = MAX) -> str:
    head = "|" + "a|" * columns + "\n|" + "-|" * columns + "\n"
    return head + _fill("|" + "a|" * columns + "\n", size - len(head))


SHAPES: dict[str, str] = {
    # Block quotes: the 11-second body, and nesting as deep as the text allows.
    "quotes": _fill("> a\n\n"),
    "quotes_nested": ">" * MAX,
    "quotes_nested_spaced": _fill("> "),
    "quotes_in_lists": _fill("- > - > a\n"),
    # Lists: many items, nested as deep as indentation allows.
    "list_items": _fill("- a\n"),
    "list_nested": "".join("  " * i + "- a\n" for i in range(190)),
    "list_markers": _fill("- "),
    "ordered_items": _fill("1. a\n"),
    # Emphasis: delimiter storms and deep nesting.
    "emphasis_storm": _fill("*a "),
    "emphasis_mixed": _fill("**_"),
    "emphasis_nested": "*" * (MAX // 2 - 1) + "a" + "*" * (MAX // 2),
    "strike_storm": _fill("~~a~~ "),
    "emphasis_unclosed": _fill("_a*"),
    # Links: written, bare (linkified by the sanitizer), autolinks, references, brackets.
    "links": _fill("[a](http://a.b) "),
    "bare_urls": _fill("http://a.com "),
    "bare_domains": _fill("a.com "),
    "bare_www": _fill("www.a.io\n"),
    "autolinks": _fill("<http://a.b> "),
    "reference_links": _fill("[a]: http://a.b\n", MAX - 2000) + _fill("[a] ", 2000),
    "open_brackets": "[" * MAX,
    "link_in_link": _fill("[[[[a](b)](c)](d)]"),
    # Spoilers: many, nested, unclosed, and the pipes that may open them.
    "spoiler_storm": _fill("||a|| "),
    "spoiler_reddit_storm": _fill(">!a!< "),
    "spoiler_nested": ">!" * (MAX // 4) + "!<" * (MAX // 4),
    "spoiler_nested_mixed": _fill("||>!") + _fill("!<||", 0),
    "spoiler_unclosed": _fill("||a "),
    "pipes": "|" * MAX,
    # Raw HTML (escaped, as raw HTML is off) and entities that grow when escaped.
    "html_soup": _fill("<div><b>x</b></div>"),
    "html_open_tags": _fill("<a"),
    "ampersands": "&" * MAX,
    "entities": _fill("&amp;"),
    # Tables: wide, and long.
    "table_wide": _table(2_000, MAX),
    "table_rows": _table(2),
    "table_cells": _table(100),
    # Everything else that makes one element per few characters.
    "headings": _fill("# a\n"),
    "rules": _fill("---\n\n"),
    "hard_breaks": _fill("a  \n"),
    "code_spans": _fill("`a` "),
    "backtick_runs": _fill("`a"),
    "code_fence": "```\n" + _fill("<a>&\n", MAX - 8) + "\n```",
    "paragraphs": _fill("a\n\n"),
}
