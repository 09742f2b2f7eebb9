"""Which stored text a viewer is sent (API.md: spoilers are withheld, not hidden).

Every body is rendered twice at write time (services/markup.py): `body_html` in full and
`body_safe_html` with each inline spoiler a placeholder. Choosing one is a comparison, no
rendering: a viewer who may read the film's spoilers (`permissions.can_read_*_spoilers`)
gets the full HTML; everyone else the spoiler-free one, and nothing at all of a
spoiler-flagged thread's body or its replies."""

from __future__ import annotations

from collections.abc import Callable

from forum.models import ModAction, Post, Revision, Thread


def has_inline_spoilers(item: Thread | Post | Revision) -> bool:
    """Whether the text has an inline spoiler: then its two HTMLs differ."""
    return item.body_safe_html != item.body_html


def thread_withheld(thread: Thread, spoilers_ok: bool) -> bool:
    """A spoiler-flagged thread whose body and replies this viewer is not sent."""
    return thread.spoiler and not spoilers_ok


def body_html(item: Thread | Post | Revision, spoilers_ok: bool) -> str:
    """The HTML to print: in full, or with each inline spoiler a placeholder."""
    return item.body_html if spoilers_ok else item.body_safe_html


def withheld(item: Thread | Post | Revision, spoilers_ok: bool, flagged: bool) -> bool:
    """Whether anything of this text is kept from this viewer (API.md's `withheld`)."""
    return not spoilers_ok and (flagged or has_inline_spoilers(item))


def revision_withheld(revision: Revision, item: Thread | Post, spoilers_ok: bool) -> bool:
    """An earlier version is withheld as its item is, and also when the item has a spoiler
    now (a moderator may have wrapped a passage the earlier version shows in the open)."""
    flagged = (item if isinstance(item, Thread) else item.thread).spoiler
    return withheld(revision, spoilers_ok, flagged or has_inline_spoilers(item))


def withheld_notes(
    actions: list[ModAction],
    targets: dict[tuple[str, int], object],
    may_read: Callable[[Thread], bool],
) -> set[int]:
    """The log entries whose note settled a spoiler-flagged theory this viewer may not read
    (`may_read(thread)`): API.md withholds the note, the status itself may be shown."""
    return {
        action.id
        for action in actions
        if action.action == "set_status"
        and isinstance(thread := targets.get(("thread", action.target_id)), Thread)
        and thread.spoiler
        and not may_read(thread)
    }


def status_only(reason: str | None) -> str:
    """A status change's reason (`confirmed: note`) without its note."""
    status = (reason or "").split(":", 1)[0]
    return f"{status} (the note is withheld: it has spoilers)"
