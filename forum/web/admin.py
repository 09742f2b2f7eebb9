"""Admins manage films and universes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from forum.services import films
from forum.services.errors import DomainError
from forum.services.permissions import can_manage_films, require
from forum.web import viewer
from forum.web.forms import FilmForm, SelectChoice, UniverseForm
from forum.web.helpers import show_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    require(can_manage_films(viewer()), "Only admins manage films and universes.")


@bp.get("/")
def index():
    return render_template(
        "admin/index.html", films=films.all_films(), universes=films.all_universes()
    )


@bp.route("/films/new", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/films/<slug>/edit", methods=["GET", "POST"])
def film(slug: str | None):
    film = films.get_film(slug) if slug else None
    form = FilmForm(obj=film)
    universes = films.all_universes()
    form.universe.choices = [SelectChoice("", "— none —")]
    form.universe.choices += [SelectChoice(u.slug, u.name) for u in universes]
    if film is not None and not form.is_submitted():
        form.universe.data = film.universe.slug if film.universe else ""
    if form.validate_on_submit():
        fields = films.FilmFields(
            title=form.title.data, year=form.year.data, slug=form.slug.data,
            release_date=form.release_date.data, timeline_order=form.timeline_order.data,
            universe=films.get_universe(form.universe.data) if form.universe.data else None,
            synopsis=form.synopsis.data or "", spoiler_window_days=form.spoiler_window_days.data,
        )  # fmt: skip
        try:
            saved = films.save_film(viewer(), fields, film)
        except DomainError as err:
            flash(show_errors(form, err), "error")
        else:
            flash(f"{saved.title} is saved.", "success")
            return redirect(url_for("films.board", slug=saved.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/film.html", form=form, film=film), status


@bp.route("/universes/new", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/universes/<slug>/edit", methods=["GET", "POST"])
def universe(slug: str | None):
    universe = films.get_universe(slug) if slug else None
    form = UniverseForm(obj=universe)
    if form.validate_on_submit():
        try:
            saved = films.save_universe(
                viewer(), form.name.data, form.slug.data, form.description.data or "", universe
            )
        except DomainError as err:
            flash(show_errors(form, err), "error")
        else:
            flash(f"{saved.name} is saved.", "success")
            return redirect(url_for("admin.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/universe.html", form=form, universe=universe), status
