"""One way for every site form to succeed or fail.

A form that fails, for any reason (its shape, a rule of the service, a lock, a ban, a rate
limit), is shown again on the same page with everything typed kept (passwords aside), each
message beside its field and the overall reason beside the button, with the status the
refusal calls for: 422 for input (invalid, taken), else the service's 403, 423, 429…
Only "there is nothing here" (404) and "who are you" (401) become error pages: there is
no form left to show.

    form = EditPostForm(obj=post)

    def save():
        replies.edit_post(viewer(), post, form.body.data)
        return redirect(...)

    return form_page(form, save, lambda: render_template("threads/edit_post.html", ...))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import g
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from forum.services.errors import DomainError, Invalid

T = TypeVar("T")
ERROR_PAGES = frozenset({401, 404})  # nothing to show the form again on
INPUT_PROBLEMS = frozenset({400, 409, 422})  # "please check your input": 422


def keeps_form(view: Callable) -> Callable:
    """Mark a view whose form is shown again when a rate limit refuses it (put it
    under the `limits` decorator): the limit answers 429 with the form, text kept."""
    view.keeps_form = True  # type: ignore[attr-defined]
    return view


def attempt(action: Callable[[], T]) -> tuple[T | None, DomainError | None]:
    """(the action's result, None), or (None, the refusal) for a refusal a page can show."""
    try:
        return action(), None
    except DomainError as err:
        if err.status in ERROR_PAGES:
            raise
        return None, err


def refuse(form: FlaskForm, err: DomainError) -> None:
    """Put a refusal on the form: field messages beside their fields, the reason beside
    the button, and its status for the page."""
    for name, message in err.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    form.refusal = err.message
    form.status = 422 if err.status in INPUT_PROBLEMS else err.status


def submit(
    form: FlaskForm, action: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue | None:
    """The action's answer when the form is sent, valid and accepted; otherwise None, with
    the form carrying its errors and `page_status(form)` saying how to show it."""
    if not form.is_submitted():
        return None
    slow_down = g.pop("slow_down", None)
    if slow_down is not None:
        refuse(form, DomainError(f"You can post again in {slow_down} s."))
        form.status = 429
        return None
    if not form.validate():
        form.status = 422
        return None
    result, err = attempt(action)
    if err is not None:
        refuse(form, err)
        return None
    return result


def page_status(form: FlaskForm) -> int:
    return getattr(form, "status", 200)


def form_page(
    form: FlaskForm, action: Callable[[], ResponseReturnValue], page: Callable[[], str]
) -> ResponseReturnValue:
    """Run `action` for a good submission, else render `page` with the form's status."""
    done = submit(form, action)
    return done if done is not None else (page(), page_status(form))


def require_valid(form: FlaskForm) -> FlaskForm:
    """For a button with no page of its own (lock, pin, resolve…): the form, or Invalid
    (a 422 page naming the problem) when its shape is wrong."""
    if not form.validate_on_submit():
        fields = {name: " ".join(errors) for name, errors in form.errors.items()}
        raise Invalid("Please check the form: " + "; ".join(fields.values()), fields)
    return form
