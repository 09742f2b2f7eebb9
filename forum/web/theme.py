"""The reader's theme: light, dark, or whatever their device prefers (no cookie).

The choice is a cookie the server reads, so the first paint is already in the right theme
(`<html data-theme=…>`); the page cache keeps one copy of a page per theme. Choosing is a
plain POST form with its CSRF token; static/app.js switches in place and writes the same
cookie. Pages shared by signed-out readers carry no CSRF token, so their header links to
the theme page (GET), whose form has one.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from forum.web.forms import ThemeForm
from forum.web.helpers import safe_next

bp = Blueprint("theme", __name__)

COOKIE = "theme"
THEMES = ("light", "dark")  # no cookie: follow the device (prefers-color-scheme)
ONE_YEAR = 60 * 60 * 24 * 365


def current_theme() -> str:
    """ "light", "dark", or "" (follow the device): only a known value counts."""
    chosen = request.cookies.get(COOKIE, "")
    return chosen if chosen in THEMES else ""


@bp.get("/theme")
def choose():
    form = ThemeForm(theme=current_theme() or "auto", next=safe_next(request.args.get("next")))
    return render_template("theme.html", form=form)


@bp.post("/theme")
def save():
    form = ThemeForm()
    if not form.validate_on_submit():
        form.refusal = "Choose light, dark, or your device's setting."
        return render_template("theme.html", form=form), 422
    response = redirect(safe_next(form.next.data) or url_for("films.home"), 303)
    remember(response, form.theme.data)
    return response


def remember(response: Response, theme: str) -> None:
    """Set (or, for "auto", drop) the theme cookie; readable by app.js, which writes it too."""
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    if theme in THEMES:
        response.set_cookie(COOKIE, theme, max_age=ONE_YEAR, samesite="Lax", secure=secure)
    else:
        response.delete_cookie(COOKIE, samesite="Lax", secure=secure)
