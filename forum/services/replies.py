"""Replies: write, edit, delete, and the reply tree of a thread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.extensions import db
from forum.models import Post, Thread, User, utcnow
from forum.services import markup, revisions, votes
from forum.services.errors import BadRequest, Invalid, NotFound
from forum.services.locking import lock_row
from forum.services.pagination import Page, decode_cursor, encode_cursor, keyset_page
from forum.services.permissions import (
    can_delete_post,
    can_edit_post,
    can_read_post,
    can_read_thread,
    can_reply,
    require,
)
from forum.services.threads import check_body

REPLY_SORTS = ("best", "new", "old")


def reply(user: User, thread: Thread, body: str, parent: Post | None = None) -> Post:
    """Add a reply to a thread, or under another reply, and count it. The thread's row
    is locked before the permission check, so no reply slips into a thread being locked."""
    require(can_reply(user, thread))
    body = check_body(body)
    if parent is not None and parent.thread_id != thread.id:
        raise Invalid("That reply belongs to another thread.", {"parent_id": "Not in this thread."})
    rendered = markup.render(body)  # before the lock: the row is held only briefly
    thread = lock_row(thread)
    require(can_reply(user, thread))  # again, under the lock
    now = utcnow()
    post = Post(
        thread=thread,
        author=user,
        parent_id=parent.id if parent else None,
        depth=parent.depth + 1 if parent else 0,
        created_at=now,
        body=body,
        body_html=rendered.html,
        body_text=rendered.text,
        body_safe_html=rendered.safe_html,
    )
    thread.reply_count = Thread.reply_count + 1  # computed in SQL: exact under concurrency
    thread.last_activity_at = now
    db.session.add(post)
    db.session.commit()
    return post


def edit_post(user: User, post: Post, body: str) -> Post:
    """Change a reply's text, keeping the earlier version as a Revision. The row is
    locked first, so the revision is the text as it is now: two edits at once keep both
    versions, and the later one wins."""
    body = check_body(body)
    rendered = markup.render(body)  # before the lock: the row is held only briefly
    post = lock_row(post)
    ensure_editable(user, post)
    if body == post.body:
        db.session.commit()  # let the row go
        return post
    revisions.keep_revision(post, editor=user)
    post.body, post.body_html, post.body_text = body, rendered.html, rendered.text
    post.body_safe_html = rendered.safe_html
    post.edited_at = utcnow()
    db.session.commit()
    return post


def ensure_editable(user: User | None, post: Post) -> None:
    """Raise Locked or Forbidden unless this user may edit this reply."""
    require(can_edit_post(user, post))


def delete_post(user: User, post: Post) -> None:
    """The author's soft delete: the reply stays in the tree as "[deleted]". Under the
    row lock, so a moderator removing it at the same moment moves karma once."""
    post = lock_row(post)
    require(can_delete_post(user, post))
    if post.is_live:
        votes.shift_karma(post, -1)
    post.deleted = True
    db.session.commit()


def get_post(post_id: int) -> Post:
    post = db.session.get(Post, post_id) if 0 < post_id < 2**31 else None
    if post is None:
        raise NotFound("No such reply.")
    return post


def get_visible_post(post_id: int, viewer: User | None) -> Post:
    """A reply whose thread this viewer may read (the reply itself may be a tombstone)."""
    post = get_post(post_id)
    if not can_read_thread(viewer, post.thread):
        raise NotFound("No such reply.")
    return post


def readable_body_html(viewer: User | None, post: Post) -> str | None:
    return post.body_html if can_read_post(viewer, post) else None


@dataclass
class Node:
    post: Post
    children: list[Node] = field(default_factory=list)
    hidden_children: int = 0  # replies beyond the depth limit, on a "continue" page


def thread_tree(
    thread: Thread,
    sort: str = "best",
    root: Post | None = None,
    max_depth: int = 6,
    keep_tombstones: bool = False,
) -> list[Node]:
    """The thread's replies as a tree (one query), siblings sorted at every level.
    With `root`, the subtree under that reply; `max_depth` levels are shown. A deleted or
    removed reply with nothing under it leaves no tombstone (unless `keep_tombstones`,
    for moderators, who can restore it)."""
    children = _children_by_parent(thread, sort)
    base = root.depth + 1 if root else 0

    def build(post: Post) -> Node | None:
        node = Node(post)
        kids = children.get(post.id, [])
        if post.depth - base + 1 >= max_depth:
            node.hidden_children = len(kids)
        else:
            node.children = [n for n in map(build, kids) if n is not None]
        if not (post.is_live or keep_tombstones or node.children or node.hidden_children):
            return None
        return node

    return [n for n in map(build, children.get(root.id if root else None, [])) if n is not None]


def post_ids(tree: list[Node]) -> list[int]:
    """Every reply shown in a tree, for the viewer's votes on them."""
    found: list[int] = []
    stack = list(tree)
    while stack:
        node = stack.pop()
        found.append(node.post.id)
        stack.extend(node.children)
    return found


def _children_by_parent(thread: Thread, sort: str) -> dict[int | None, list[Post]]:
    """Every reply of the thread (one query), grouped under its parent, siblings sorted."""
    if sort not in REPLY_SORTS:
        raise Invalid("Unknown sort.", {"sort": f"One of {', '.join(REPLY_SORTS)}."})
    posts = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id).options(joinedload(Post.author))
    ).all()
    children: dict[int | None, list[Post]] = {}
    for post in posts:
        children.setdefault(post.parent_id, []).append(post)
    for siblings in children.values():
        siblings.sort(key=_sort_key(sort))
    return children


def tree_page(
    thread: Thread, sort: str = "best", cursor: str | None = None, limit: int = 25
) -> Page[Post]:
    """One page of the whole reply tree flattened, parents before their children and
    siblings sorted; the cursor names the last reply of the previous page."""
    flat = _flatten(_children_by_parent(thread, sort))
    start = 0
    if cursor:
        values = decode_cursor(cursor, f"tree-{sort}")
        ids = [post.id for post in flat]
        if len(values) != 2 or values[0] != thread.id or values[1] not in ids:
            raise BadRequest("That page link is not valid.", {"cursor": "not a valid cursor"})
        start = ids.index(values[1]) + 1
    items = flat[start : start + limit]
    more = start + limit < len(flat)
    next_cursor = encode_cursor(f"tree-{sort}", [thread.id, items[-1].id]) if more else None
    return Page(items, next_cursor)


def _flatten(children: dict[int | None, list[Post]]) -> list[Post]:
    """Depth first, without recursion (a chain of replies can be very deep)."""
    flat: list[Post] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        post = stack.pop()
        flat.append(post)
        stack.extend(reversed(children.get(post.id, [])))
    return flat


def _sort_key(sort: str):
    if sort == "new":
        return lambda p: (-p.created_at.timestamp(), -p.id)
    if sort == "old":
        return lambda p: (p.created_at.timestamp(), p.id)
    return lambda p: (-p.best, -p.score, p.id)


def user_posts(user: User, cursor: str | None = None, limit: int = 25) -> Page[Post]:
    query = (
        select(Post)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Post.author_id == user.id, Post.removed.is_(False), Post.deleted.is_(False))
        .where(Thread.removed.is_(False), Thread.deleted.is_(False))
        .options(joinedload(Post.thread))
    )
    keys = [(Post.created_at, True), (Post.id, True)]
    return keyset_page(query, "user-posts", keys, cursor, limit)


def with_threads(
    post_ids: Iterable[int], thread_ids: Iterable[int] = (), *thread_options
) -> tuple[dict[int, Thread], dict[int, Post]]:
    """These replies and threads, each with its author, and the threads of the replies:
    two queries whatever their number. Answers (threads by id, replies by id)."""
    post_ids = set(post_ids)
    posts = {p.id: p for p in _load_by_id(Post, post_ids)} if post_ids else {}
    thread_ids = set(thread_ids) | {p.thread_id for p in posts.values()}
    found = _load_by_id(Thread, thread_ids, *thread_options) if thread_ids else []
    threads = {t.id: t for t in found}
    for post in posts.values():  # `post.thread` is loaded: no query per reply
        set_committed_value(post, "thread", threads[post.thread_id])
    return threads, posts


def _load_by_id(model: type[Thread] | type[Post], ids: set[int], *options) -> list:
    query = select(model).where(model.id.in_(ids)).options(joinedload(model.author), *options)
    return list(db.session.scalars(query))
