"""Boards' thread listings, threads, their revisions and their reply trees."""

from __future__ import annotations

from forum import limits
from forum.api import api_user, bp, require_api_user, reveal_spoilers, seen_ids
from forum.api.parsing import SPACE, Field, query, query_limit, read
from forum.api.schemas import post_json, revision_json, thread_json, vote_json
from forum.models import Post, Thread
from forum.services import films, inputs, replies, revisions, threads, votes, withholding
from forum.services.errors import NotFound
from forum.services.permissions import can_read_post_spoilers, can_read_thread_spoilers

MAX_TAGS = threads.MAX_TAGS
# A letter or digit of a tag: ASCII, or a Latin-1 letter whose accent is dropped (é → e).
TAG_LETTER = "A-Za-z0-9À-ÅÇ-ÏÑ-ÖÙ-Ýà-åç-ïñ-öù-ýÿ"
# A tag as the document gives it: blank (dropped), or a # or more, then up to 40 letters,
# digits, spaces, _, - and ' that start and end with a letter or digit, white space around
# it. The service normalizes: `Ruska Roma`, `ruska_roma` and `#Ruska-Róma` are `ruska-roma`.
TAG_CORE = rf"#*[{TAG_LETTER}](?:[{TAG_LETTER} _'-]{{0,38}}[{TAG_LETTER}])?"
TAG_PATTERN = rf"^[{SPACE}]*(?:{TAG_CORE}[{SPACE}]*)?$"
TAG_NAME_PATTERN = rf"^[{SPACE}]*{TAG_CORE}[{SPACE}]*$"  # one tag's name, not blank
TAGS = Field(
    list,
    pattern=TAG_PATTERN,
    max_items=MAX_TAGS,
    why=f"Up to {MAX_TAGS} tags of letters, digits, spaces, - and _.",
)


@bp.get("/films/<slug>/threads")
def board(slug: str):
    film = films.get_film(slug)
    pinned, page = threads.board_page(
        film,
        sort=query("sort", "hot"),
        window=query("t", "all"),
        kind=query("kind"),
        status=query("status"),
        tag=query("tag"),
        cursor=query("cursor"),
        limit=query_limit(),
    )
    return {"threads": threads_json(pinned + page.items), "next_cursor": page.next_cursor}


def threads_json(items: list) -> list[dict]:
    mine = votes.my_votes(api_user(), thread_ids=[t.id for t in items])
    viewer, seen, reveal = api_user(), seen_ids(), reveal_spoilers()
    return [thread_json(t, viewer, mine.thread(t.id), seen, reveal) for t in items]


def one_thread_json(thread) -> dict:
    return threads_json([thread])[0]


@bp.post("/films/<slug>/threads")
@limits.start_thread
def start_thread(slug: str):
    user = require_api_user()
    film = films.get_film(slug)
    data = read(
        title=Field(str, True, max_length=threads.MAX_TITLE),
        body=Field(str, True),
        kind=Field(str, True),
        spoiler=Field(bool),
        spoiler_title=Field(str, max_length=threads.MAX_TITLE),
        tags=TAGS,
    )
    thread = threads.start_thread(
        user,
        film,
        data["title"],
        data["body"],
        threads.parse_kind(data["kind"]),
        data["spoiler"],
        data["tags"],
        data["spoiler_title"],
    )
    return one_thread_json(thread), 201


@bp.get("/threads/<id:thread_id>")
def thread(thread_id: int):
    return one_thread_json(threads.get_visible_thread(thread_id, api_user(), deleted_gone=True))


@bp.patch("/threads/<id:thread_id>")
@limits.edit_thread
def edit_thread(thread_id: int):
    user = require_api_user()
    thread = threads.get_visible_thread(thread_id, user, deleted_gone=True)
    data = read(
        title=Field(str, max_length=threads.MAX_TITLE),
        body=Field(str),
        spoiler_title=Field(str, max_length=threads.MAX_TITLE),
    )
    edited = threads.edit_thread(user, thread, data["title"], data["body"], data["spoiler_title"])
    return one_thread_json(edited)


@bp.delete("/threads/<id:thread_id>")
def delete_thread(thread_id: int):
    user = require_api_user()
    threads.delete_thread(user, threads.get_visible_thread(thread_id, user))
    return "", 204


@bp.get("/threads/<id:thread_id>/revisions")
def thread_revisions(thread_id: int):
    return revisions_json(threads.get_visible_thread(thread_id, api_user(), deleted_gone=True))


def revisions_json(item) -> dict:
    """`{revisions}`: a thread's or a reply's history, for whoever may read it; the
    Markdown of each is withheld as the item's own is (API.md's spoiler rule)."""
    viewer = api_user()
    thread = item if isinstance(item, Thread) else item.thread
    ok = can_read_thread_spoilers(viewer, thread, reveal_spoilers(), seen_ids())
    if isinstance(item, Post):
        ok = can_read_post_spoilers(viewer, item, ok)
    found = revisions.revisions(viewer, item)
    return {
        "revisions": [revision_json(r, withholding.revision_withheld(r, item, ok)) for r in found]
    }


@bp.get("/threads/<id:thread_id>/posts")
def thread_posts(thread_id: int):
    thread = threads.get_visible_thread(thread_id, api_user(), deleted_gone=True)
    page = replies.tree_page(
        thread,
        query("sort", "best"),
        root=_subtree_root(thread),
        cursor=query("cursor"),
        limit=query_limit(),
        keep_tombstones=True,  # as "[deleted]"/"[removed]" entries, as API.md says
    )
    nodes = replies.flatten_nodes(page.items)
    found = posts_json([node.post for node in nodes])
    posts = [
        {**post, "more_replies": node.hidden_children}
        for post, node in zip(found, nodes, strict=True)
    ]
    return {"posts": posts, "next_cursor": page.next_cursor}


def _subtree_root(thread):
    """`?parent_id=`: page the replies under that reply of this thread (where a reply's
    `more_replies` says the page stopped), not the top level."""
    return _parent(
        inputs.parse_id(query("parent_id"), "parent_id", "That reply"), api_user(), thread
    )


def posts_json(items: list) -> list[dict]:
    """Replies (of any threads) as the caller may see them: API.md's spoiler rule per thread."""
    viewer, seen, reveal = api_user(), seen_ids(), reveal_spoilers()
    mine = votes.my_votes(viewer, post_ids=[p.id for p in items])
    ok = {p.thread_id: can_read_thread_spoilers(viewer, p.thread, reveal, seen) for p in items}
    return [post_json(p, viewer, ok[p.thread_id], mine.post(p.id)) for p in items]


@bp.post("/threads/<id:thread_id>/posts")
@limits.reply
def reply(thread_id: int):
    user = require_api_user()
    thread = threads.get_visible_thread(thread_id, user)
    data = read(body=Field(str, True), parent_id=Field(int))
    parent = _parent(data["parent_id"], user, thread)
    return posts_json([replies.reply(user, thread, data["body"], parent)])[0], 201


def _parent(parent_id: int | None, user, thread):
    """The reply to answer: one this user may read, in this thread (else 404)."""
    if parent_id is None:
        return None
    try:
        parent = replies.get_visible_post(parent_id, user)
    except NotFound:
        parent = None
    if parent is None or parent.thread_id != thread.id:
        raise NotFound("No such reply in this thread.", {"parent_id": "No such reply here."})
    return parent


@bp.post("/threads/<id:thread_id>/vote")
@limits.vote
def vote_thread(thread_id: int):
    user = require_api_user()
    thread = threads.get_visible_thread(thread_id, user)
    value = read(value=Field(int, True))["value"]
    return vote_json(votes.cast_vote(user, thread, value))
