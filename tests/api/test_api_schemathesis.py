"""Schemathesis against the served OpenAPI document, bounded in time: no 5xx, no
undocumented status, no response that breaks the document, bad input refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from forum.models import Role

ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
MEMBER_SECONDS, ADMIN_SECONDS = 35, 20
ADMIN_ONLY = (  # operation ids of what only moderators and admins may do
    "^(create_film|thread_action_.*|remove_thread|theory_status|post_action_.*"
    "|ban|unban|report_queue|close_report_.*)$"
)


@pytest.fixture
def live_url(app, serve) -> str:
    return serve(app).url


@pytest.fixture
def seeded(make_user, make_film, make_thread, make_reply):
    """A member with threads and replies of their own among other fans' content (the member
    runs every operation; an admin then runs the admin and moderator ones)."""
    member, other = make_user("schemathesis"), make_user()
    film = make_film("ballerina", title="Ballerina", year=2025)
    for author in (member, other, member):
        thread = make_thread(author=author, film=film)
        reply = make_reply(thread, author=other)
        make_reply(thread, author=member, parent=reply)
    return member


def schemathesis(url: str, headers: dict[str, str], seconds: int, workdir: Path,
                 *extra: str) -> None:  # fmt: skip
    """Run `st` in `workdir` (it keeps a crash cache in the current directory)."""
    (name, value), = headers.items()  # fmt: skip
    command = [
        str(ST), "--config-file", str(CONFIG), "--no-color", "run",
        f"{url}/api/v1/openapi.json", "--header", f"{name}: {value}",
        "--max-time", str(seconds), "--workers", "1", "--checks", "all",
        "--request-timeout", "20", "--exclude-operation-id", "revoke_token", *extra,
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120,
                         cwd=workdir)  # fmt: skip
    assert run.returncode == 0, _failures(run.stdout) + run.stderr[-3_000:]


def _failures(output: str) -> str:
    """Each failure's headline, status and reproducing curl, lines cut to stay readable."""
    keep = ("- ST", "[", "curl", "Expected", "Seed", "Hint")
    lines = [line.strip()[:600] for line in output.splitlines()]
    return "\n".join(line for line in lines if line.startswith(keep))


@pytest.mark.timeout(MEMBER_SECONDS + ADMIN_SECONDS + 300)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_url, seeded, make_user, bearer, tmp_path
):
    schemathesis(live_url, bearer(seeded), MEMBER_SECONDS, tmp_path)
    admin = bearer(make_user("st-admin", role=Role.ADMIN))
    schemathesis(
        live_url, admin, ADMIN_SECONDS, tmp_path, "--include-operation-id-regex", ADMIN_ONLY
    )
