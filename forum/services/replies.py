"""Replies: write, edit, delete, and the reply tree of a thread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, literal, or_, select, true, union_all
from sqlalchemy.orm import aliased, joinedload, with_expression
from sqlalchemy.orm.attributes import set_committed_value

from forum.extensions import db
from forum.models import Post, Thread, User, utcnow
from forum.services import following, notifications, revisions, scenes, votes
from forum.services.errors import Invalid, NotFound
from forum.services.locking import lock_row
from forum.services.pagination import Page, after_cursor, encode_cursor, keyset_page
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
    rendered = notifications.render(body, scenes=scenes.links_for(thread.film))  # before the lock
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
    db.session.flush()
    scenes.record(thread, post, rendered)
    notifications.on_reply(post, rendered.mentions)
    following.follow_by_default(user, thread)
    db.session.commit()
    return post


def edit_post(user: User, post: Post, body: str) -> Post:
    """Change a reply's text, keeping the earlier version as a Revision. The row is
    locked first, so the revision is the text as it is now: two edits at once keep both
    versions, and the later one wins."""
    body = check_body(body)
    links = scenes.links_for(post.thread.film)
    rendered = notifications.render(body, scenes=links)  # before the lock: held only briefly
    post = lock_row(post)
    ensure_editable(user, post)
    if body == post.body:
        db.session.commit()  # let the row go
        return post
    revisions.keep_revision(post, editor=user)
    before = notifications.linked_users(post.body_html)
    notifications.on_mentions_edited(post, before, rendered.mentions)
    post.body, post.body_html, post.body_text = body, rendered.html, rendered.text
    post.body_safe_html = rendered.safe_html
    scenes.record(post.thread, post, rendered)
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


def get_visible_post(post_id: int, viewer: User | None, deleted_gone: bool = False) -> Post:
    """A reply whose thread this viewer may read (the reply itself may be a tombstone).
    With `deleted_gone` (the JSON API's reads and edits), a reply its author deleted, or
    one in a thread its author deleted, is NotFound for everyone."""
    post = get_post(post_id)
    if not can_read_thread(viewer, post.thread, deleted_gone) or (deleted_gone and post.deleted):
        raise NotFound("No such reply.")
    return post


def readable_body_html(viewer: User | None, post: Post) -> str | None:
    return post.body_html if can_read_post(viewer, post) else None


TREE_BREADTH = (3, 2)  # replies shown under each reply, per level below the top one


@dataclass
class Node:
    post: Post
    children: list[Node] = field(default_factory=list)
    hidden_children: int = 0  # replies under it that this page doesn't show: its own page does


def tree_page(
    thread: Thread,
    sort: str = "best",
    root: Post | None = None,
    cursor: str | None = None,
    limit: int = 10,
    keep_tombstones: bool = False,
    breadth: tuple[int, ...] = TREE_BREADTH,
) -> Page[Node]:
    """One page of the reply tree: `limit` top-level replies (or, with `root`, replies
    directly under it) after `cursor` in the sort, each with a bounded part of its subtree
    — the first `breadth[0]` replies under it, the first `breadth[1]` under each of those…
    — and, on every node, how many replies under it are not shown (its own page, the one
    under `root`, shows them). One query per level, each bounded by the page, never by the
    thread. A deleted or removed reply with nothing under it leaves no tombstone (unless
    `keep_tombstones`, for moderators, who can restore it)."""
    if sort not in REPLY_SORTS:
        raise Invalid("Unknown sort.", {"sort": f"One of {', '.join(REPLY_SORTS)}."})
    keys = _keys(sort)
    order = [col.desc() if desc else col.asc() for col, desc in keys]
    under = Post.parent_id == root.id if root else Post.parent_id.is_(None)
    query = select(Post).where(Post.thread_id == thread.id, under, _shown(Post, keep_tombstones))
    kind = f"tree-{sort}-{thread.id}-{root.id if root else 0}"
    query = after_cursor(query, kind, keys, cursor)
    query = _counted(query.order_by(*order).limit(limit + 1), keep_tombstones)
    posts = list(db.session.scalars(query))
    next_cursor = None
    if len(posts) > limit:
        posts = posts[:limit]
        next_cursor = encode_cursor(kind, [getattr(posts[-1], col.key) for col, _ in keys])
    nodes = [Node(p) for p in posts]
    if nodes and breadth:
        by_id = {node.post.id: node for node in nodes}
        for post in _descendants(thread, list(by_id), order, breadth, keep_tombstones):
            by_id[post.id] = Node(post)
            by_id[post.parent_id].children.append(by_id[post.id])
    for node in _walk(nodes):
        node.hidden_children = max((node.post.child_count or 0) - len(node.children), 0)
    return Page(nodes if keep_tombstones else _pruned(nodes), next_cursor)


def _pruned(nodes: list[Node]) -> list[Node]:
    """Without the tombstones that have nothing live under them on this page or beyond."""
    kept = []
    for node in nodes:
        node.children = _pruned(node.children)
        if node.post.is_live or node.children or node.hidden_children:
            kept.append(node)
    return kept


def _descendants(
    thread: Thread, top_ids: list[int], order: list, breadth: tuple[int, ...], keep: bool
) -> list[Post]:
    """The first `breadth[0]` replies under each of `top_ids` in the sort, the first
    `breadth[1]` under each of those, and so on: one query, parents before children and
    siblings in order. Each level reads only the replies under the level above it."""
    chosen = []
    parents = None
    for level, width in enumerate(breadth, start=1):
        under = Post.parent_id.in_(top_ids if parents is None else select(parents.c.id))
        ranked = (
            select(
                Post.id.label("id"),
                func.row_number().over(partition_by=Post.parent_id, order_by=order).label("rank"),
            )
            .where(Post.thread_id == thread.id, under, _shown(Post, keep))
            .cte(f"ranked_{level}")
        )
        parents = select(ranked.c.id).where(ranked.c.rank <= width).cte(f"level_{level}")
        chosen.append(
            select(ranked.c.id, literal(level).label("level"), ranked.c.rank).where(
                ranked.c.rank <= width
            )
        )
    picked = union_all(*chosen).subquery("picked")
    query = (
        select(Post).join(picked, picked.c.id == Post.id).order_by(picked.c.level, picked.c.rank)
    )
    return list(db.session.scalars(_counted(query, keep)))


_CHILD = aliased(Post, name="child")  # made once: building aliases costs more than the SQL
_COUNTED = aliased(Post, name="counted")


def _shown(post, keep_tombstones: bool):
    """A reply appears in the tree when it is live, or has replies under it (a tombstone)."""
    if keep_tombstones:
        return true()
    child = _CHILD
    live = and_(post.removed.is_(False), post.deleted.is_(False))
    return or_(live, exists().where(child.parent_id == post.id))


def _counted(query, keep_tombstones: bool):
    """`query` loading each reply with its author and `child_count`."""
    child = _COUNTED
    count = (
        select(func.count())
        .select_from(child)
        .where(child.parent_id == Post.id, _shown(child, keep_tombstones))
        .correlate(Post)
        .scalar_subquery()
    )
    return query.options(
        joinedload(Post.author), with_expression(Post.child_count, count)
    ).execution_options(populate_existing=True)  # the count, even for a reply loaded before


def _keys(sort: str):
    if sort == "new":
        return [(Post.created_at, True), (Post.id, True)]
    if sort == "old":
        return [(Post.created_at, False), (Post.id, False)]
    return [(Post.best, True), (Post.score, True), (Post.id, False)]


def thread_tree(
    thread: Thread, sort: str = "best", root: Post | None = None, keep_tombstones: bool = False
) -> list[Node]:
    """The first page of the reply tree (or of the replies under `root`)."""
    return tree_page(thread, sort, root, keep_tombstones=keep_tombstones).items


def _walk(tree: list[Node]):
    stack = list(tree)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def post_ids(tree: list[Node]) -> list[int]:
    """Every reply shown in a tree, for the viewer's votes on them."""
    return [node.post.id for node in _walk(tree)]


def flatten(tree: list[Node]) -> list[Post]:
    """The replies of a page, parents before their children, siblings in order."""
    return [node.post for node in flatten_nodes(tree)]


def flatten_nodes(tree: list[Node]) -> list[Node]:
    """The nodes of a page in `flatten`'s order (each says how many replies it hides)."""
    flat: list[Node] = []
    stack = list(reversed(tree))
    while stack:
        node = stack.pop()
        flat.append(node)
        stack.extend(reversed(node.children))
    return flat


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
