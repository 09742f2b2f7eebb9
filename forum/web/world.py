"""The film world: a universe's page (story and release order, admins order the films),
tag pages across every film (moderators rename and merge tags), and a film's scene index."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from forum.models import Tag, TheoryStatus, ThreadKind
from forum.services import films, scenes, tags, threads, universes, votes
from forum.services.markup import format_moment
from forum.services.permissions import can_manage_films, can_read_spoilers, require
from forum.web import reveal_spoilers, seen_ids, viewer
from forum.web.forms import EmptyForm, TagMergeForm, TagRenameForm
from forum.web.submit import attempt, page_status, require_valid, submit

bp = Blueprint("world", __name__)


# --- a universe ---------------------------------------------------------------------------


@bp.get("/universes/<slug>")
def universe(slug: str):
    return _universe_page(films.get_universe(slug))


def _universe_page(universe, order_error: str | None = None, places: dict | None = None):
    page = universes.universe_page(universe)
    return render_template(
        "universes/show.html",
        page=page,
        universe=universe,
        order_form=EmptyForm(),
        order_error=order_error,
        places=places or {},
        seen_ids=seen_ids(),
    ), (422 if order_error else 200)


@bp.post("/universes/<slug>/order")
@login_required
def order(slug: str):
    """Admins put the films in story order: by the numbers typed in each film's box (the
    page's script fills them in as films are dragged), first to last."""
    universe = films.get_universe(slug)
    require(can_manage_films(viewer()))
    require_valid(EmptyForm())
    story = universes.universe_page(universe).story
    places, wrong = {}, None
    for line in story:
        raw = (request.form.get(f"place-{line.film.id}") or "").strip()
        if raw.lstrip("-").isdigit() and len(raw) <= 5:
            places[line.film.id] = int(raw)
        else:
            wrong = f"Give {line.film.title} a place: a whole number."
    if wrong is None:
        _, refused = attempt(
            lambda: universes.order_films(
                viewer(), universe, universes.order_from_places([x.film for x in story], places)
            )
        )
        if refused is None:
            flash(f"The story order of {universe.name} is saved.", "success")
            return redirect(url_for(".universe", slug=universe.slug, _anchor="order"))
        wrong = refused.message
    typed = {f"place-{line.film.id}": request.form.get(f"place-{line.film.id}") for line in story}
    return _universe_page(universe, wrong, typed)


# --- a tag --------------------------------------------------------------------------------


def _tag_or_redirect(name: str) -> Tag | str:
    """The live tag `name` means, or the URL of its own page when `name` is another
    spelling, or an old name, of it."""
    tag = tags.live_tag(tags.get_tag(name))
    if tag.name != name:
        args = request.args.to_dict()
        return url_for(request.endpoint or ".tag", name=tag.name, **args)
    return tag


@bp.get("/tags/<name>")
def tag(name: str):
    found = _tag_or_redirect(name)
    if isinstance(found, str):
        return redirect(found, 301)
    return _tag_page(found)


def _tag_page(tag: Tag, rename_form=None, merge_form=None, status: int = 200):
    get = request.args.get
    args = {
        "sort": get("sort", "hot"),
        "window": get("t", "all"),
        "kind": get("kind") or None,
        "status": get("status") or None,
        "film": get("film") or None,
        "cursor": get("cursor") or None,
    }
    film = films.get_film(args["film"]) if args["film"] else None
    _, page = threads.board_page(
        film,
        sort=args["sort"],
        window=args["window"],
        kind=args["kind"],
        status=args["status"],
        tag=tag,
        cursor=args["cursor"],
        limit=current_app.config["PAGE_SIZE"],
        pin=False,
    )
    return render_template(
        "tags/show.html",
        tag=tag,
        film=film,
        page=page,
        args=args,
        film_counts=tags.film_counts(tag),
        kinds=list(ThreadKind),
        statuses=list(TheoryStatus),
        sorts=list(threads.SORTS),
        windows=list(threads.WINDOWS),
        my_votes=votes.my_votes(viewer(), [t.id for t in page.items]),
        rename_form=rename_form or TagRenameForm(formdata=None),
        merge_form=merge_form or TagMergeForm(formdata=None),
    ), status


@bp.post("/tags/<name>/rename")
@login_required
def rename(name: str):
    tag = tags.get_tag(name)
    form = TagRenameForm()
    done = submit(
        form, lambda: _renamed(tags.rename_tag(viewer(), tag, form.name.data, form.reason.data))
    )
    return done or _tag_page(tags.live_tag(tag), rename_form=form, status=page_status(form))


def _renamed(tag: Tag):
    flash(f"The tag is now #{tag.name}; its old name leads here.", "success")
    return redirect(url_for(".tag", name=tag.name))


@bp.post("/tags/<name>/merge")
@login_required
def merge(name: str):
    tag = tags.get_tag(name)
    form = TagMergeForm()
    done = submit(
        form,
        lambda: _merged(tag.name, tags.merge_tag(viewer(), tag, form.into.data, form.reason.data)),
    )
    return done or _tag_page(tags.live_tag(tag), merge_form=form, status=page_status(form))


def _merged(old: str, into: Tag):
    flash(f"#{old} is merged into #{into.name}; its old name leads here.", "success")
    return redirect(url_for(".tag", name=into.name))


# --- a film's scene index -----------------------------------------------------------------


@bp.get("/films/<slug>/scenes")
def scene_index(slug: str):
    film = films.get_film(slug)
    reveal = reveal_spoilers()
    spoilers_ok = can_read_spoilers(viewer(), film, reveal, seen_ids())
    page = scenes.scene_index(film, spoilers_ok, request.args.get("cursor") or None, limit=50)
    moments = [
        (seconds, format_moment(seconds), list(cited))
        for seconds, cited in groupby(page.items, key=lambda c: c.seconds)
    ]
    return render_template(
        "films/scenes.html",
        film=film,
        page=page,
        moments=moments,
        spoilers_ok=spoilers_ok,
        withheld=0 if spoilers_ok else scenes.withheld_count(film),
        reveal=reveal,
        seen_ids=seen_ids(),
    )
