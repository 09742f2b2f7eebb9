"""Every permission decision, in one place. Services call `require(...)`; templates
call the same `can_*` predicates (Jinja globals) to decide which controls to draw."""

from __future__ import annotations

from collections.abc import Collection

from forum.models import Film, Post, Role, Thread, User
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


def can_report(user: User | None, item: Thread | Post | None = None) -> bool:
    """Any signed-in fan who isn't banned, about someone else's writing."""
    return is_active_member(user) and (item is None or item.author_id != user.id)


def is_moderator(user: User | None) -> bool:
    return user is not None and user.is_moderator


def can_moderate(user: User | None) -> bool:
    return is_moderator(user) and not user.is_banned


def can_manage_films(user: User | None) -> bool:
    return user is not None and user.is_admin


def can_view_reports(user: User | None) -> bool:
    return can_moderate(user)


def can_set_role(user: User | None, target: User, role: Role | None = None) -> bool:
    """Only admins change roles, and never their own: the admin acting stays an admin,
    so the web can't lock out the last one (user_moderation.set_role re-checks under a
    row lock, and the console refuses to demote the last admin)."""
    return is_active_member(user) and user.is_admin and target.id != user.id


def can_ban(user: User | None, target: User) -> bool:
    """Moderators ban members; only admins ban moderators; nobody bans an admin."""
    if not can_moderate(user) or target.id == user.id or target.is_admin:
        return False
    return user.is_admin or target.role == Role.MEMBER


def can_unban(user: User | None, target: User) -> bool:
    """Whoever may ban someone may lift that ban."""
    return can_ban(user, target)


def can_read_history(user: User | None, item: Thread | Post) -> bool:
    """Edit history is public to whoever may read the text itself: a theory confirmed by
    a sequel can't be quietly rewritten. Removed text's history stays with moderators."""
    if isinstance(item, Post):
        return can_read_thread(user, item.thread) and can_read_post(user, item)
    return can_read_thread(user, item)


def can_read_spoilers(
    user: User | None, film: Film, reveal: bool = False, seen_film_ids: Collection[int] = ()
) -> bool:
    """API.md's spoiler rule: a viewer may read film F's spoilers when signed in and F is
    among the films they marked seen (`seen_film_ids`, from `seen.seen_film_ids`: one
    query per request), or when this one request says `reveal=spoilers`. Everyone else,
    anonymous viewers included, is not sent spoiler text. Without the seen ids the answer
    is no: forgetting them withholds, it never leaks."""
    if reveal:
        return True
    return user is not None and film.id in seen_film_ids


def can_read_thread_spoilers(
    user: User | None, thread: Thread, reveal: bool = False, seen_film_ids: Collection[int] = ()
) -> bool:
    """The spoilers of one thread (its `spoiler_title`): its film's rule, and authors
    always get their own writing in full."""
    if user is not None and thread.author_id == user.id:
        return True
    return can_read_spoilers(user, thread.film, reveal, seen_film_ids)


def can_mark_seen(user: User | None) -> bool:
    """Any signed-in fan, banned ones included: it only changes what they are sent."""
    return user is not None


def ban_message(user: User | None) -> str:
    """What a banned user is told: why, and until when."""
    if user is None or not user.is_banned:
        return "Please log in first." if user is None else "You can't do that here."
    until = (
        f"until {user.banned_until:%d %b %Y, %H:%M} UTC"
        if user.banned_until
        else "with no end date"
    )
    return f"You are banned {until}. Reason: {user.ban_reason}"


def require_active(user: User | None) -> None:
    """Refuse a banned user, saying why and until when."""
    require(is_active_member(user), ban_message(user))
