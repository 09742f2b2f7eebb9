"""Sign up, log in, log out, change password or e-mail, reset a forgotten password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_required, login_user, logout_user

from forum import limits
from forum.services import accounts, following, password_reset, seen, tokens
from forum.services.errors import Invalid
from forum.web import viewer
from forum.web.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EmptyForm,
    ForgotPasswordForm,
    LogInForm,
    NotificationSettingsForm,
    ResetPasswordForm,
    SignUpForm,
)
from forum.web.helpers import external_url, safe_next
from forum.web.submit import attempt, form_page, keeps_form
from forum.web.threads import cast_pending_vote, pending_vote

bp = Blueprint("auth", __name__)


@bp.route("/signup", methods=["GET", "POST"])
@limits.signup
@keeps_form
def signup():
    form = SignUpForm(next=request.args.get("next", ""))

    def create():
        pending = pending_vote()
        user = accounts.sign_up(form.username.data, form.email.data, form.password.data)
        limits.remember_address(user.username)  # the owner's usual address
        _start_session(user)
        flash(f"Welcome to Subtext, {user.username}!", "success")
        cast_pending_vote(pending)
        return redirect(safe_next(form.next.data) or url_for("films.home"))

    return form_page(form, create, lambda: _auth_page("auth/signup.html", form))


@bp.route("/login", methods=["GET", "POST"])
@limits.login
@keeps_form
def login():
    form = LogInForm(next=request.args.get("next", ""))

    def enter():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is None:
            raise Invalid("That username and password don't match an account.")
        pending = pending_vote()
        limits.remember_address(user.username)  # the owner's usual address
        _start_session(user, remember=form.remember.data)
        cast_pending_vote(pending)
        return redirect(safe_next(form.next.data) or url_for("films.home"))

    return form_page(form, enter, lambda: _auth_page("auth/login.html", form))


def _auth_page(template: str, form) -> str:
    """Log-in and sign-up keep where the fan was going (`next`) and say why they are here."""
    why = "Log in to vote: your vote counts as soon as you are in." if pending_vote() else None
    return render_template(template, form=form, next=safe_next(form.next.data), why=why)


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
    """The account page: password, e-mail, the films you have seen (their spoilers are
    open to you) and the API tokens with revoke buttons."""
    films = seen.seen_films(viewer())
    muted_users, muted_films, muted_tags = following.muted_lists(viewer())
    return render_template(
        "auth/account.html",
        user=viewer(),
        settings_form=NotificationSettingsForm(obj=viewer()),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
        muted_users=muted_users,
        muted_films=muted_films,
        muted_tags=muted_tags,
        films=films,
        seen_ids=frozenset(f.id for f in films),
        api_tokens=tokens.user_tokens(viewer()),
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

    def change():
        _checking_current_password(accounts.change_password, form.current.data, form.new.data)
        login_user(viewer())  # a fresh session with the new session version
        flash(
            "Your password is changed; your other sessions are logged out and every "
            "API token is revoked.",
            "success",
        )
        return redirect(url_for("auth.account"))

    return form_page(form, change, lambda: render_template("auth/password.html", form=form))


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limits.current_password
def change_email():
    form = ChangeEmailForm()

    def change():
        _checking_current_password(accounts.change_email, form.password.data, form.email.data)
        flash("Your e-mail address is changed.", "success")
        return redirect(url_for("auth.account"))

    return form_page(
        form, change, lambda: render_template("auth/email.html", form=form, email=viewer().email)
    )


def _checking_current_password(change, current: str, new: str) -> None:
    """Make a change that needs the current password; a wrong one counts against
    limits.current_password."""
    try:
        change(viewer(), current, new)
    except accounts.WrongPassword:
        limits.count_wrong_password()
        raise


@bp.route("/password/forgot", methods=["GET", "POST"])
@limits.password_reset
@keeps_form
def forgot_password():
    form = ForgotPasswordForm()

    def send():
        password_reset.request_password_reset(
            form.email.data, lambda token: external_url("auth.reset_password", token=token)
        )
        flash(
            "If that address has an account, a mail with a reset link is on its way. "
            "The link works once, for an hour.",
            "info",
        )
        return redirect(url_for("auth.login"))

    return form_page(form, send, lambda: render_template("auth/forgot.html", form=form))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user, refused = attempt(lambda: password_reset.user_for_token(token))
    if refused is not None:
        flash(refused.message, "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()

    def reset():
        password_reset.reset_password(token, form.password.data)
        logout_user()
        flash(
            "Your password is changed, every session is logged out and every API token "
            "revoked. Log in.",
            "success",
        )
        return redirect(url_for("auth.login"))

    return form_page(form, reset, lambda: render_template("auth/reset.html", form=form, user=user))
