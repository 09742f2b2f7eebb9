"""The home page, film boards, and starting a thread."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from forum import limits
from forum.errors import wants_json
from forum.models import Film, TheoryStatus, ThreadKind
from forum.services import films, notifications, seen, threads, votes
from forum.services.errors import Invalid
from forum.services.tagnames import normalize_tag
from forum.web import mutes, seen_ids, viewer
from forum.web.forms import SeenForm, ThreadForm
from forum.web.helpers import safe_next
from forum.web.submit import form_page, keeps_form, page_status, submit

bp = Blueprint("films", __name__)


@bp.get("/")
def home():
    """The universes and their films, then what is hot on every board right now."""
    universes, loose_films = films.home_listing()
    _, hot = threads.board_page(None, limit=current_app.config["PAGE_SIZE"], hide=mutes())
    return render_template(
        "films/home.html",
        universes=universes,
        loose_films=loose_films,
        hot=hot,
        my_votes=votes.my_votes(viewer(), [t.id for t in hot.items]),
        seen_ids=seen_ids(),
        feed_url=url_for("feeds.front"),
        feed_title="New threads on every board (Atom)",
    )


@bp.get("/all")
def everywhere():
    """Every board at once, with the boards' sorts, windows and filters."""
    return _listing("films/all.html", None)


@bp.get("/films/<slug>")
def board(slug: str):
    return _listing("films/board.html", films.get_film(slug))


def _listing(template: str, film: Film | None):
    """A board (or every board: `film` None): its pinned threads, one page of the
    listing the query string asks for, and the viewer's votes on them."""
    args = _listing_args()
    hide = mutes() if film is None else None  # mutes clear the front page, not a board
    pinned, page = threads.board_page(
        film, limit=current_app.config["PAGE_SIZE"], hide=hide, **args
    )
    shown = [t.id for t in [*pinned, *page.items]]
    earlier, later = films.story_neighbours(film) if film is not None else (None, None)
    return render_template(
        template,
        film=film,
        pinned=pinned,
        page=page,
        args=args,
        earlier=earlier,
        later=later,
        **_listing_choices(),
        my_votes=votes.my_votes(viewer(), shown),
        seen_ids=seen_ids(),
        **_feed_link(film, args["tag"]),
    )


def _feed_link(film: Film | None, tag: str | None) -> dict:
    """The listing's Atom feed: the tag's when it is filtered by one, else the board's."""
    if tag:
        try:
            name = normalize_tag(tag)
        except Invalid:
            name = None
        if name:
            return {"feed_url": url_for("feeds.tag", name=name), "feed_title": f"#{name} (Atom)"}
    if film is None:
        return {"feed_url": url_for("feeds.front"), "feed_title": "Every board (Atom)"}
    return {
        "feed_url": url_for("feeds.board", slug=film.slug),
        "feed_title": f"{film.title} (Atom)",
    }


def _listing_choices() -> dict:
    return {
        "kinds": list(ThreadKind),
        "statuses": list(TheoryStatus),
        "sorts": list(threads.SORTS),
        "windows": list(threads.WINDOWS),
    }


def _listing_args() -> dict:
    """The listing's query string: sort, time window, filters, cursor (bad values → 422)."""
    get = request.args.get
    return {
        "sort": get("sort", "hot"),
        "window": get("t", "all"),
        "kind": get("kind") or None,
        "status": get("status") or None,
        "tag": get("tag") or None,
        "cursor": get("cursor") or None,
    }


@bp.route("/films/<slug>/threads/new", methods=["GET", "POST"])
@limits.start_thread
@login_required
@keeps_form
def new_thread(slug: str):
    film = films.get_film(slug)
    # Inside the film's spoiler window the box starts ticked; the author may untick it.
    in_window = threads.spoiler_by_default(film)
    form = ThreadForm(spoiler=in_window)

    def start():
        thread = threads.start_thread(
            viewer(),
            film,
            form.title.data,
            form.body.data,
            threads.parse_kind(form.kind.data),
            form.spoiler.data,
            form.tags.data,
            form.spoiler_title.data,
        )
        return redirect(url_for("threads.show", thread_id=thread.id))

    return form_page(form, start, lambda: _new_thread_page(film, form, in_window))


def _new_thread_page(film: Film, form: ThreadForm, in_window: bool, preview: str | None = None):
    return render_template(
        "threads/new.html",
        film=film,
        form=form,
        in_spoiler_window=in_window,
        preview_html=preview,
    )


@bp.post("/films/<slug>/threads/preview")
@limits.preview
@login_required
@keeps_form
def preview_thread(slug: str):
    """The new-thread form again with the text as it will look (no JavaScript needed)."""
    film = films.get_film(slug)
    form = ThreadForm()
    html = submit(form, lambda: notifications.render(threads.check_body(form.body.data)).html)
    page = _new_thread_page(film, form, threads.spoiler_by_default(film), html)
    return page, page_status(form)


@bp.post("/films/<slug>/seen")
@login_required
def mark_seen(slug: str):
    """The "Seen it" toggle: `seen=yes` marks the film seen, `seen=no` takes it back."""
    film = films.get_film(slug)
    form = SeenForm()
    if not form.validate_on_submit():
        raise Invalid("Say whether you have seen it.", {"seen": "yes or no"})
    if form.seen.data == "yes":
        seen.mark_seen(viewer(), film)
        message = f"{film.title} is marked seen: its spoilers are open to you."
    else:
        seen.unmark_seen(viewer(), film)
        message = f"{film.title} is no longer marked seen: its spoilers are withheld."
    if wants_json():
        return {"seen": form.seen.data == "yes"}
    flash(message, "success")
    return redirect(safe_next(form.next.data) or url_for(".board", slug=film.slug))


@bp.post("/films/<slug>/seen-up-to")
@login_required
def mark_seen_up_to(slug: str):
    """ "I've seen up to this one": this film and every one before it in story order."""
    film = films.get_film(slug)
    form = SeenForm()
    if not form.validate_on_submit():
        raise Invalid("Your form expired. Please try again.")
    marked = seen.mark_seen_up_to(viewer(), film)
    flash(f"Marked seen: {', '.join(f.title for f in marked)}.", "success")
    return redirect(safe_next(form.next.data) or url_for(".board", slug=film.slug))
