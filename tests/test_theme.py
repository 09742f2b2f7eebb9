"""The theme: the device's choice unless the reader picks one; the pick is a cookie the server
reads, so the page arrives in the right theme with no flash; choosing is a CSRF-guarded form
(or app.js in place); signed-out readers share one cached copy of a page per theme."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from tests.conftest import counting_statements
from tests.test_page_cache import _cached_app


def _token(client, url: str = "/theme") -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).text)[1]


def test_without_a_choice_the_page_follows_the_device(client, make_film):
    make_film(slug="ballerina", title="Ballerina")
    page = client.get("/films/ballerina").text
    assert '<html lang="en">' in page
    assert '<meta name="color-scheme" content="light dark">' in page
    assert "Dark theme" in page and "Light theme" in page  # CSS shows the one that applies


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_choosing_a_theme_remembers_it_and_goes_back(csrf_app, make_film, theme):
    make_film(slug="ballerina", title="Ballerina")
    client = csrf_app.test_client()
    response = client.post(
        "/theme",
        data={"csrf_token": _token(client), "theme": theme, "next": "/films/ballerina"},
    )
    assert response.status_code == 303 and response.location == "/films/ballerina"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"theme={theme};") and "Max-Age=31536000" in cookie
    assert "SameSite=Lax" in cookie
    page = client.get("/films/ballerina").text
    assert f'<html lang="en" data-theme="{theme}">' in page
    assert f'<meta name="color-scheme" content="{theme}">' in page


def test_following_the_device_again_drops_the_cookie(csrf_app):
    client = csrf_app.test_client()
    client.set_cookie("theme", "dark")
    assert 'data-theme="dark"' in client.get("/theme").text
    assert re.search(r'<input checked id="theme-2" name="theme" type="radio" value="dark">',
                     client.get("/theme").text)  # fmt: skip
    response = client.post("/theme", data={"csrf_token": _token(client), "theme": "auto"})
    assert response.status_code == 303 and response.location == "/"
    assert response.headers["Set-Cookie"].startswith("theme=;")
    assert '<html lang="en">' in client.get("/").text


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"theme": "sepia"}, 422, "Choose light, dark, or your device"),
        ({"theme": ""}, 422, "Choose light, dark, or your device"),
        ({"theme": "dark", "csrf_token": None}, 400, "Your form expired or came from elsewhere"),
    ],
)
def test_a_refused_choice_says_why_and_sets_nothing(csrf_app, data, status, says):
    client = csrf_app.test_client()
    token = _token(client)
    form = {"csrf_token": token, **data}
    response = client.post("/theme", data={k: v for k, v in form.items() if v is not None})
    assert response.status_code == status
    assert says in response.text
    assert "Set-Cookie" not in response.headers or "theme=" not in response.headers["Set-Cookie"]


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_the_way_back_stays_on_this_site(csrf_app, target):
    client = csrf_app.test_client()
    response = client.post(
        "/theme", data={"csrf_token": _token(client), "theme": "dark", "next": target}
    )
    assert response.status_code == 303 and response.location == "/"


@pytest.mark.parametrize("value", ["sepia", '"><script>alert(1)</script>', "DARK"])
def test_an_unknown_cookie_is_ignored(client, value):
    client.set_cookie("theme", value)
    page = client.get("/").text
    assert '<html lang="en">' in page and "<script>alert" not in page


def test_the_header_switch_is_a_form_when_the_page_has_a_token(client, make_user, login):
    login(make_user())
    page = client.get("/").text
    switch = re.search(r'<form [^>]*class="inline theme-switch">.*?</form>', page, re.S)[0]
    assert 'name="csrf_token"' in switch
    assert 'name="theme" value="dark"' in switch and 'name="theme" value="light"' in switch
    assert 'name="next" value="/"' in switch


def test_signed_out_readers_share_one_cached_copy_per_theme(app, make_film):
    make_film(slug="ballerina", title="Ballerina")
    cached = _cached_app(app, None)
    light, dark = cached.test_client(), cached.test_client()
    dark.set_cookie("theme", "dark")
    first = light.get("/films/ballerina")
    assert first.headers["Cache-Control"].startswith("public")
    assert 'href="/theme?next=' in first.text  # shared pages link to the theme page
    assert 'name="csrf_token"' not in first.text
    assert 'data-theme="dark"' in dark.get("/films/ballerina").text  # not the light copy
    light.get("/films/ballerina"), dark.get("/films/ballerina")  # each copy knows its rows now
    with counting_statements(cached) as statements:
        again_dark = dark.get("/films/ballerina").text
        again_light = light.get("/films/ballerina").text
    assert statements == []  # both served from the cache
    assert 'data-theme="dark"' in again_dark and '<html lang="en">' in again_light
    with cached.app_context():
        db.session.remove()
        db.engine.dispose()


def test_every_time_shows_the_absolute_time_on_hover(client, make_thread, make_reply):
    thread = make_thread(title="The ballet shoes")
    make_reply(thread)
    page = client.get(f"/threads/{thread.id}").text
    times = re.findall(r"<time [^>]*>", page)
    assert len(times) >= 2
    for tag in times:
        assert re.fullmatch(
            r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" title="\d{1,2} \w{3} \d{4}, '
            r'\d\d:\d\d UTC">',
            tag,
        ), tag


def test_the_apis_json_is_one_cached_copy_whatever_the_theme(app, make_film):
    make_film(slug="ballerina", title="Ballerina")
    cached = _cached_app(app, None)
    light, dark = cached.test_client(), cached.test_client()
    dark.set_cookie("theme", "dark")
    light.get("/api/v1/films"), light.get("/api/v1/films")  # stored, its rows known
    with counting_statements(cached) as statements:
        answer = dark.get("/api/v1/films")
    assert statements == [] and answer.get_json()["films"][0]["slug"] == "ballerina"
    with cached.app_context():
        db.session.remove()
        db.engine.dispose()
