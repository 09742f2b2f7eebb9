"""Searching the forum: the same service as GET /api/v1/search."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from forum.models import ThreadKind
from forum.services import films, search, threads

bp = Blueprint("search", __name__)


@bp.get("/search")
def results():
    words = (request.args.get("q") or "").strip()
    film_slug, kind = request.args.get("film") or "", request.args.get("kind") or ""
    context = {"words": words, "film_slug": film_slug, "kind": kind,
               "films": films.all_films(), "kinds": list(ThreadKind), "page": None}  # fmt: skip
    if words:
        page = search.search(
            words,
            films.get_film(film_slug) if film_slug else None,
            threads.parse_kind(kind) if kind else None,
            request.args.get("cursor") or None,
            current_app.config["PAGE_SIZE"],
        )
        context["page"] = page
    return render_template("search/results.html", **context)
