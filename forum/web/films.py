"""The home page, film boards, and starting a thread."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import login_required

from forum import limits
from forum.models import TheoryStatus, ThreadKind
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
        "films/home.html", universes=universes, loose_films=loose_films, hot=hot,
        my_votes=votes.my_votes(viewer(), [t.id for t in hot.items]),
    )  # fmt: skip


@bp.get("/all")
def everywhere():
    """Every board at once, with the boards' sorts, windows and filters."""
    args = _listing_args()
    _, page = threads.board_page(None, limit=current_app.config["PAGE_SIZE"], **args)
    return render_template(
        "films/all.html", page=page, args=args, **_listing_choices(),
        my_votes=votes.my_votes(viewer(), [t.id for t in page.items]),
    )  # fmt: skip


@bp.get("/films/<slug>")
def board(slug: str):
    film = films.get_film(slug)
    args = _listing_args()
    pinned, page = threads.board_page(film, limit=current_app.config["PAGE_SIZE"], **args)
    earlier, later = films.story_neighbours(film)
    return render_template(
        "films/board.html", film=film, pinned=pinned, page=page, args=args,
        earlier=earlier, later=later, **_listing_choices(),
        my_votes=votes.my_votes(viewer(), [t.id for t in [*pinned, *page.items]]),
    )  # fmt: skip


def _listing_choices() -> dict:
    return {"kinds": list(ThreadKind), "statuses": list(TheoryStatus),
            "sorts": list(threads.SORTS), "windows": list(threads.WINDOWS)}  # fmt: skip


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
            viewer(), film, form.title.data, form.body.data,
            threads.parse_kind(form.kind.data), form.spoiler.data, form.tags.data,
        )  # fmt: skip
        return redirect(url_for("threads.show", thread_id=thread.id))

    return form_page(form, start, lambda: render_template("threads/new.html", film=film,
                                                          form=form))  # fmt: skip
