"""Sign up, log in, log out, change password or e-mail, reset a forgotten password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user

from forum import limits
from forum.services import accounts, password_reset, tokens
from forum.services.errors import DomainError
from forum.web import viewer
from forum.web.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EmptyForm,
    ForgotPasswordForm,
    LogInForm,
    ResetPasswordForm,
    SignUpForm,
)
from forum.web.helpers import external_url, safe_next, show_errors

bp = Blueprint("auth", __name__)


@bp.route("/signup", methods=["GET", "POST"])
@limits.signup
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(form.username.data, form.email.data, form.password.data)
        except DomainError as err:
            flash(show_errors(form, err), "error")
        else:
            limits.remember_address(user.username)  # the owner's usual address
            _start_session(user)
            flash(f"Welcome to Subtext, {user.username}!", "success")
            return redirect(url_for("films.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limits.login
def login():
    form = LogInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            limits.remember_address(user.username)  # the owner's usual address
            _start_session(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("films.home"))
        flash("That username and password don't match an account.", "error")
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


def _start_session(user, remember: bool = False) -> None:
    """A brand-new session (and CSRF token) for the signed-in user: nothing carried over
    from before the log-in can be fixed by someone else."""
    session.clear()
    login_user(user, remember=remember)


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit():
        if viewer() is not None:
            accounts.end_sessions(viewer())  # stolen session and remember-me cookies die too
        logout_user()
        flash("You are logged out, on every device.", "info")
    return redirect(url_for("films.home"))


@bp.get("/account")
@login_required
def account():
    """The account page: password, e-mail, and the API tokens with revoke buttons."""
    return render_template(
        "auth/account.html", user=viewer(), api_tokens=tokens.user_tokens(viewer())
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        tokens.revoke_user_token(viewer(), token_id)  # NotFound → 404 page
        flash("The token is revoked: programs using it can no longer sign in.", "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/tokens/revoke")
@login_required
def revoke_all_tokens():
    if EmptyForm().validate_on_submit():
        tokens.revoke_all_tokens(viewer())
        flash("Every API token is revoked.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limits.current_password
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(viewer(), form.current.data, form.new.data)
        except DomainError as err:
            if isinstance(err, accounts.WrongPassword):
                limits.count_wrong_password()
            flash(show_errors(form, err), "error")
        else:
            login_user(viewer())  # a fresh session with the new session version
            flash(
                "Your password is changed; your other sessions are logged out and every "
                "API token is revoked.",
                "success",
            )
            return redirect(url_for("auth.account"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limits.current_password
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            accounts.change_email(viewer(), form.password.data, form.email.data)
        except DomainError as err:
            if isinstance(err, accounts.WrongPassword):
                limits.count_wrong_password()
            flash(show_errors(form, err), "error")
        else:
            flash("Your e-mail address is changed.", "success")
            return redirect(url_for("auth.account"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/email.html", form=form, email=viewer().email), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@limits.password_reset
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_password_reset(
            form.email.data, lambda token: external_url("auth.reset_password", token=token)
        )
        flash(
            "If that address has an account, a mail with a reset link is on its way. "
            "The link works once, for an hour.",
            "info",
        )
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = password_reset.user_for_token(token)
    except DomainError as err:
        flash(err.message, "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(token, form.password.data)
        except DomainError as err:
            flash(show_errors(form, err), "error")
        else:
            logout_user()
            flash(
                "Your password is changed, every session is logged out and every API token "
                "revoked. Log in.",
                "success",
            )
            return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form, user=user), status
