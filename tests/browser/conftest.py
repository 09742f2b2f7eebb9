"""Browser tests: pytest-playwright driving Debian's Chromium against the app served on a
free loopback port. `playwright install` downloads browsers and does not work here: we
point Playwright at /usr/bin/chromium instead. Without Chromium these tests skip on a
developer machine and fail in CI (CI=true)."""

from __future__ import annotations

import os
import shutil
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page

from tests.conftest import PASSWORD, LiveServer

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# `make screenshots` draws the README's pictures: not a test, so not collected otherwise.
collect_ignore = [] if os.environ.get("SCREENSHOTS") else ["test_screenshots.py"]


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_path():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("Chromium is missing in CI: run scripts/ensure-system.sh")
    skip = pytest.mark.skip(reason="Chromium not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Override pytest-playwright's fixture: launch Debian's Chromium."""
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(csrf_app: Flask, serve) -> LiveServer:
    """The browser talks to the test database with CSRF on: real forms, real tokens."""
    return serve(csrf_app)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the form; from the log-in page the browser is on (keeping its
    `next=`), or else from /login."""
    if urlsplit(page.url).path != "/login":
        page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Override pytest-playwright's base_url: page.goto("/") hits the live server."""
    return live_server.url
