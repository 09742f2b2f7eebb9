"""Replies: edit, delete, revisions."""

from __future__ import annotations

from forum import limits
from forum.api import api_user, bp, require_api_user
from forum.api.parsing import Field, read
from forum.api.schemas import vote_json
from forum.api.threads import posts_json, revisions_json
from forum.services import replies, votes


@bp.patch("/posts/<id:post_id>")
@limits.edit_reply
def edit_post(post_id: int):
    user = require_api_user()
    post = replies.get_visible_post(post_id, user, deleted_gone=True)
    data = read(body=Field(str, True))
    return posts_json([replies.edit_post(user, post, data["body"])])[0]


@bp.delete("/posts/<id:post_id>")
def delete_post(post_id: int):
    user = require_api_user()
    replies.delete_post(user, replies.get_visible_post(post_id, user))
    return "", 204


@bp.get("/posts/<id:post_id>/revisions")
def post_revisions(post_id: int):
    return revisions_json(replies.get_visible_post(post_id, api_user(), deleted_gone=True))


@bp.post("/posts/<id:post_id>/vote")
@limits.vote
def vote_post(post_id: int):
    user = require_api_user()
    post = replies.get_visible_post(post_id, user)
    value = read(value=Field(int, True))["value"]
    return vote_json(votes.cast_vote(user, post, value))
