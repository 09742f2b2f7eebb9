"""Voting through the API: the same cast_vote the web's arrows call."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_of


def test_vote_change_and_retract_a_thread(client, make_thread, make_user, bearer):
    thread = make_thread()
    alice, bob = bearer(make_user()), bearer(make_user())
    path = f"/api/v1/threads/{thread.id}/vote"
    assert client.post(path, json={"value": 1}, headers=alice).get_json() == {
        "score": 1, "upvotes": 1, "downvotes": 0, "my_vote": 1,
    }  # fmt: skip
    again = client.post(path, json={"value": 1}, headers=alice).get_json()
    assert again["score"] == 1 and again["upvotes"] == 1  # the same vote twice counts once
    assert client.post(path, json={"value": -1}, headers=bob).get_json()["score"] == 0
    changed = client.post(path, json={"value": -1}, headers=alice).get_json()
    assert changed == {"score": -2, "upvotes": 0, "downvotes": 2, "my_vote": -1}
    retracted = client.post(path, json={"value": 0}, headers=alice).get_json()
    assert retracted == {"score": -1, "upvotes": 0, "downvotes": 1, "my_vote": 0}
    seen = client.get(f"/api/v1/threads/{thread.id}", headers=bob).get_json()
    assert (seen["score"], seen["my_vote"]) == (-1, -1)


def test_vote_on_a_reply_shows_in_the_tree(client, make_thread, make_reply, make_user, bearer):
    thread = make_thread()
    post = make_reply(thread)
    voter = bearer(make_user())
    result = client.post(f"/api/v1/posts/{post.id}/vote", json={"value": 1}, headers=voter)
    assert result.get_json() == {"score": 1, "upvotes": 1, "downvotes": 0, "my_vote": 1}
    tree = client.get(f"/api/v1/threads/{thread.id}/posts", headers=voter).get_json()["posts"]
    assert (tree[0]["score"], tree[0]["my_vote"]) == (1, 1)


@pytest.mark.parametrize(
    "body, status",
    [
        ({"value": 2}, 422),
        ({"value": -5}, 422),
        ({}, 422),
        ({"value": None}, 422),
        ({"value": "1"}, 400),
        ({"value": True}, 400),
        ({"value": 0.5}, 400),
        ([1], 400),
    ],
)
def test_bad_votes(client, make_thread, make_user, bearer, body, status):
    thread = make_thread()
    response = client.post(f"/api/v1/threads/{thread.id}/vote", json=body,
                           headers=bearer(make_user()))  # fmt: skip
    assert response.status_code == status
    error_of(response)


def test_votes_on_missing_or_removed_things_are_404(client, make_thread, make_user, bearer):
    thread = make_thread(removed=True)
    voter = bearer(make_user())
    assert client.post(f"/api/v1/threads/{thread.id}/vote", json={"value": 1},
                       headers=voter).status_code == 404  # fmt: skip
    assert client.post("/api/v1/posts/999999/vote", json={"value": 1},
                       headers=voter).status_code == 404  # fmt: skip
