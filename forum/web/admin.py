"""Admins manage films and universes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from forum.services import films
from forum.services.permissions import can_manage_films, require
from forum.web import viewer
from forum.web.forms import FilmForm, SelectChoice, UniverseForm
from forum.web.submit import form_page

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def admins_only():
    require(can_manage_films(viewer()))


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

    def save():
        fields = films.FilmFields(
            title=form.title.data,
            year=form.year.data,
            slug=form.slug.data,
            release_date=form.release_date.data,
            timeline_order=form.timeline_order.data,
            universe=films.get_universe(form.universe.data) if form.universe.data else None,
            synopsis=form.synopsis.data or "",
            spoiler_window_days=form.spoiler_window_days.data,
            runtime_minutes=form.runtime_minutes.data,
        )
        saved = films.save_film(viewer(), fields, film)
        flash(f"{saved.title} is saved.", "success")
        return redirect(url_for("films.board", slug=saved.slug))

    return form_page(form, save, lambda: render_template("admin/film.html", form=form, film=film))


@bp.route("/universes/new", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/universes/<slug>/edit", methods=["GET", "POST"])
def universe(slug: str | None):
    universe = films.get_universe(slug) if slug else None
    form = UniverseForm(obj=universe)

    def save():
        saved = films.save_universe(
            viewer(), form.name.data, form.slug.data, form.description.data or "", universe
        )
        flash(f"{saved.name} is saved.", "success")
        return redirect(url_for("admin.index"))

    return form_page(
        form, save, lambda: render_template("admin/universe.html", form=form, universe=universe)
    )
