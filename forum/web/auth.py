"""Sign up, log in, log out, change password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from forum.services import accounts
from forum.services.errors import DomainError
from forum.web import viewer
from forum.web.forms import ChangePasswordForm, EmptyForm, LogInForm, SignUpForm
from forum.web.helpers import safe_next, show_errors

bp = Blueprint("auth", __name__)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(form.username.data, form.email.data, form.password.data)
        except DomainError as err:
            flash(show_errors(form, err), "error")
        else:
            login_user(user)
            flash(f"Welcome to Subtext, {user.username}!", "success")
            return redirect(url_for("films.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LogInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("films.home"))
        flash("That username and password don't match an account.", "error")
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("films.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(viewer(), form.current.data, form.new.data)
        except DomainError as err:
            flash(show_errors(form, err), "error")
        else:
            login_user(viewer())  # a fresh session with the new session version
            flash("Your password is changed; your other sessions are logged out.", "success")
            return redirect(url_for("users.profile", username=viewer().username))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
