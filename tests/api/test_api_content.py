"""Films, universes, boards, threads, replies and revisions through the API."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Post, PostVote, Role, Thread, ThreadVote, Universe
from tests.api.conftest import error_of

THREAD_FIELDS = {
    "id", "film", "title", "spoiler_title", "kind", "status", "author", "body", "body_html",
    "spoiler", "withheld", "tags",
    "score", "upvotes", "downvotes", "reply_count", "locked", "pinned", "removed", "deleted",
    "created_at", "last_activity_at", "edited_at", "my_vote", "html_url",
}  # fmt: skip
POST_FIELDS = {
    "id", "thread_id", "parent_id", "depth", "author", "body", "body_html", "score",
    "upvotes", "downvotes", "removed", "deleted", "created_at", "edited_at", "my_vote",
    "withheld",
}  # fmt: skip


@pytest.fixture
def john_wick(app, make_film):
    with app.app_context():
        db.session.add(Universe(slug="john-wick", name="John Wick"))
        db.session.commit()
    make_film("chapter-4", title="Chapter 4", year=2023, universe="john-wick", timeline_order=5)
    make_film("ballerina", title="Ballerina", year=2025, universe="john-wick", timeline_order=4)
    return make_film("heat", title="Heat", year=1995)


def test_universes_list_films_in_timeline_order(client, john_wick):
    universes = client.get("/api/v1/universes").get_json()["universes"]
    assert [u["slug"] for u in universes] == ["john-wick"]
    assert [f["slug"] for f in universes[0]["films"]] == ["ballerina", "chapter-4"]
    assert set(universes[0]["films"][0]) == {"slug", "title", "year", "timeline_order",
                                             "html_url"}  # fmt: skip


def test_films_and_one_film(client, john_wick):
    films = client.get("/api/v1/films").get_json()["films"]
    assert {f["slug"] for f in films} == {"ballerina", "chapter-4", "heat"}
    film = client.get("/api/v1/films/ballerina").get_json()
    assert film["universe"] == "john-wick" and film["release_date"] is None
    assert film["html_url"] == "http://localhost/films/ballerina"
    assert client.get("/api/v1/films/heat").get_json()["universe"] is None
    assert client.get("/api/v1/films/nope").status_code == 404


def test_an_admin_creates_a_film(client, john_wick, make_user, bearer):
    body = {"title": "Chapter 5", "year": 2027, "universe": "john-wick", "timeline_order": 6,
            "release_date": "2027-05-21", "synopsis": "More."}  # fmt: skip
    response = client.post("/api/v1/films", json=body, headers=bearer(make_user(role=Role.ADMIN)))
    assert response.status_code == 201
    film = response.get_json()
    assert film["slug"] == "chapter-5" and film["release_date"] == "2027-05-21"
    assert client.get("/api/v1/films/chapter-5").get_json()["timeline_order"] == 6


def test_a_film_whose_title_has_no_letter_or_digit_gets_a_slug(client, make_user, bearer):
    admin = bearer(make_user(role=Role.ADMIN))
    response = client.post("/api/v1/films", json={"title": "七人の侍", "year": 1954}, headers=admin)
    assert response.status_code == 201 and response.get_json()["slug"] == "film"
    again = client.post("/api/v1/films", json={"title": "!!!", "year": 1954}, headers=admin)
    assert again.status_code == 409 and "slug" in error_of(again)["fields"]
    named = {"title": "!!!", "year": 1954, "slug": " Bang Bang "}
    assert client.post("/api/v1/films", json=named, headers=admin).get_json()["slug"] == "bang-bang"


@pytest.mark.parametrize(
    "change, status, field",
    [
        ({"universe": "no-such"}, 404, "universe"),
        ({"release_date": "21/05/2027"}, 422, "release_date"),
        ({"release_date": ""}, 422, "release_date"),
        ({"release_date": "２０２７-05-21"}, 422, "release_date"),
        ({"slug": "!!!"}, 422, "slug"),
        ({"slug": "é"}, 422, "slug"),
        ({"synopsis": "Bell\x07"}, 400, "synopsis"),
        ({"release_date": "2027-02-30"}, 422, "release_date"),
        ({"year": 1700}, 422, "year"),
        ({"year": "2027"}, 400, "year"),
        ({"year": 2027.5}, 400, "year"),
        ({"timeline_order": 10**12}, 422, "timeline_order"),
        ({"title": "   "}, 422, "title"),
        ({"title": " " + "x" * 200}, 422, "title"),  # at most 200 as sent
        ({"slug": "heat"}, 409, "slug"),
    ],
)
def test_film_creation_failures(client, john_wick, make_user, bearer, change, status, field):
    """Each refusal as the document states it (400 for control characters, 404 for a
    universe that does not exist)."""
    body = {"title": "Chapter 5", "year": 2027, **change}
    response = client.post("/api/v1/films", json=body, headers=bearer(make_user(role=Role.ADMIN)))
    assert response.status_code == status
    assert field in error_of(response)["fields"]


def test_start_a_theory_and_read_it_back(client, make_user, make_film, bearer):
    film, author = make_film(), make_user("rooney")
    body = {"title": "  The ballet shoes are a contract ", "body": "Blood-tied. ||Spoiler||",
            "kind": "theory", "spoiler": True, "tags": ["Rooney", "#ruska-roma"]}  # fmt: skip
    response = client.post(f"/api/v1/films/{film.slug}/threads", json=body,
                           headers=bearer(author))  # fmt: skip
    assert response.status_code == 201
    thread = response.get_json()
    assert set(thread) == THREAD_FIELDS
    assert thread["title"] == "The ballet shoes are a contract"
    assert thread["status"] == "open" and thread["author"] == "rooney" and thread["spoiler"]
    assert thread["tags"] == ["rooney", "ruska-roma"]
    assert '<span class="spoiler"' in thread["body_html"]
    assert thread["html_url"] == f"http://localhost/threads/{thread['id']}"
    assert client.get(f"/api/v1/threads/{thread['id']}", headers=bearer(author)).get_json() == (
        thread
    )  # the author reads their own spoiler thread in full; others get it withheld
    anonymous = client.get(f"/api/v1/threads/{thread['id']}").get_json()
    assert anonymous["withheld"] and anonymous["body"] is None and not thread["withheld"]


@pytest.mark.parametrize(
    "change, status, field",
    [
        ({"kind": "rumour"}, 422, "kind"),
        ({"title": "ab"}, 422, "title"),
        ({"title": "x" * 201}, 422, "title"),
        ({"body": "   "}, 422, "body"),
        ({"body": "x" * 40_001}, 422, "body"),
        ({"tags": ["a!b"]}, 422, "tags"),
        ({"tags": ["a", "b", "c", "d", "e", "f"]}, 422, "tags"),
        ({"tags": "rooney"}, 400, "tags"),
        ({"tags": [1]}, 400, "tags"),
        ({"spoiler": "yes"}, 400, "spoiler"),
        ({"kind": None}, 422, "kind"),
    ],
)
def test_thread_failures(client, make_user, make_film, bearer, change, status, field):
    body = {"title": "A theory", "body": "Text", "kind": "theory", **change}
    response = client.post(f"/api/v1/films/{make_film().slug}/threads", json=body,
                           headers=bearer(make_user()))  # fmt: skip
    assert response.status_code == status
    assert field in error_of(response)["fields"]


def test_board_pages_by_cursor_and_filters(client, make_film, make_thread, make_user):
    film, author = make_film(), make_user()
    made = [make_thread(author=author, film=film, kind=kind)
            for kind in ["theory", "question"] * 3]  # fmt: skip
    path = f"/api/v1/films/{film.slug}/threads"
    first = client.get(f"{path}?sort=new&limit=4").get_json()
    assert [t["id"] for t in first["threads"]] == [t.id for t in reversed(made)][:4]
    second = client.get(f"{path}?sort=new&limit=4&cursor={first['next_cursor']}").get_json()
    assert [t["id"] for t in second["threads"]] == [made[1].id, made[0].id]
    assert second["next_cursor"] is None
    questions = client.get(f"{path}?kind=question").get_json()["threads"]
    assert {t["kind"] for t in questions} == {"question"} and len(questions) == 3


def test_pinned_threads_come_first_on_hot(client, make_film, make_thread):
    film = make_film()
    pinned = make_thread(film=film, pinned=True)
    later = make_thread(film=film)
    threads = client.get(f"/api/v1/films/{film.slug}/threads").get_json()["threads"]
    assert [t["id"] for t in threads] == [pinned.id, later.id]


@pytest.mark.parametrize(
    "query, status",
    [
        ("limit=0", 422),
        ("limit=-5", 422),
        ("limit=101", 422),
        ("limit=99999999999999999999999", 400),
        ("limit=ten", 400),
        ("limit=1.5", 400),
        ("sort=best", 422),
        ("t=decade", 422),
        ("kind=rumour", 422),
        ("status=maybe", 422),
        ("cursor=forged", 400),
        ("cursor=WyJ0aHJlYWRzLWhvdCIsWzEsMl1d.forged", 400),
    ],
)
def test_bad_listing_parameters(client, make_film, query, status):
    response = client.get(f"/api/v1/films/{make_film().slug}/threads?{query}")
    assert response.status_code == status
    assert error_of(response)["code"] == ("invalid" if status == 422 else "bad_request")


def test_a_cursor_from_another_sort_is_400(client, make_film, make_thread):
    film = make_film()
    for _ in range(3):
        make_thread(film=film)
    path = f"/api/v1/films/{film.slug}/threads"
    cursor = client.get(f"{path}?sort=new&limit=1").get_json()["next_cursor"]
    assert client.get(f"{path}?sort=top&cursor={cursor}").status_code == 400


def test_board_and_tree_pages_cost_constant_queries(
    client, make_film, make_thread, make_reply, make_user, bearer, count_queries
):
    film, viewer = make_film(), make_user()
    auth = bearer(viewer)
    threads = [make_thread(film=film) for _ in range(8)]
    for _ in range(8):
        make_reply(threads[0])
    client.get("/api/v1/me", headers=auth)  # the token's first use is noted once
    counts = []
    for limit in (2, 8):
        with count_queries() as queries:
            client.get(f"/api/v1/films/{film.slug}/threads?limit={limit}", headers=auth)
            client.get(f"/api/v1/threads/{threads[0].id}/posts?limit={limit}", headers=auth)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 13  # the caller's seen films: one query a request


def test_reply_tree_pages_put_parents_before_children(
    client, make_thread, make_reply, make_user, bearer
):
    thread = make_thread()
    a = make_reply(thread, body="a")
    b = make_reply(thread, body="b")
    a1 = make_reply(thread, parent=a, body="a1")
    a1x = make_reply(thread, parent=a1, body="a1x")
    b1 = make_reply(thread, parent=b, body="b1")
    path = f"/api/v1/threads/{thread.id}/posts?sort=old&limit=1"  # top-level replies a page
    first = client.get(path).get_json()
    assert [p["id"] for p in first["posts"]] == [a.id, a1.id, a1x.id]
    assert set(first["posts"][0]) == POST_FIELDS | {"more_replies"}
    assert [p["depth"] for p in first["posts"]] == [0, 1, 2]
    assert first["posts"][1]["parent_id"] == a.id
    rest = client.get(f"{path}&cursor={first['next_cursor']}").get_json()
    assert [p["id"] for p in rest["posts"]] == [b.id, b1.id] and rest["next_cursor"] is None
    assert client.get(f"{path}&cursor={first['next_cursor']}x").status_code == 400
    newest = client.get(f"/api/v1/threads/{thread.id}/posts?sort=new").get_json()["posts"]
    assert newest[0]["id"] == b.id
    assert client.get(f"/api/v1/threads/{thread.id}/posts?sort=hot").status_code == 422


def test_a_long_branch_continues_under_its_reply(client, make_thread, make_reply):
    thread = make_thread()
    top = make_reply(thread, body="top")
    under = [make_reply(thread, parent=top, body=f"under {n}") for n in range(5)]
    deep = make_reply(thread, parent=under[0], body="deep")
    deeper = [make_reply(thread, parent=deep, body=f"deeper {n}") for n in range(2)]
    path = f"/api/v1/threads/{thread.id}/posts?sort=old"
    tree = {p["id"]: p for p in client.get(path).get_json()["posts"]}
    assert tree[top.id]["more_replies"] == 2  # 3 of its 5 replies are on the page
    assert deep.id in tree and deeper[0].id not in tree  # 3 levels: the 4th waits
    assert tree[deep.id]["more_replies"] == 2
    first = client.get(f"{path}&parent_id={top.id}&limit=3").get_json()
    assert [p["id"] for p in first["posts"] if p["parent_id"] == top.id] == [
        u.id for u in under[:3]
    ]
    rest = client.get(f"{path}&parent_id={top.id}&limit=3&cursor={first['next_cursor']}")
    assert [p["id"] for p in rest.get_json()["posts"]] == [u.id for u in under[3:]]
    assert rest.get_json()["next_cursor"] is None
    subtree = client.get(f"{path}&parent_id={deep.id}").get_json()["posts"]
    assert [p["id"] for p in subtree] == [d.id for d in deeper]


@pytest.mark.parametrize(
    "value, status", [("abc", 422), ("0", 422), ("-1", 422), ("99999999", 404)]
)
def test_a_bad_parent_to_page_under_is_refused(client, make_thread, make_reply, value, status):
    thread = make_thread()
    make_reply(thread)
    response = client.get(f"/api/v1/threads/{thread.id}/posts?parent_id={value}")
    assert response.status_code == status and "parent_id" in error_of(response)["fields"]


def test_a_parent_from_another_thread_pages_nothing(client, make_thread, make_reply):
    elsewhere = make_reply(make_thread())
    thread = make_thread()
    response = client.get(f"/api/v1/threads/{thread.id}/posts?parent_id={elsewhere.id}")
    assert response.status_code == 404 and "parent_id" in error_of(response)["fields"]


def test_reply_edit_delete_and_revisions(client, make_thread, make_user, bearer):
    thread, author = make_thread(), make_user("rooney")
    auth = bearer(author)
    response = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": "First"},
                           headers=auth)  # fmt: skip
    assert response.status_code == 201
    post = response.get_json()
    child = client.post(f"/api/v1/threads/{thread.id}/posts", headers=auth,
                        json={"body": "Second", "parent_id": post["id"]}).get_json()  # fmt: skip
    assert child["parent_id"] == post["id"] and child["depth"] == 1
    edited = client.patch(f"/api/v1/posts/{post['id']}", json={"body": "First, edited"},
                          headers=auth).get_json()  # fmt: skip
    assert edited["body"] == "First, edited" and edited["edited_at"].endswith("Z")
    revisions = client.get(f"/api/v1/posts/{post['id']}/revisions").get_json()["revisions"]
    assert [(r["body"], r["title"], r["editor"]) for r in revisions] == [("First", None, "rooney")]
    assert client.delete(f"/api/v1/posts/{post['id']}", headers=auth).status_code == 204
    tree = client.get(f"/api/v1/threads/{thread.id}/posts").get_json()["posts"]
    assert [(p["id"], p["deleted"], p["body"], p["author"]) for p in tree] == [
        (post["id"], True, None, None), (child["id"], False, "Second", "rooney"),
    ]  # fmt: skip
    assert client.get(f"/api/v1/posts/{post['id']}/revisions").status_code == 404
    moderator = bearer(make_user(role=Role.MODERATOR))  # gone through the API for everyone
    assert client.get(f"/api/v1/posts/{post['id']}/revisions", headers=moderator).status_code == 404
    assert client.patch(f"/api/v1/posts/{post['id']}", json={"body": "x"},
                        headers=moderator).status_code == 404  # fmt: skip


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"body": "Hi", "parent_id": 999999}, 404, "parent_id"),
        ({"body": "Hi", "parent_id": 10**18}, 404, "parent_id"),
        ({"body": "Hi\x1b[31m"}, 400, "body"),
        ({"body": "Hi", "parent_id": "1"}, 400, "parent_id"),
        ({"body": ""}, 422, "body"),
        ({}, 422, "body"),
    ],
)
def test_reply_failures(client, make_thread, make_user, bearer, body, status, field):
    thread = make_thread()
    response = client.post(f"/api/v1/threads/{thread.id}/posts", json=body,
                           headers=bearer(make_user()))  # fmt: skip
    assert response.status_code == status
    assert field in error_of(response)["fields"]


def test_a_parent_from_another_thread_is_refused(client, make_thread, make_reply, bearer,
                                                 make_user):  # fmt: skip
    elsewhere = make_reply(make_thread())
    thread = make_thread()
    response = client.post(f"/api/v1/threads/{thread.id}/posts", headers=bearer(make_user()),
                           json={"body": "Hi", "parent_id": elsewhere.id})  # fmt: skip
    assert response.status_code == 404 and "parent_id" in error_of(response)["fields"]


def test_thread_edit_keeps_a_revision_and_delete_hides_it(client, make_thread, make_user,
                                                          bearer, login):  # fmt: skip
    author = make_user("rooney")
    thread, auth = make_thread(author=author, title="Old title", body="Old"), bearer(author)
    response = client.patch(f"/api/v1/threads/{thread.id}", json={"body": "New"}, headers=auth)
    assert response.status_code == 200
    assert response.get_json()["body"] == "New" and response.get_json()["title"] == "Old title"
    revisions = client.get(f"/api/v1/threads/{thread.id}/revisions").get_json()["revisions"]
    assert [(r["title"], r["body"]) for r in revisions] == [("Old title", "Old")]
    assert client.delete(f"/api/v1/threads/{thread.id}", headers=auth).status_code == 204
    for reader in ({}, auth, bearer(make_user())):  # anyone, the author, another fan
        for tail in ("", "/posts", "/revisions"):
            assert (
                client.get(f"/api/v1/threads/{thread.id}{tail}", headers=reader).status_code == 404
            )
    moderator = make_user(role=Role.MODERATOR)
    for tail in ("", "/posts", "/revisions"):  # answered DELETE: gone through the API for all
        assert (
            client.get(f"/api/v1/threads/{thread.id}{tail}", headers=bearer(moderator))
        ).status_code == 404
    edit = client.patch(f"/api/v1/threads/{thread.id}", json={"body": "x"},
                        headers=bearer(moderator))  # fmt: skip
    assert edit.status_code == 404
    login(moderator)  # moderators still read it on the site, nothing destroyed
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "New" in page and "rooney" in page


def test_locked_thread_edit_is_423(client, make_thread, make_user, make_reply, bearer):
    author = make_user()
    thread = make_thread(author=author, locked=True)
    auth = bearer(author)
    assert client.patch(f"/api/v1/threads/{thread.id}", json={"body": "x"},
                        headers=auth).status_code == 423  # fmt: skip
    response = client.post(f"/api/v1/threads/{thread.id}/posts", json={"body": "x"},
                           headers=auth)  # fmt: skip
    assert response.status_code == 423 and error_of(response)["code"] == "locked"


def test_my_vote_shows_the_viewers_votes(client, app, make_film, make_thread, make_reply,
                                         make_user, bearer):  # fmt: skip
    viewer, film = make_user(), make_film()
    thread = make_thread(film=film)
    post = make_reply(thread)
    with app.app_context():
        db.session.add_all([ThreadVote(user_id=viewer.id, thread_id=thread.id, value=-1),
                            PostVote(user_id=viewer.id, post_id=post.id, value=1)])  # fmt: skip
        db.session.commit()
    auth = bearer(viewer)
    assert client.get(f"/api/v1/threads/{thread.id}", headers=auth).get_json()["my_vote"] == -1
    board = client.get(f"/api/v1/films/{film.slug}/threads", headers=auth).get_json()
    assert board["threads"][0]["my_vote"] == -1
    posts = client.get(f"/api/v1/threads/{thread.id}/posts", headers=auth).get_json()["posts"]
    assert posts[0]["my_vote"] == 1
    anonymous = client.get(f"/api/v1/threads/{thread.id}/posts").get_json()["posts"]
    assert anonymous[0]["my_vote"] == 0


def test_removed_replies_are_tombstones_to_members(client, app, make_thread, make_reply,
                                                   make_user, bearer):  # fmt: skip
    thread = make_thread()
    post = make_reply(thread, body="Rude")
    with app.app_context():
        db.session.get(Post, post.id).removed = True
        db.session.get(Thread, thread.id)
        db.session.commit()
    seen = client.get(f"/api/v1/threads/{thread.id}/posts").get_json()["posts"][0]
    assert seen["removed"] and seen["body"] is None and seen["body_html"] is None
    moderator = bearer(make_user(role=Role.MODERATOR))
    seen = client.get(f"/api/v1/threads/{thread.id}/posts", headers=moderator).get_json()
    assert seen["posts"][0]["body"] == "Rude"
