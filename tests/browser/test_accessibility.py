"""The main pages pass axe's WCAG 2 A/AA and best-practice rules in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

from forum import demo

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/", "/films/ballerina", "/threads/1", "/u/tarot_reader", "/login", "/signup"]


@pytest.fixture
def seeded(app):
    with app.app_context():
        demo.seed()


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_axe_violations(page: Page, seeded, url):
    assert AXE.exists(), "axe-core missing: run `npm ci` (make test does)"
    page.goto(url)
    page.evaluate(AXE.read_text())  # not a <script> tag: the CSP refuses inline scripts
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
    )
    violations = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=2)
    assert len(result["passes"]) > 5  # axe really ran
