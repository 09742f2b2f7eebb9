"""Every known XSS vector, posted as threads and replies, opened in Chromium: alert,
prompt, confirm and print are trapped, CSP violations and foreign loads are recorded,
and every link and spoiler in the posts is clicked. Nothing may fire."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route

from tests.xss_corpus import VECTORS

TRAP = """
(() => {
  const report = (what) => {
    (window.__xss = window.__xss || []).push(what);
    if (window.reportXss) window.reportXss(what);
  };
  for (const name of ["alert", "prompt", "confirm", "print"]) {
    window[name] = (...args) => report(name + ": " + String(args[0]));
  }
  document.addEventListener("securitypolicyviolation",
    (e) => report("csp: " + e.violatedDirective + " " + e.blockedURI));
})();
"""

# Checked in the browser's own DOM: what it built from the page, after its parsing.
DOM_CHECK = """
(allowed) => {
  const problems = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) problems.push(`${el.tagName} ${attr.name}`);
    }
  }
  // The header's own theme icons are the one svg a page may hold (never inside `main`).
  const forbidden = "script:not([src$='/static/app.js']), iframe, object, embed, " +
    "svg:not(.site-header .theme-button > svg), main svg, math, " +
    "base, img, style, link:not([href$='/static/style.css']):not([type='application/atom+xml']), " +
    "form[action^='javascript' i]";
  for (const el of document.querySelectorAll(forbidden)) {
    problems.push("element " + el.outerHTML.slice(0, 80));
  }
  for (const body of document.querySelectorAll(".body")) {
    for (const el of body.querySelectorAll("*")) {
      const tag = el.tagName.toLowerCase();
      if (!allowed.tags.includes(tag)) problems.push("tag " + tag);
      for (const attr of el.attributes) {
        if (!(allowed.attrs[tag] || []).includes(attr.name)) problems.push(`${tag} @${attr.name}`);
      }
      if (tag === "a" && !["http:", "https:", "mailto:"].includes(el.protocol)) {
        problems.push("href " + el.getAttribute("href"));
      }
    }
  }
  return problems;
}
"""
ALLOWED = {
    "tags": ["a", "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote", "ul",
             "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
             "th", "td", "span", "button"],
    "attrs": {"a": ["href", "title", "rel"], "span": ["class", "tabindex", "title"],
              "button": ["type", "class", "aria-expanded"],
              "ol": ["start"], "code": ["class"]},
}  # fmt: skip
CHUNK = 15


@pytest.fixture
def corpus_threads(make_user, make_film, make_thread, make_reply) -> list[int]:
    """The corpus as threads (title and body) and as replies, CHUNK vectors a thread."""
    eve, film = make_user("eve"), make_film(slug="ballerina", title="Ballerina")
    ids = []
    for start in range(0, len(VECTORS), CHUNK):
        chunk = VECTORS[start : start + CHUNK]
        title = (chunk[0].replace("\n", " ").strip() + " ...")[:200]
        thread = make_thread(author=eve, film=film, title=title, body="\n\n".join(chunk),
                             spoiler=start == 0)  # fmt: skip
        for vector in chunk:
            make_reply(thread, author=eve, body=vector)
        ids.append(thread.id)
    return ids


@pytest.fixture
def trapped(page: Page, live_server) -> tuple[Page, list[str]]:
    """A page whose every frame reports script that ran, and that never leaves loopback."""
    hits: list[str] = []
    page.context.expose_function("reportXss", lambda what: hits.append(what))
    page.add_init_script(TRAP)
    page.on("dialog", lambda dialog: (hits.append("dialog: " + dialog.message), dialog.dismiss()))

    def elsewhere(route: Route) -> None:
        if not route.request.is_navigation_request():
            hits.append("load: " + route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>elsewhere</p>")

    page.route(lambda url: not url.startswith(live_server.url), elsewhere)
    return page, hits


def _click_everything(page: Page, url: str) -> int:
    """Click every spoiler and link in the posts, coming back after each navigation."""
    clicked = 0
    for summary in page.locator("details.spoiler-body > summary").all():
        summary.click()
    for spoiler in page.locator(".body .spoiler").all():
        spoiler.click()
        clicked += 1
    count = page.locator(".body a").count()
    for n in range(count):
        page.locator(".body a").nth(n).click()
        page.wait_for_load_state()
        clicked += 1
        if page.url != url:
            page.goto(url)
    return clicked


def test_the_corpus_renders_silently_in_chromium(trapped, corpus_threads):
    page, hits = trapped
    clicked = 0
    for thread_id in corpus_threads:
        url = page.goto(f"/threads/{thread_id}?reveal=spoilers").url
        assert page.locator(".post").count() >= 1
        assert page.evaluate(DOM_CHECK, ALLOWED) == []
        clicked += _click_everything(page, url)
        assert page.evaluate("window.__xss || []") == []
    assert clicked > 20  # the corpus does leave harmless links and spoilers to click
    for path in ("/films/ballerina", "/u/eve", "/u/eve?tab=replies", "/"):
        page.goto(path)
        assert page.evaluate(DOM_CHECK, ALLOWED) == []
    assert hits == []


def test_template_syntax_in_posts_stays_text(trapped, make_thread):
    page, hits = trapped
    body = "{{ 7 + 7 }} {% raw %} ${7 + 7} #{7 + 7} <%= 7 + 7 %>"
    thread = make_thread(title="{{ 7 + 7 }} and ${7 + 7}", body=body)
    page.goto(f"/threads/{thread.id}")
    assert page.locator("h1").inner_text() == "{{ 7 + 7 }} and ${7 + 7}"
    assert page.locator(".thread .body").inner_text() == body
    assert hits == []


def test_the_trap_would_catch_script_that_runs(trapped, live_server):
    """The trap itself works: script that does run is reported (and CSP blocks inline)."""
    page, hits = trapped
    page.goto("/login")
    page.evaluate("alert('from a test')")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=alert(2)>')")
    page.wait_for_timeout(300)
    assert "alert: from a test" in hits
    assert any(hit.startswith("csp: script-src") for hit in hits)  # the CSP held the onerror
