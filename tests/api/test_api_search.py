"""Search over live threads and replies."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Thread
from tests.api.conftest import error_of


def test_search_finds_threads_and_replies_as_soon_as_written(
    client, make_film, make_thread, make_reply, make_user, bearer
):
    film = make_film("ballerina")
    thread = make_thread(film=film, title="Broken mirrors everywhere", body="Count them.")
    assert client.get("/api/v1/search?q=MIRRORS").get_json()["results"][0]["type"] == "thread"
    body = {"body": "The mirrors are the Ruska Roma's eyes."}
    path = f"/api/v1/threads/{thread.id}/posts"
    reply = client.post(path, headers=bearer(make_user()), json=body).get_json()
    results = client.get("/api/v1/search?q=ruska roma").get_json()["results"]
    assert [(r["type"], r["post"]["id"], r["thread"]["id"]) for r in results] == [
        ("post", reply["id"], thread.id)
    ]
    assert "Ruska Roma" in results[0]["snippet"]


def test_search_skips_removed_and_deleted_and_filters(client, app, make_film, make_thread):
    film, other = make_film("ballerina"), make_film("heat")
    gone = make_thread(film=film, title="High Table secrets", kind="theory")
    make_thread(film=film, title="High Table question", kind="question")
    make_thread(film=other, title="High Table at the diner", kind="discussion")
    with app.app_context():
        db.session.get(Thread, gone.id).removed = True
        db.session.commit()
    titles = lambda q: [r["thread"]["title"] for r in client.get(q).get_json()["results"]]  # noqa: E731
    assert sorted(titles("/api/v1/search?q=high table")) == [
        "High Table at the diner", "High Table question"
    ]  # fmt: skip
    assert titles("/api/v1/search?q=high table&film=ballerina") == ["High Table question"]
    assert titles("/api/v1/search?q=high table&kind=discussion") == ["High Table at the diner"]


def test_search_pages_by_cursor_and_treats_wildcards_literally(client, make_film, make_thread):
    film = make_film()
    made = [make_thread(film=film, title=f"Theory {i}: 100% sure") for i in range(5)]
    make_thread(film=film, title="Theory 9: 1000 sure")
    first = client.get("/api/v1/search?q=100%25&limit=3").get_json()
    assert [r["thread"]["id"] for r in first["results"]] == [t.id for t in made[::-1][:3]]
    rest = client.get(f"/api/v1/search?q=100%25&limit=3&cursor={first['next_cursor']}").get_json()
    assert [r["thread"]["id"] for r in rest["results"]] == [made[1].id, made[0].id]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    "query, status",
    [
        ("", 422),
        ("q=", 422),
        ("q=%20%20", 422),
        ("q=" + "x" * 201, 422),
        ("q=a&kind=rumour", 422),
        ("q=a&film=nope", 404),
        ("q=a&limit=0", 422),
        ("q=a&cursor=forged", 400),
        # Full-text: a query with no word to look for (only punctuation or exclusions).
        ("q=*", 422),
        ("q=-rooney", 422),
        ("q=%22%22", 422),
    ],
)
def test_search_failures(client, query, status):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == status
    error_of(response)


def test_search_costs_constant_queries(client, make_film, make_thread, make_reply,
                                       count_queries):  # fmt: skip
    film = make_film()
    for i in range(6):
        make_reply(make_thread(film=film, title=f"Mirror theory {i}"), body="mirror reply")
    counts = []
    for limit in (2, 10):
        with count_queries() as queries:
            assert client.get(f"/api/v1/search?q=mirror&limit={limit}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_search_by_relevance_through_the_api(client, make_thread):
    strong = make_thread(title="Mirror, mirror", body="The mirror maze and every mirror in it.")
    weak = make_thread(title="Coats", body="One mirror.")
    ids = lambda r: [hit["thread"]["id"] for hit in r.get_json()["results"]]  # noqa: E731
    assert ids(client.get("/api/v1/search?q=mirror")) == [weak.id, strong.id]
    assert ids(client.get("/api/v1/search?q=mirror&sort=relevance")) == [strong.id, weak.id]
    first = client.get("/api/v1/search?q=mirror&sort=relevance&limit=1").get_json()
    rest = client.get(
        f"/api/v1/search?q=mirror&sort=relevance&limit=1&cursor={first['next_cursor']}"
    )
    assert ids(rest) == [weak.id]
    wrong = client.get("/api/v1/search?q=mirror&sort=best")
    assert wrong.status_code == 422 and "sort" in error_of(wrong)["fields"]
