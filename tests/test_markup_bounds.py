"""Whatever a member sends within API.md's limits costs a bounded render, or is refused
saying why (tests/adversarial_markdown.py holds the shapes; bench/render_corpus.py times them)."""

from __future__ import annotations

import pytest

from forum.services import markup
from forum.services.errors import Invalid
from tests.adversarial_markdown import SHAPES


def _outcome(source: str) -> markup.Rendered | Invalid:
    try:
        return markup.render(source)
    except Invalid as err:
        return err


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_costly_shape_is_refused_or_renders_within_the_bounds(name):
    source = SHAPES[name]
    assert len(source) <= 40_000
    outcome = _outcome(source)
    if isinstance(outcome, Invalid):
        assert outcome.status == 422 and set(outcome.fields) == {"body"}
        assert "at most" in outcome.fields["body"]
        return
    html = outcome.html
    assert html.count("<") - html.count("</") <= markup.MAX_ELEMENTS
    assert len(html) <= markup.MAX_HTML
    assert len(outcome.text) <= len(source)


@pytest.mark.parametrize(
    ("name", "why"),
    [("quotes", "16,000 elements"), ("quotes_nested", "Nested"), ("list_nested", "Nested"),
     ("list_items", "elements"), ("table_rows", "elements"), ("spoiler_storm", "elements"),
     ("bare_domains", "elements"), ("ampersands", "escape")],
)  # fmt: skip
def test_the_refusal_says_what_is_over_the_bound(name, why):
    outcome = _outcome(SHAPES[name])
    assert isinstance(outcome, Invalid), name
    assert why in outcome.fields["body"]


def test_nesting_past_the_bound_is_refused_and_up_to_it_kept_whole():
    html = markup.render("> " * markup.MAX_DEPTH + "deep").html
    assert html.count("<blockquote>") == markup.MAX_DEPTH and "deep" in html
    with pytest.raises(Invalid) as err:
        markup.render("- " * (markup.MAX_DEPTH - 1) + "> > deep")
    assert "Nested more than" in err.value.fields["body"]


def test_inline_nesting_past_the_bound_stays_text():
    text = markup.render("||" * 30 + "a" + "||" * 30 + " visible").text
    assert "visible" in text and "a" not in text.replace(markup.SPOILER_TEXT, "")


def test_a_long_ordinary_essay_is_not_refused():
    paragraph = ("The **mirror** in the *third act* shows [the coin](https://example.com) "
                 "again, and `Rooney` never looks at it. ") * 4  # fmt: skip
    essay = "\n\n".join(f"## Part {i}\n\n{paragraph}\n\n- a point\n- another" for i in range(80))
    assert len(essay) <= 40_000
    rendered = markup.render(essay)
    assert rendered.html.count("<h2>") == 80


def test_refused_where_the_field_is_named():
    with pytest.raises(Invalid) as err:
        markup.render("> a\n\n" * 8000, field="text")
    assert set(err.value.fields) == {"text"}
