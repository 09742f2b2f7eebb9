"""Every permission decision, in one place. Services call `require(...)`; templates
call the same `can_*` predicates (Jinja globals) to decide which controls to draw."""

from __future__ import annotations

from forum.models import Post, Role, Thread, User
from forum.services.errors import Forbidden


def require(allowed: bool, message: str = "You can't do that here.") -> None:
    if not allowed:
        raise Forbidden(message)


def is_active_member(user: User | None) -> bool:
    return user is not None and not user.is_banned


def can_start_thread(user: User | None) -> bool:
    return is_active_member(user)


def can_read_thread(user: User | None, thread: Thread) -> bool:
    """Removed and deleted threads are hidden from everyone but moderators."""
    return thread.is_live or is_moderator(user)


def can_reply(user: User | None, thread: Thread) -> bool:
    if not is_active_member(user) or not thread.is_live:
        return False
    return is_moderator(user) or not thread.locked


def can_edit_thread(user: User | None, thread: Thread) -> bool:
    if not is_active_member(user):
        return False
    if is_moderator(user):
        return True
    return thread.author_id == user.id and thread.is_live and not thread.locked


def can_delete_thread(user: User | None, thread: Thread) -> bool:
    return is_active_member(user) and thread.author_id == user.id and not thread.deleted


def can_edit_post(user: User | None, post: Post) -> bool:
    if not is_active_member(user):
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.id and post.is_live and not post.thread.locked


def can_delete_post(user: User | None, post: Post) -> bool:
    return is_active_member(user) and post.author_id == user.id and not post.deleted


def can_read_post(user: User | None, post: Post) -> bool:
    return post.is_live or is_moderator(user)


def can_vote(user: User | None, item: Thread | Post) -> bool:
    return is_active_member(user) and item.author_id != user.id and item.is_live


def can_report(user: User | None) -> bool:
    return is_active_member(user)


def is_moderator(user: User | None) -> bool:
    return user is not None and user.is_moderator


def can_moderate(user: User | None) -> bool:
    return is_moderator(user) and not user.is_banned


def can_manage_films(user: User | None) -> bool:
    return user is not None and user.is_admin


def can_set_role(user: User | None, target: User, role: Role) -> bool:
    """Only admins change roles, and never their own (so one admin always remains)."""
    return user is not None and user.is_admin and target.id != user.id


def can_ban(user: User | None, target: User) -> bool:
    """Moderators ban members; only admins ban moderators; nobody bans an admin."""
    if not can_moderate(user) or target.id == user.id or target.is_admin:
        return False
    return user.is_admin or target.role == Role.MEMBER
