"""Every permission decision, in one place, and why.

Each `can_*` predicate answers a `Decision`: true or false as a plain boolean (templates
call the same predicates, registered as Jinja globals, to decide which controls to draw),
and when false it carries the reason a refused fan reads and the error that says it
(`Forbidden`, `Locked` or `NotFound`). Services and views call `require(can_*(...))`, or a
`require_*` helper, which raises with that reason: nobody rebuilds a rule to choose a
message."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from forum.models import Film, Post, Role, Thread, User
from forum.services.errors import DomainError, Forbidden, Locked, NotFound


class Decision(NamedTuple):
    """`(allowed, reason)`: true when allowed; when not, why and as which error."""

    allowed: bool
    reason: str = ""
    error: type[DomainError] = Forbidden

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)
NOT_MODERATOR = "Only moderators can do that."
GONE = "This was removed or deleted: it can't be voted on."


def deny(reason: str, error: type[DomainError] = Forbidden) -> Decision:
    return Decision(False, reason, error)


def require(decision: Decision) -> None:
    """Raise the decision's error with its reason unless it allows."""
    if not decision:
        raise decision.error(decision.reason)


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


def can_read_post_spoilers(user: User | None, post: Post, thread_spoilers_ok: bool) -> bool:
    """The spoilers of one reply: its thread's answer (`can_read_thread_spoilers`), and
    authors always get their own writing in full."""
    return thread_spoilers_ok or (user is not None and post.author_id == user.id)


def can_mark_seen(user: User | None) -> Decision:
    """Any signed-in fan, banned ones included: it only changes what they are sent."""
    return ALLOWED if user is not None else deny("Please log in first.")


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


def is_active_member(user: User | None) -> Decision:
    """Signed in and not banned; refused with why (and until when, for a ban)."""
    if user is None or user.is_banned:
        return deny(ban_message(user))
    return ALLOWED


def require_active(user: User | None) -> None:
    """Refuse a banned user, saying why and until when."""
    require(is_active_member(user))


def is_moderator(user: User | None) -> bool:
    return user is not None and user.is_moderator


def can_start_thread(user: User | None) -> Decision:
    return is_active_member(user)


def can_read_thread(user: User | None, thread: Thread, deleted_gone: bool = False) -> Decision:
    """Removed and deleted threads are hidden from everyone but moderators. `deleted_gone`:
    one its author deleted is gone for moderators too (the JSON API, where a resource that
    answered DELETE answers 404 after; moderators read it on the site)."""
    if thread.is_live or (is_moderator(user) and not (deleted_gone and thread.deleted)):
        return ALLOWED
    return deny("No such thread.", NotFound)


def can_reply(user: User | None, thread: Thread) -> Decision:
    """Locked threads take replies from moderators only."""
    if not (active := is_active_member(user)):
        return active
    if thread.locked and not user.is_moderator:
        return deny("This thread is locked: no new replies.", Locked)
    return ALLOWED if thread.is_live else deny("You can't reply here.")


def can_edit_thread(user: User | None, thread: Thread) -> Decision:
    return _can_edit(user, thread, thread, "it can't be edited.", "threads")


def can_edit_post(user: User | None, post: Post) -> Decision:
    return _can_edit(user, post, post.thread, "its replies can't be edited.", "replies")


def _can_edit(user: User | None, item: Thread | Post, thread: Thread, locked: str, what: str):
    """Authors edit their own live writing unless the thread is locked; moderators always."""
    if not (active := is_active_member(user)):
        return active
    if user.is_moderator:
        return ALLOWED
    if thread.locked:
        return deny(f"This thread is locked: {locked}", Locked)
    if item.author_id == user.id and item.is_live:
        return ALLOWED
    return deny(f"You can only edit your own {what}.")


def can_delete_thread(user: User | None, thread: Thread) -> Decision:
    return _can_delete(user, thread, "threads")


def can_delete_post(user: User | None, post: Post) -> Decision:
    return _can_delete(user, post, "replies")


def _can_delete(user: User | None, item: Thread | Post, what: str) -> Decision:
    if not (active := is_active_member(user)):
        return active
    if item.author_id == user.id and not item.deleted:
        return ALLOWED
    return deny(f"You can only delete your own {what}.")


def can_read_post(user: User | None, post: Post) -> Decision:
    if post.is_live or is_moderator(user):
        return ALLOWED
    return deny("No such reply.", NotFound)


def can_vote(user: User | None, item: Thread | Post) -> Decision:
    if user is None:
        return deny("Please log in to vote.")
    if not (active := is_active_member(user)):
        return active
    if item.author_id == user.id:
        return deny("You can't vote on your own writing.")
    thread = item.thread if isinstance(item, Post) else item  # a live reply in a removed thread
    return ALLOWED if item.is_live and thread.is_live else deny(GONE)


def can_report(user: User | None, item: Thread | Post | None = None) -> Decision:
    """Any signed-in fan who isn't banned, about someone else's writing."""
    if not (active := is_active_member(user)):
        return active
    if item is not None and item.author_id == user.id:
        return deny("You can't report your own writing.")
    return ALLOWED


def can_moderate(user: User | None) -> Decision:
    """Moderators (and admins) who are not banned themselves."""
    if not is_moderator(user):
        return deny(NOT_MODERATOR)
    return is_active_member(user)


def require_moderator(user: User | None) -> None:
    """Refuse anyone but an active moderator, saying why (a ban says until when)."""
    require(can_moderate(user))


def can_manage_films(user: User | None) -> Decision:
    if user is not None and user.is_admin:
        return ALLOWED
    return deny("Only admins manage films and universes.")


def can_view_reports(user: User | None) -> Decision:
    return can_moderate(user)


def can_set_role(user: User | None, target: User, role: Role | None = None) -> Decision:
    """Only admins change roles, and never their own: the admin acting stays an admin,
    so the web can't lock out the last one (user_moderation.set_role re-checks under a
    row lock, and the console refuses to demote the last admin)."""
    if not (active := is_active_member(user)):
        return active
    if not user.is_admin:
        return deny("Only admins change roles.")
    if target.id == user.id:
        return deny("Only admins change roles, and not their own.")
    return ALLOWED


def can_ban(user: User | None, target: User) -> Decision:
    """Moderators ban members; only admins ban moderators; nobody bans an admin."""
    if user is not None and user.is_banned:
        return deny(ban_message(user))
    if target.is_admin:
        return deny("Admins can't be banned.")
    if user is not None and user.id == target.id:
        return deny("You can't ban yourself.")
    if not can_moderate(user) or not (user.is_admin or target.role == Role.MEMBER):
        return deny("Only moderators ban members, and only admins ban moderators.")
    return ALLOWED


def can_unban(user: User | None, target: User) -> Decision:
    """Whoever may ban someone may lift that ban."""
    return can_ban(user, target)


def can_read_history(user: User | None, item: Thread | Post) -> Decision:
    """Edit history is public to whoever may read the text itself: a theory confirmed by
    a sequel can't be quietly rewritten. Removed text's history stays with moderators."""
    if isinstance(item, Post):
        return can_read_thread(user, item.thread) and can_read_post(user, item)
    return can_read_thread(user, item)
