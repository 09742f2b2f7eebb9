"""Accounts and tokens: register, log in for a token, revoke it, who am I."""

from __future__ import annotations

from forum import limits
from forum.api import bp, current_token, require_api_user
from forum.api.parsing import Field, read
from forum.api.schemas import token_json, user_json
from forum.services import accounts, tokens
from forum.services.errors import Unauthorized


@bp.post("/users")
@limits.signup
def register():
    data = read(username=Field(str, True), email=Field(str, True), password=Field(str, True))
    user = accounts.sign_up(data["username"], data["email"], data["password"])
    limits.remember_address(user.username)  # the owner's usual address
    return {"user": user_json(user)}, 201


@bp.post("/tokens")
@limits.login
def create_token():
    data = read(username=Field(str, True), password=Field(str, True), expires_in_days=Field(int))
    user = accounts.authenticate(data["username"], data["password"])
    if user is None:
        raise Unauthorized("That username and password don't match an account.")
    token = tokens.issue_token(user, data["expires_in_days"])
    limits.remember_address(user.username)  # the owner's usual address
    return {"token": token, "user": user_json(user)}, 201


@bp.get("/tokens")
def list_tokens():
    return {"tokens": [token_json(t) for t in tokens.user_tokens(require_api_user())]}


@bp.delete("/tokens/<id:token_id>")
def revoke_one_token(token_id: int):
    tokens.revoke_user_token(require_api_user(), token_id)
    return "", 204


@bp.delete("/tokens")
def revoke_all_tokens():
    tokens.revoke_all_tokens(require_api_user())
    return "", 204


@bp.delete("/tokens/current")
def revoke_token():
    api_token = current_token()
    if api_token is None:
        raise Unauthorized("Send the token to revoke as Authorization: Bearer <token>.")
    tokens.revoke_token(api_token)
    return "", 204


@bp.get("/me")
def me():
    return user_json(require_api_user())


@bp.get("/users/<username>")
def user(username: str):
    return user_json(accounts.get_user(username))
