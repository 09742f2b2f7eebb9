"""The film world through the API: universes, tags, scenes and theory records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum import demo
from forum.extensions import db
from forum.models import Film, ModAction, Role, Thread, User
from forum.services import moderation
from tests.api.conftest import error_of


@pytest.fixture
def wick(app):
    with app.app_context():
        demo.seed()


def test_a_universe_in_story_order_with_release_places_and_theories(client, wick):
    body = client.get("/api/v1/universes/john-wick").get_json()
    slugs = [f["slug"] for f in body["films"]]
    assert slugs.index("ballerina") + 1 == slugs.index("john-wick-chapter-4")
    assert body["release_order"][-2:] == ["john-wick-chapter-4", "ballerina"]
    ballerina = body["films"][slugs.index("ballerina")]
    assert (ballerina["story_place"], ballerina["release_place"]) == (4, 5)
    assert ballerina["runtime_minutes"] == 125 and ballerina["thread_count"] >= 1
    chapter2 = body["films"][slugs.index("john-wick-chapter-2")]
    assert [t["status"] for t in chapter2["confirmed_theories"]] == ["confirmed"]
    assert body["busiest_tags"][0] == {"name": "ruska-roma", "thread_count": 6}
    assert body["html_url"].endswith("/universes/john-wick")
    assert error_of(client.get("/api/v1/universes/nope"))["code"] == "not_found"


def test_an_admin_orders_a_universe_through_the_api(client, wick, make_user, bearer, app):
    admin = bearer(make_user(role=Role.ADMIN))
    with app.app_context():
        slugs = [
            f.slug for f in db.session.scalars(select(Film).where(Film.universe_id.is_not(None)))
        ]
    order = ["ballerina", *[s for s in slugs if s != "ballerina"]]
    response = client.put("/api/v1/universes/john-wick/order", json={"films": order}, headers=admin)
    assert response.status_code == 200
    assert [f["slug"] for f in response.get_json()["films"]][0] == "ballerina"
    for films, field in (
        (order[:-1], "films"),
        ([*order, "heat"], "films"),
        (order + order, "films"),
    ):
        refused = client.put(
            "/api/v1/universes/john-wick/order", json={"films": films}, headers=admin
        )
        assert refused.status_code == 422 and field in error_of(refused)["fields"]
    member = bearer(make_user())
    refused = client.put("/api/v1/universes/john-wick/order", json={"films": order}, headers=member)
    assert error_of(refused)["code"] == "forbidden"
    with app.app_context():
        assert db.session.query(ModAction).filter_by(action="order_films").count() == 1


def test_a_tags_threads_across_films_with_filters(client, wick):
    every = client.get("/api/v1/tags/mirrors/threads").get_json()["threads"]
    assert {t["film"] for t in every} >= {"john-wick-chapter-2", "ballerina", "john-wick-chapter-4"}
    one = client.get("/api/v1/tags/mirrors/threads?film=ballerina").get_json()["threads"]
    assert {t["film"] for t in one} == {"ballerina"}
    spelled = client.get("/api/v1/tags/Ruska%20Roma/threads?status=open&sort=new").get_json()
    assert spelled["threads"] and all("ruska-roma" in t["tags"] for t in spelled["threads"])
    tag = client.get("/api/v1/tags/Markers").get_json()
    assert tag["name"] == "markers" and len(tag["films"]) == 3
    assert client.get("/api/v1/tags/mirrors/threads?film=nope").status_code == 404
    assert client.get("/api/v1/tags/nope/threads").status_code == 404
    assert client.get("/api/v1/tags/mirrors/threads?sort=up").status_code == 422


def test_moderators_rename_and_merge_tags_through_the_api(client, wick, make_user, bearer, app):
    mod = bearer(make_user(role=Role.MODERATOR))
    renamed = client.post("/api/v1/tags/sofia/rename", json={"name": "Sofia Al-Azwar"}, headers=mod)
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "sofia-al-azwar"
    taken = client.post("/api/v1/tags/ballet/rename", json={"name": "markers"}, headers=mod)
    assert error_of(taken)["code"] == "conflict"
    merged = client.post("/api/v1/tags/ballet/merge", json={"into": "#Markers"}, headers=mod)
    assert merged.status_code == 200 and merged.get_json()["thread_count"] == 3  # one had both
    assert client.get("/api/v1/tags/ballet").get_json()["name"] == "markers"
    member = bearer(make_user())
    refused = client.post("/api/v1/tags/markers/rename", json={"name": "marks"}, headers=member)
    assert error_of(refused)["code"] == "forbidden"
    bad = client.post("/api/v1/tags/markers/rename", json={"name": "!!"}, headers=mod)
    assert error_of(bad)["code"] == "invalid"
    with app.app_context():
        actions = db.session.scalars(select(ModAction.action).where(ModAction.target_type == "tag"))
        assert sorted(actions) == ["merge_tag", "rename_tag"]
    log = client.get("/api/v1/modlog").get_json()["actions"]
    assert log[0]["action"] == "merge_tag" and log[0]["target_type"] == "tag"


def test_a_status_change_names_the_settling_film_and_moment(client, wick, make_user, bearer, app):
    mod = bearer(make_user(role=Role.MODERATOR))
    with app.app_context():
        theory = db.session.scalar(select(Thread).where(Thread.title.startswith("The Director")))
    body = {"status": "confirmed", "note": "Ballerina shows it.", "film": "ballerina",
            "timestamp": "1:38:40"}  # fmt: skip
    response = client.post(f"/api/v1/threads/{theory.id}/status", json=body, headers=mod)
    assert response.status_code == 200 and response.get_json()["status"] == "confirmed"
    for wrong, code in (({"timestamp": "3:00:00"}, "invalid"), ({"timestamp": "1:99"}, "invalid"),
                        ({"film": "nope"}, "not_found")):  # fmt: skip
        refused = client.post(f"/api/v1/threads/{theory.id}/status", json={**body, **wrong},
                              headers=mod)  # fmt: skip
        assert error_of(refused)["code"] == code
    history = client.get(f"/api/v1/threads/{theory.id}/status-history?reveal=spoilers").get_json()
    assert history["changes"][-1]["timestamp"] == "1:38:40"
    assert history["changes"][-1]["film"] == "ballerina"


def test_films_carry_their_runtime(client, wick, make_user, bearer):
    assert client.get("/api/v1/films/ballerina").get_json()["runtime_minutes"] == 125
    admin = bearer(make_user(role=Role.ADMIN))
    film = {"title": "Thief", "year": 1981, "runtime_minutes": 123}
    made = client.post("/api/v1/films", json=film, headers=admin)
    assert made.status_code == 201 and made.get_json()["runtime_minutes"] == 123
    wrong = client.post("/api/v1/films", json={**film, "runtime_minutes": 0}, headers=admin)
    assert "runtime_minutes" in error_of(wrong)["fields"]


def test_a_debunked_theory_shows_in_its_authors_record(client, wick, app):
    record = client.get("/api/v1/users/high_table/theories?status=debunked").get_json()
    assert [t["title"] for t in record["threads"]] == ["Ballerina is set after Chapter 4"]
    assert record["counts"]["debunked"] == 1
    with app.app_context():
        moderator = db.session.scalar(select(User).where(User.username == "charon"))
        thread = db.session.scalar(
            select(Thread).where(Thread.title.startswith("Ballerina is set"))
        )
        moderation.set_theory_status(moderator, thread, "open")
    assert client.get("/api/v1/users/high_table/theories").get_json()["counts"]["debunked"] == 0
