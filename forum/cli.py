"""Flask commands: seed-demo, users create / set-role."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from forum.models import Role
from forum.services import accounts, user_moderation
from forum.services.errors import DomainError

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username: str, email: str, role: str, password_stdin: bool) -> None:
    """Create a user (the password comes from a prompt or standard input)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.sign_up(username, email, password, Role(role))
    except DomainError as err:
        details = "; ".join(f"{k}: {v}" for k, v in err.fields.items())
        raise click.ClickException(f"{err.message} {details}".strip()) from err
    click.echo(f"Created {user.username} ({user.role.value}).")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role(username: str, role: str) -> None:
    """Make a user a member, moderator or admin (logged in the public moderation log
    as done by "[console]"; the last admin can't be demoted)."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No user called {username}.")
    try:
        user_moderation.set_role_from_console(user, role)
    except DomainError as err:
        raise click.ClickException(err.message) from err
    click.echo(f"{user.username} is now {role}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo data (the John Wick universe) once; running it again changes nothing."""
    from forum import demo

    created = demo.seed()
    click.echo("Demo data loaded." if created else "Demo data already present.")


@click.command("bench-data")
@click.option(
    "--size",
    type=click.Choice(["default", "large", "quick", "tiny"]),
    default="default",
    show_default=True,
    help="default: 2,000 threads, 38,000 replies; large: 100,000 threads, "
    "1,000,000 replies; quick: for `make bench QUICK=1`.",
)
@click.option("--seed", type=int, default=None, help="Another seed, another forum.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@with_appcontext
def bench_data(size: str, seed: int | None, no_progress: bool) -> None:
    """Fill an empty, migrated database with a big forum for `make bench` (deterministic:
    the same seed makes the same rows). Every account's password is bench-data-passphrase."""
    from forum import benchdata

    if not benchdata.is_empty():
        raise click.ClickException(
            "bench-data fills an empty database and this one has accounts. Point DATABASE_URL "
            "at a new database, run `flask --app forum db upgrade`, then bench-data."
        )
    try:
        import tqdm  # noqa: F401
    except ImportError as err:
        raise click.ClickException("bench-data needs tqdm: pip install -e '.[bench]'") from err
    made = benchdata.fill(benchdata.SIZES[size], seed or benchdata.SEED, not no_progress)
    click.echo(", ".join(f"{n:,} {what}" for what, n in made.items()) + ".")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(bench_data)
    app.cli.add_command(notify_cli)


@click.group("notify")
def notify_cli() -> None:
    """Notifications sent outside the site."""


@notify_cli.command("digest")
@with_appcontext
def notify_digest() -> None:
    """Mail each fan who asked for it their unread notifications (run daily from cron).
    Does nothing without MAIL_SERVER."""
    from forum.services import digest
    from forum.web.helpers import external_url

    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set: no digest sent.")
        return
    with current_app.test_request_context("/"):  # url_for without a request (BASE_URL's base)
        sent = digest.send_digests(lambda endpoint, values: external_url(endpoint, **values))
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
