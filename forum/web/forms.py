"""Forms check shape (required, length, choices); the services check the rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
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

from forum.models import ReportCategory, Role, TheoryStatus, ThreadKind
from forum.services.threads import MAX_BODY

KIND_CHOICES = [SelectChoice(k.value, k.value.capitalize()) for k in ThreadKind]


class SignUpForm(FlaskForm):
    """No checks here: the service checks every field in one pass and names each problem."""

    username = StringField("Username")
    email = EmailField("E-mail")
    password = PasswordField("Password")
    next = HiddenField()


class LogInForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=30)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Remember me")
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField("New password", validators=[DataRequired(), Length(10, 200)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(10, 200)])


class ChangeEmailForm(FlaskForm):
    email = EmailField("New e-mail", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Your password", validators=[DataRequired()])


TITLE_HINT = "Spoiler-free: everyone sees this title, in every list."
SPOILER_TITLE_HINT = (
    "Optional, for a thread with spoilers: the title as you'd really put it, shown only to "
    "fans who have seen the film."
)


class ThreadForm(FlaskForm):
    title = StringField(
        "Title", validators=[DataRequired(), Length(3, 200)], description=TITLE_HINT
    )
    spoiler_title = StringField(
        "Full title (spoilers allowed)",
        validators=[Optional(), Length(3, 200)],
        description=SPOILER_TITLE_HINT,
    )
    kind = SelectField("Kind", choices=KIND_CHOICES, default="theory")
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(1, MAX_BODY)])
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=250)],
        description="Up to 5 characters, motifs or places, separated by commas: "
        "Ruska Roma, mirrors, Rooney",
    )
    spoiler = BooleanField("Contains spoilers")


class EditThreadForm(FlaskForm):
    title = StringField(
        "Title", validators=[DataRequired(), Length(3, 200)], description=TITLE_HINT
    )
    spoiler_title = StringField(
        "Full title (spoilers allowed)",
        validators=[Optional(), Length(3, 200)],
        description=SPOILER_TITLE_HINT + " Leave empty for none.",
    )
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(1, MAX_BODY)])


class ReplyForm(FlaskForm):
    """A reply to the thread, or to one reply: each posts to its own URL, so no form
    carries another's hidden parent."""

    body = TextAreaField("Your reply", validators=[DataRequired(), Length(1, MAX_BODY)])


class EditPostForm(FlaskForm):
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(1, MAX_BODY)])


class EmptyForm(FlaskForm):
    """A form with only its CSRF token: delete buttons and the like."""


class FilmForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(1, 200)])
    slug = StringField(
        "Slug",
        validators=[Optional(), Length(max=80)],
        description="Leave empty to make one from the title.",
    )
    year = IntegerField("Year", validators=[InputRequired(), NumberRange(1870, 2200)])
    release_date = DateField("Release date", validators=[Optional()])
    universe = SelectField("Universe", choices=[], validate_choice=True)
    timeline_order = IntegerField(
        "Timeline order",
        validators=[Optional(), NumberRange(-1000, 1000)],
        description="Its place in the universe's in-story chronology.",
    )
    synopsis = TextAreaField("Synopsis", validators=[Optional(), Length(max=5000)])
    runtime_minutes = IntegerField(
        "Runtime (minutes)",
        validators=[Optional(), NumberRange(1, 1440)],
        description="Scene timestamps past the runtime stay plain text. Empty: not known.",
    )
    spoiler_window_days = IntegerField(
        "Spoiler window (days)",
        default=30,
        validators=[Optional(), NumberRange(0, 3650)],
        description="Threads started up to this many days after the release date are "
        "flagged as spoilers unless their author unticks it. 0 to 3650 (empty: 30 for a new "
        "film, unchanged for an existing one).",
    )


class UniverseForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(1, 120)])
    slug = StringField("Slug", validators=[Optional(), Length(max=80)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])


class VoteForm(FlaskForm):
    """One arrow's form: its button carries the value (-1, 0 to take the vote back, 1)."""

    value = IntegerField(validators=[InputRequired(), AnyOf([-1, 0, 1])])
    next = HiddenField()


class SeenForm(FlaskForm):
    """A "Seen it" toggle: `seen` is "yes" to mark the film seen, "no" to take it back."""

    seen = HiddenField(validators=[AnyOf(["yes", "no"])], default="yes")
    next = HiddenField()


class ThemeForm(FlaskForm):
    """The reader's theme: light, dark, or their device's setting ("auto")."""

    theme = RadioField(
        "Theme",
        choices=[
            SelectChoice("auto", "Follow my device"),
            SelectChoice("light", "Light"),
            SelectChoice("dark", "Dark"),
        ],
        default="auto",
    )
    next = HiddenField()


class SpoilerFlagForm(FlaskForm):
    """A moderator flags or unflags a thread as having spoilers."""

    spoiler = HiddenField(validators=[AnyOf(["yes", "no"])])
    reason = StringField("Reason", validators=[Optional(), Length(max=500)])


class WrapSpoilerForm(FlaskForm):
    passage = TextAreaField(
        "Passage to hide",
        validators=[DataRequired(), Length(max=2000)],
        description="Copy the exact words from the text above: every place they occur is "
        "wrapped in spoiler markup. Nothing else changes; the earlier text stays in the "
        "edit history.",
    )
    reason = StringField(
        "Reason",
        validators=[Optional(), Length(max=500)],
        description="For the public moderation log (which never shows the passage).",
    )


class ReasonForm(FlaskForm):
    """Lock, unlock, pin, restore, unban: a reason is welcome but not needed."""

    reason = StringField("Reason", validators=[Optional(), Length(max=500)])


class RemoveForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired(), Length(max=500)],
        description="Shown on the public moderation log and to moderators.",
    )


class StatusForm(FlaskForm):
    status = SelectField(
        "Theory status", choices=[SelectChoice(s.value, s.value) for s in TheoryStatus]
    )
    note = StringField(
        "Note",
        validators=[Optional(), Length(max=480)],
        description="What settled it, e.g. the sequel scene that confirms it.",
    )
    film = StringField("Settled in (film)", validators=[Optional(), Length(max=80)])
    timestamp = StringField(
        "At (timestamp)",
        validators=[Optional(), Length(max=12)],
        description="Optional: the moment that settled it, such as 1:42:10.",
    )


class TagRenameForm(FlaskForm):
    """A tag page has both tag forms: their fields' ids differ."""

    name = StringField("New name", validators=[DataRequired(), Length(max=60)], id="rename-name")
    reason = StringField("Reason", validators=[Optional(), Length(max=500)], id="rename-reason")


class TagMergeForm(FlaskForm):
    into = StringField(
        "Merge into tag", validators=[DataRequired(), Length(max=60)], id="merge-into"
    )
    reason = StringField("Reason", validators=[Optional(), Length(max=500)], id="merge-reason")


class BanForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired(), Length(max=400)])
    until = DateTimeLocalField(
        "Ends at (UTC)",
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
        description="Leave empty for a ban with no end date.",
    )


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=[SelectChoice(r.value, r.value) for r in Role])
    reason = StringField("Reason", validators=[Optional(), Length(max=400)])


class ReportForm(FlaskForm):
    category = RadioField(
        "What is wrong with it?",
        default=ReportCategory.OTHER.value,
        choices=[SelectChoice(c.value, c.label) for c in ReportCategory],
    )
    reason = TextAreaField(
        "Anything to add? (needed for “Something else”)",
        validators=[Length(max=500)],
        description="Only moderators see reports and who sent them.",
    )


class NotificationSettingsForm(FlaskForm):
    """What a fan wants to hear about (the account page)."""

    notify_reply = BooleanField("Replies to my threads and replies")
    notify_mention = BooleanField("@mentions of me")
    notify_status = BooleanField("My theories' status changing")
    notify_moderation = BooleanField("Moderators acting on my writing")
    notify_activity = BooleanField("New threads and replies in what I follow")
    auto_follow = BooleanField("Follow the threads I start and reply to")
    email_digest = BooleanField("A daily e-mail of my unread notifications")

    SWITCHES = (
        "notify_reply",
        "notify_mention",
        "notify_status",
        "notify_moderation",
        "notify_activity",
        "auto_follow",
        "email_digest",
    )


class MarkReadForm(FlaskForm):
    """Mark some notifications read (`ids`: comma-separated), or all (no ids)."""

    ids = HiddenField(validators=[Optional(), Length(max=1200)])


class NameForm(FlaskForm):
    """A tag to follow or mute, or a user to mute, by name."""

    name = StringField("Name", validators=[DataRequired(), Length(1, 60)])
