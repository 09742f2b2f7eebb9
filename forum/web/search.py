"""The search page: the same search as the API's, with filters and keyset pages."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from forum import limits
from forum.models import ThreadKind
from forum.services import films, search, threads
from forum.web.submit import attempt

bp = Blueprint("search", __name__)
SORT_NAMES = {"new": "Newest first", "relevance": "Best match first"}


@bp.get("/search")
@limits.search
def results():
    """`?q=&film=&kind=&sort=&cursor=`: no words, the empty form; bad words or filters, the form
    again with the reason (422; a forged cursor 400); an unknown film, 404."""
    args = {
        name: request.args.get(name, "").strip() or None
        for name in ("q", "film", "kind", "sort", "cursor")
    }
    choices = {"films": films.all_films(), "kinds": list(ThreadKind), "sorts": SORT_NAMES}
    if args["q"] is None:
        return render_template("search/results.html", args=args, page=None, **choices)
    film = films.get_film(args["film"]) if args["film"] else None

    def find():
        kind = threads.parse_kind(args["kind"]) if args["kind"] else None
        size = current_app.config["PAGE_SIZE"]
        return search.search(args["q"], film, kind, args["cursor"], size, args["sort"] or "new")

    page, err = attempt(find)
    if err is not None:
        return render_template(
            "search/results.html", args=args, page=None, error=err, **choices
        ), err.status
    return render_template(
        "search/results.html",
        args=args,
        page=page,
        marks=search.word_pattern(page.words),
        **choices,
    )
