"""Forms check shape (required, length, choices); the services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from forum.models import ThreadKind

KIND_CHOICES = [SelectChoice(k.value, k.value.capitalize()) for k in ThreadKind]


class SignUpForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(3, 30)])
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(10, 200)])


class LogInForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=30)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Remember me")
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField("New password", validators=[DataRequired(), Length(10, 200)])


class ThreadForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(3, 200)])
    kind = SelectField("Kind", choices=KIND_CHOICES, default="theory")
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(1, 40_000)])
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=250)],
        description="Characters or motifs, separated by spaces: rooney mirrors",
    )
    spoiler = BooleanField("Contains spoilers")


class EditThreadForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(3, 200)])
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(1, 40_000)])


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", validators=[DataRequired(), Length(1, 40_000)])
    parent_id = HiddenField()


class EditPostForm(FlaskForm):
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(1, 40_000)])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: delete buttons and the like."""


class FilmForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(1, 200)])
    slug = StringField("Slug", validators=[Optional(), Length(max=80)],
                       description="Leave empty to make one from the title.")  # fmt: skip
    year = IntegerField("Year", validators=[InputRequired(), NumberRange(1870, 2200)])
    release_date = DateField("Release date", validators=[Optional()])
    universe = SelectField("Universe", choices=[], validate_choice=True)
    timeline_order = IntegerField(
        "Timeline order", validators=[Optional(), NumberRange(-1000, 1000)],
        description="Its place in the universe's in-story chronology.",
    )  # fmt: skip
    synopsis = TextAreaField("Synopsis", validators=[Optional(), Length(max=5000)])


class UniverseForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(1, 120)])
    slug = StringField("Slug", validators=[Optional(), Length(max=80)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])


class VoteForm(FlaskForm):
    """One arrow's form: its button carries the value (-1, 0 to take the vote back, 1)."""

    value = IntegerField(validators=[InputRequired(), AnyOf([-1, 0, 1])])
    next = HiddenField()
