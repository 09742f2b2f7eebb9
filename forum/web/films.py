"""The home page, film boards, and starting a thread."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import login_required

from forum import limits
from forum.models import Film, TheoryStatus, ThreadKind
from forum.services import films, threads, votes
from forum.web import viewer
from forum.web.forms import ThreadForm
from forum.web.submit import form_page, keeps_form

bp = Blueprint("films", __name__)


@bp.get("/")
def home():
    """The universes and their films, then what is hot on every board right now."""
    universes, loose_films = films.home_listing()
    _, hot = threads.board_page(None, limit=current_app.config["PAGE_SIZE"])
    return render_template(
        "films/home.html",
        universes=universes,
        loose_films=loose_films,
        hot=hot,
        my_votes=votes.my_votes(viewer(), [t.id for t in hot.items]),
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
    pinned, page = threads.board_page(film, limit=current_app.config["PAGE_SIZE"], **args)
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
    )


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
    form = ThreadForm()

    def start():
        thread = threads.start_thread(
            viewer(),
            film,
            form.title.data,
            form.body.data,
            threads.parse_kind(form.kind.data),
            form.spoiler.data,
            form.tags.data,
        )
        return redirect(url_for("threads.show", thread_id=thread.id))

    return form_page(form, start, lambda: render_template("threads/new.html", film=film, form=form))
