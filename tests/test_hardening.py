"""HTTP hardening: security headers, cookies, sessions that end when they should."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import config
from forum import create_app
from tests.conftest import PASSWORD

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture
def pages(make_film, make_thread) -> list[str]:
    film = make_film()
    thread = make_thread(film=film)
    return ["/", f"/films/{film.slug}", f"/threads/{thread.id}", "/login", "/signup",
            "/password/forgot", "/no-such-page", "/static/app.js"]  # fmt: skip


def test_every_answer_carries_the_security_headers(client, pages):
    for path in pages:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        )
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'",
                          "form-action 'self'", "frame-ancestors 'none'"):  # fmt: skip
            assert directive in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    hsts = client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=31536000")


@pytest.mark.parametrize(("proxies", "hsts"), [(0, False), (1, True)])
def test_https_behind_a_trusted_proxy_gets_hsts_and_an_untrusted_header_does_not(
    app, proxies, hsts
):
    class BehindProxy(config.TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        TRUSTED_PROXIES = proxies

    client = create_app(BehindProxy).test_client()
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert ("Strict-Transport-Security" in response.headers) is hsts


def test_templates_have_no_inline_script_style_or_handlers():
    """The CSP would block them: JavaScript lives in static/app.js, styles in style.css."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\sstyle\s*=", text), template
        assert not re.search(r"<style", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert "javascript:" not in text.lower(), template


def _cookie_flags(response, name: str) -> str:
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    return cookie


def _log_in(client: FlaskClient, user, remember: bool = True):
    data = {"username": user.username, "password": PASSWORD, "remember": "y" if remember else ""}
    return client.post("/login", data=data)


def test_session_and_remember_cookies_are_httponly_and_samesite_lax(client, make_user):
    response = _log_in(client, make_user())
    for name in ("session", "remember_token"):
        cookie = _cookie_flags(response, name)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # development over plain HTTP


def test_production_cookies_are_secure(app, make_user, monkeypatch):
    monkeypatch.setenv("SUBTEXT_ENV", "production")
    assert config.from_environment() is config.ProductionConfig

    class Production(config.ProductionConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        SECRET_KEY = "production-test-key"
        WTF_CSRF_ENABLED = False
        RATELIMIT_ENABLED = False

    client = create_app(Production).test_client()
    response = _log_in(client, make_user())
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        assert "; Secure" in _cookie_flags(response, name)


@pytest.mark.parametrize("value", ["", "development", "prod"])
def test_anything_but_production_picks_the_development_config(monkeypatch, value):
    monkeypatch.setenv("SUBTEXT_ENV", value)
    assert config.from_environment() is config.Config


def _steal_remember_cookie(app: Flask, victim: FlaskClient) -> FlaskClient:
    thief = app.test_client()
    thief.set_cookie("remember_token", victim.get_cookie("remember_token").value)
    return thief


def test_a_stolen_remember_me_cookie_stops_working_after_log_out(app, client, make_user):
    _log_in(client, make_user())
    thief = _steal_remember_cookie(app, client)
    assert thief.get("/account/password").status_code == 200  # the cookie alone logs in
    thief = _steal_remember_cookie(app, client)
    client.post("/logout")
    assert client.get("/account/password").status_code == 302
    assert thief.get("/account/password").status_code == 302  # to the log-in page


def test_log_out_ends_the_sessions_on_other_devices_too(app, client, make_user):
    user = make_user()
    laptop = app.test_client()
    _log_in(laptop, user, remember=False)
    _log_in(client, user, remember=False)
    response = client.post("/logout", follow_redirects=True)
    assert "You are logged out, on every device." in response.get_data(as_text=True)
    assert laptop.get("/account/password").status_code == 302


def test_a_password_change_ends_other_sessions_but_keeps_this_one(app, client, make_user):
    user = make_user()
    laptop = app.test_client()
    _log_in(laptop, user)
    _log_in(client, user)
    thief = _steal_remember_cookie(app, laptop)
    response = client.post(
        "/account/password", data={"current": PASSWORD, "new": "blood-tied-ballet-shoes"}
    )
    assert response.status_code == 302
    assert client.get("/account/password").status_code == 200
    assert laptop.get("/account/password").status_code == 302
    assert thief.get("/account/password").status_code == 302


def test_log_in_starts_a_fresh_session(client, make_user):
    """Nothing planted in the session before log-in (a fixed CSRF token...) survives it."""
    with client.session_transaction() as session:
        session["csrf_token"] = "planted-by-someone-else"
        session["planted"] = "yes"
    _log_in(client, make_user())
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "planted-by-someone-else"
        assert session.get("_user_id")


def test_nul_characters_in_titles_and_posts_are_a_clear_400_not_a_500(
    app, client, login, make_user, make_film, make_thread
):
    """PostgreSQL refuses NUL in text: the site refuses it up front, as the API does."""
    film, thread = make_film(), make_thread()
    login(make_user())
    data = {"title": "A\x00B theory", "kind": "theory", "body": "java\x00script"}
    assert client.post(f"/films/{film.slug}/threads/new", data=data).status_code == 400
    reply = client.post(f"/threads/{thread.id}/replies", data={"body": "x\x00y"})
    assert reply.status_code == 400
    assert "NUL" in reply.get_data(as_text=True)
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "x\ufffdy" not in page and "A\ufffdB" not in client.get("/all").get_data(as_text=True)
