"""Every site route, walked with odd path values, query strings and form fields, as a
visitor and as a member: nothing answers 5xx (the site's counterpart of the API's
schemathesis run). Bounded: a fixed number of examples, no shrinking database."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config import TestConfig
from forum import create_app

# Values a fan, a script or an attacker might send: odd digits, huge numbers, control
# characters, markup, and any text (lone surrogates can't be sent over HTTP).
SPECIAL = ["", " ", "0", "-1", "²", "٣", "1.5", "1e9", "9" * 30, "\x00", "a\x00b", "\x1b",
           "true", "null", "[]", "{}", "<script>", "../..", "//evil.example", "%00", "\u202e",
           "2030-01-01T00:00", "9999-12-31T23:59", "0001-01-01T00:00", "-1000", "🎬" * 50,
           "x" * 5000, "theory", "open", "best", "new", "top", "all", "week", "member"]  # fmt: skip
NASTY = ["\x00", "a\x00b", "²", "9" * 30, "-1", "\x1b"]  # what broke pages before
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(SPECIAL),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
)
FIELDS = ["body", "title", "kind", "tags", "spoiler", "parent_id", "value", "next", "reason",
          "until", "role", "status", "note", "username", "email", "password", "current", "new",
          "remember", "year", "slug", "release_date", "universe", "timeline_order",
          "synopsis", "name", "description", "target_type", "target_id"]  # fmt: skip
PARAMS = ["sort", "t", "kind", "status", "tag", "cursor", "q", "film", "tab", "next", "limit",
          "reveal", "page"]  # fmt: skip
EXAMPLES = 5  # per route and method, after the fixed cases: ~1,000 requests in all
_ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")  # <converter(args):name>


def _routes() -> list[tuple[str, str]]:
    """(method, rule) for every site route: not the API, not static files."""
    app = create_app(TestConfig)
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/api", "/static")):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule))
    return sorted(found)


ROUTES = _routes()


def _path(rule: str, values: dict[str, str]) -> str:
    return _ARGUMENT.sub(lambda m: values.get(m.group(3), "1"), rule)


def test_the_walk_covers_the_whole_site():
    assert len(ROUTES) > 40 and ("POST", "/threads/<int:thread_id>/replies") in ROUTES


@pytest.mark.parametrize(("method", "rule"), ROUTES, ids=[f"{m} {r}" for m, r in ROUTES])
def test_no_site_route_answers_5xx_to_odd_input(
    client, login, make_user, make_film, make_thread, make_reply, method, rule
):
    member = make_user()
    film = make_film()
    thread = make_thread(film=film)
    post = make_reply(thread)
    known = {"int": [str(thread.id), str(post.id), "1", "0", "2147483648", "9" * 19],
             "str": [film.slug, member.username, "theory", "x"]}  # fmt: skip

    def choices(converter: str, args: str) -> list[str]:
        if converter == "any":  # <any(lock, unlock):action>
            return [choice.strip() for choice in args.split(",")]
        return known["int" if converter == "int" else "str"]

    def path_value(converter: str, args: str):
        odd = TEXT.map(lambda text: quote(text, safe="") or "x")
        if converter in ("int", "any"):
            return st.sampled_from(choices(converter, args))
        return st.one_of(st.sampled_from(known["str"][:2]), st.sampled_from(known["str"]), odd)

    @st.composite
    def requests(draw):
        values = {
            name: draw(path_value(conv, args)) for conv, args, name in _ARGUMENT.findall(rule)
        }
        query = draw(st.fixed_dictionaries({}, optional={p: TEXT for p in PARAMS}))
        query |= draw(st.dictionaries(TEXT, TEXT, max_size=2))
        form = draw(st.fixed_dictionaries({}, optional={f: TEXT for f in FIELDS}))
        form |= draw(st.dictionaries(TEXT, TEXT, max_size=2))
        return method, _path(rule, values), query, form

    def send(path: str, query: dict, form: dict, as_member: bool, wants_json: bool = False):
        login(member if as_member else None)
        headers = {"Accept": "application/json"} if wants_json else {}
        url = path + ("?" + urlencode(query) if query else "")
        response = client.open(url, method=method, data=form or None, headers=headers)
        assert response.status_code < 500, (method, url, form, response.status_code)

    # First what broke pages before, one query parameter at a time and every field at once.
    first = {name: choices(conv, args)[0] for conv, args, name in _ARGUMENT.findall(rule)}
    path = _path(rule, first)
    for param in PARAMS if method == "GET" else ["next"]:
        send(path, {param: "a\x00b"}, {}, as_member=True)
    for value in ("a\x00b", "²"):
        send(path, {}, {field: value for field in FIELDS}, as_member=True)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
    @given(requests(), st.booleans(), st.booleans())
    def walk(request, as_member, wants_json):
        _, path, query, form = request
        send(path, query, form, as_member, wants_json)

    walk()
