"""A thread page, its reply tree, replying, editing and deleting."""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required

from forum import limits
from forum.errors import wants_json
from forum.extensions import csrf
from forum.models import Post, Thread
from forum.services import (
    films,
    following,
    notifications,
    replies,
    scenes,
    threads,
    votes,
    withholding,
)
from forum.services.errors import Invalid, NotFound
from forum.services.permissions import can_read_thread_spoilers, is_moderator
from forum.web import load_marks, reveal_spoilers, seen_ids, viewer
from forum.web.forms import EditPostForm, EditThreadForm, EmptyForm, ReplyForm, VoteForm
from forum.web.helpers import post_url, safe_next
from forum.web.submit import attempt, form_page, keeps_form, page_status, submit

bp = Blueprint("threads", __name__)
PENDING_VOTE = "pending_vote"  # a signed-out fan's vote, cast once they log in


@bp.get("/threads/<int:thread_id>")
def show(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer(), page=True)
    return _thread_page(thread)


def _spoilers_ok(thread) -> bool:
    """Whether this viewer may read this thread's spoilers (API.md's rule)."""
    return can_read_thread_spoilers(viewer(), thread, reveal_spoilers(), seen_ids())


@bp.get("/threads/<int:thread_id>/replies/<int:post_id>")
def continue_thread(thread_id: int, post_id: int):
    """The subtree under one reply: where "continue this thread" leads."""
    thread = threads.get_visible_thread(thread_id, viewer(), page=True)
    root = replies.get_visible_post(post_id, viewer())
    if root.thread_id != thread.id:
        return redirect(url_for(".continue_thread", thread_id=root.thread_id, post_id=root.id))
    return _thread_page(thread, root=root)


def _thread_page(
    thread: Thread,
    root: Post | None = None,
    form: ReplyForm | None = None,
    reply_to: tuple[int, ReplyForm] | None = None,
    status: int = 200,
    preview_html: str | None = None,
):
    """The thread (or the subtree under `root`) with its reply forms: `form` is the
    top-level one, `reply_to` the (reply id, form) of a nested one shown again."""
    sort = request.args.get("sort", "best")
    marks = load_marks()  # seen films and mutes: they came with the user
    spoilers_ok = _spoilers_ok(thread)
    withheld = withholding.thread_withheld(thread, spoilers_ok)  # then no reply is sent
    page = None
    if not withheld:
        page = replies.tree_page(
            thread,
            sort,
            root=root,
            cursor=request.args.get("cursor"),
            limit=current_app.config["REPLIES_PER_PAGE"],
            keep_tombstones=is_moderator(viewer()),
        )
    tree = page.items if page else []
    shown = replies.post_ids(tree)  # the viewer's votes on the shown replies only
    if reply_to and root is None and reply_to[0] not in shown:  # its form on its own page
        return _thread_page(thread, replies.get_post(reply_to[0]), form, reply_to, status)
    mine = votes.my_votes(viewer(), [thread.id], [root.id, *shown] if root else shown)
    return render_template(
        "threads/show.html",
        thread=thread,
        tree=tree,
        next_cursor=page.next_cursor if page else None,
        paged=bool(request.args.get("cursor")),
        sort=sort,
        root=root,
        form=form or ReplyForm(),
        reply_to=reply_to or (None, None),
        action_form=EmptyForm(),
        sorts=replies.REPLY_SORTS,
        my_votes=mine,
        has_spoilers=_has_spoilers(thread, tree),
        show_spoilers=request.args.get("spoilers") == "show",
        spoilers_ok=spoilers_ok,
        withheld=withheld,
        moments=scenes.thread_scenes(thread, spoilers_ok)
        if thread.cited_moments and not withheld
        else [],
        history=thread.status_changes if thread.is_theory else [],
        status_films=_status_films(thread),
        feed_url=url_for("feeds.thread", thread_id=thread.id),
        feed_title="New replies (Atom)",
        following=_follows(thread),
        muted_users=marks.mutes.users,
        preview_html=preview_html,
    ), status


def _status_films(thread: Thread) -> list:
    """For a moderator's theory status form: the films that may have settled it."""
    if not (thread.is_theory and is_moderator(viewer())):
        return []
    return films.story_films(thread.film)


def _follows(thread: Thread) -> bool:
    """Whether the viewer follows the thread: loaded with it (threads.get_visible_thread)."""
    if thread.viewer_follows is not None:
        return bool(thread.viewer_follows)
    return following.is_following_thread(viewer(), thread)


def _has_spoilers(thread: Thread, tree: list) -> bool:
    """Any spoiler on the page: then, without JavaScript, a link shows them all."""
    stack, htmls = list(tree), [thread.body_html]
    while stack:
        node = stack.pop()
        htmls.append(node.post.body_html)
        stack.extend(node.children)
    return any('class="spoiler"' in html for html in htmls)


@bp.post("/threads/<int:thread_id>/replies")
@limits.reply
@login_required
@keeps_form
def reply(thread_id: int):
    """A reply to the thread itself (replies to a reply post to that reply's own URL)."""
    thread = threads.get_visible_thread(thread_id, viewer())
    form = ReplyForm()
    done = submit(form, lambda: _posted(replies.reply(viewer(), thread, form.body.data)))
    return done or _thread_page(thread, form=form, status=page_status(form))


@bp.post("/posts/<int:post_id>/replies")
@limits.reply
@login_required
@keeps_form
def reply_to_post(post_id: int):
    """A reply under another reply: a failure shows this reply's form again, in place."""
    parent = replies.get_visible_post(post_id, viewer())
    thread = threads.get_visible_thread(parent.thread_id, viewer())
    form = ReplyForm()
    done = submit(form, lambda: _posted(replies.reply(viewer(), thread, form.body.data, parent)))
    if done is not None:
        return done  # the reply's own page: the form is shown again under the reply it answers
    return _thread_page(thread, reply_to=(parent.id, form), status=page_status(form))


@bp.post("/threads/<int:thread_id>/replies/preview")
@limits.preview
@login_required
@keeps_form
def preview_reply(thread_id: int):
    """The reply form again with the text as it will look (the no-JavaScript Preview)."""
    thread = threads.get_visible_thread(thread_id, viewer())
    form = ReplyForm()
    html = _preview(form)
    return _thread_page(thread, form=form, status=page_status(form), preview_html=html)


@bp.post("/posts/<int:post_id>/replies/preview")
@limits.preview
@login_required
@keeps_form
def preview_reply_to_post(post_id: int):
    parent = replies.get_visible_post(post_id, viewer())
    thread = threads.get_visible_thread(parent.thread_id, viewer())
    form = ReplyForm()
    html = _preview(form)
    return _thread_page(
        thread, reply_to=(parent.id, form), status=page_status(form), preview_html=html
    )


def _preview(form) -> str | None:
    """The form's body rendered as posting would store it, or None with the form's errors
    (its shape, or a bound of the renderer) set for the page."""
    done = submit(form, lambda: notifications.render(threads.check_body(form.body.data)).html)
    return done


def _posted(post: Post):
    """Back to the thread at the new reply, with the confirmation beside it."""
    flash("Your reply is posted.", f"at-post-{post.id}")
    anchor = f"post-{post.id}"  # newest first, so the new reply is on the first page
    if post.parent_id is None:
        return redirect(url_for(".show", thread_id=post.thread_id, sort="new", _anchor=anchor))
    return redirect(
        url_for(
            ".continue_thread",
            thread_id=post.thread_id,
            post_id=post.parent_id,
            sort="new",
            _anchor=anchor,
        )
    )


@bp.route("/threads/<int:thread_id>/edit", methods=["GET", "POST"])
@limits.edit_thread
@login_required
def edit(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    threads.ensure_editable(viewer(), thread)
    form = EditThreadForm(obj=thread)

    def save():
        threads.edit_thread(
            viewer(), thread, form.title.data, form.body.data, form.spoiler_title.data or ""
        )
        flash("Your changes are saved.", "success")
        return redirect(url_for(".show", thread_id=thread.id))

    return form_page(
        form, save, lambda: render_template("threads/edit.html", thread=thread, form=form)
    )


@bp.post("/threads/<int:thread_id>/delete")
@login_required
def delete(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    if EmptyForm().validate_on_submit():
        threads.delete_thread(viewer(), thread)
        flash("Your thread is deleted.", "info")
    return redirect(url_for("films.board", slug=thread.film.slug))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@limits.edit_reply
@login_required
def edit_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    replies.ensure_editable(viewer(), post)
    form = EditPostForm(obj=post)

    def save():
        replies.edit_post(viewer(), post, form.body.data)
        flash("Your reply is updated.", f"at-post-{post.id}")
        return redirect(post_url(post))

    return form_page(
        form, save, lambda: render_template("threads/edit_post.html", post=post, form=form)
    )


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    if EmptyForm().validate_on_submit():
        replies.delete_post(viewer(), post)
        flash("Your reply is deleted.", "info")
    return redirect(post_url(post))


@bp.post("/threads/<int:thread_id>/vote")
@csrf.exempt  # a signed-out reader's arrow has no token (shared page); _vote checks voters'
@limits.vote
def vote_thread(thread_id: int):
    thread = threads.get_visible_thread(thread_id, viewer())
    return _vote(thread, url_for(".show", thread_id=thread.id, _anchor="thread"))


@bp.post("/posts/<int:post_id>/vote")
@csrf.exempt  # as above
@limits.vote
def vote_post(post_id: int):
    post = replies.get_visible_post(post_id, viewer())
    return _vote(post, post_url(post))


def _vote(item, fallback: str):
    """Every arrow's form lands here: JSON for the page's script (`Accept:
    application/json`), otherwise a redirect back to where the voter was."""
    form = VoteForm(meta={"csrf": False})  # the token, when there is one, is checked here:
    back = _to_the_item(item, safe_next(form.next.data)) or fallback
    if viewer() is not None and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # a signed-in voter's arrow carries the page's token
    if not form.validate_on_submit():
        if viewer() is None:
            return _log_in_to_vote(back)
        raise Invalid("A vote is 1 (up), -1 (down) or 0 (take it back).", {"value": "-1, 0 or 1"})
    if viewer() is None:
        if _from_this_site():  # the arrow carries no token (shared page): kept only if ours
            kind = "thread" if isinstance(item, Thread) else "post"
            session[PENDING_VOTE] = {"kind": kind, "id": item.id, "value": form.value.data}
        return _log_in_to_vote(back)
    result = votes.cast_vote(viewer(), item, form.value.data)
    return asdict(result) if wants_json() else redirect(back)


def _to_the_item(item, back: str | None) -> str | None:
    """The page the arrow was on (its vote form's `next`), at the voted thread or reply:
    `#thread` on the thread's own page, `#thread-<id>` in a list, `#post-<id>`."""
    if back is None or "#" in back:
        return back
    if isinstance(item, Post):
        return f"{back}#post-{item.id}"
    own_page = urlsplit(back).path == url_for(".show", thread_id=item.id)
    return f"{back}#thread" if own_page else f"{back}#thread-{item.id}"


def _from_this_site() -> bool:
    """The browser says this POST came from one of our pages (Origin, else Referer): a
    signed-out vote has no CSRF token, so another site must not queue one for a fan."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return urlsplit(source).netloc == request.host


def _log_in_to_vote(back: str):
    login_url = url_for("auth.login", next=back)
    if wants_json():
        error = {"code": "unauthorized", "message": "Please log in to vote."}
        return {"error": error, "login_url": login_url}, 401
    return redirect(login_url)


def pending_vote() -> dict | None:
    """The vote a signed-out fan tried to cast (read before the log-in clears the session)."""
    pending = session.get(PENDING_VOTE)
    return pending if isinstance(pending, dict) else None


def cast_pending_vote(pending: dict | None) -> None:
    """After log-in or sign-up: cast the vote that sent the fan there, and say so."""
    if not pending or pending.get("value") not in (-1, 0, 1):
        return
    find = replies.get_visible_post
    if pending.get("kind") == "thread":
        find = threads.get_visible_thread
    try:
        item = find(int(pending.get("id", 0)), viewer())
    except (NotFound, ValueError):
        return
    _, refused = attempt(lambda: votes.cast_vote(viewer(), item, pending["value"]))
    if refused is not None:
        flash(f"Your vote did not count: {refused.message}", "error")
    else:
        flash("You are logged in, and your vote is counted.", "success")
