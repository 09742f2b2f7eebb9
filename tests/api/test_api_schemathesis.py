"""Schemathesis against the served OpenAPI document, bounded in time, with every check at
its default expectations (schemathesis.toml at the repository root, the file `st run`
finds from there): no 5xx, no undocumented status, no response that breaks the document,
whatever the document calls valid served and whatever it calls invalid refused, through
the coverage, fuzzing and stateful phases. Revoking tokens is left to its own tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from forum.models import Role

ST = Path(sys.executable).with_name("st")
CONFIG = Path(__file__).parents[2] / "schemathesis.toml"

# Seconds per run: each phase gets its own, or coverage and fuzzing would leave the
# stateful phase nothing (schemathesis shares one --max-time among them).
# The stateful phase needs some seconds to build its state machine before any scenario.
MEMBER = {"coverage": 15, "fuzzing": 10, "stateful": 25}
ADMIN = {"coverage": 8, "fuzzing": 7}
ADMIN_ONLY = (  # operation ids of what only moderators and admins may do
    "^(create_film|thread_action_.*|remove_thread|theory_status|post_action_.*"
    "|ban|unban|report_queue|close_report_.*|order_universe|rename_tag|merge_tag)$"
)


@pytest.fixture
def live_url(app, serve) -> str:
    return serve(app).url


@pytest.fixture
def seeded(app, make_user, make_film, make_thread, make_reply):
    """A member with threads and replies of their own among other fans' content (the member
    runs every operation; an admin then runs the admin and moderator ones), in a universe,
    tagged and citing scenes."""
    from forum.extensions import db
    from forum.models import Universe

    with app.app_context():
        db.session.add(Universe(slug="john-wick", name="John Wick"))
        db.session.commit()
    member, other = make_user("schemathesis"), make_user()
    film = make_film("ballerina", title="Ballerina", year=2025, universe="john-wick",
                     timeline_order=1, runtime_minutes=125)  # fmt: skip
    make_film("chapter-4", title="Chapter 4", year=2023, universe="john-wick", timeline_order=2)
    for author in (member, other, member):
        thread = make_thread(author=author, film=film, tags=["mirrors", "Ruska Roma"],
                             body="The knot at [1:38:40].")  # fmt: skip
        reply = make_reply(thread, author=other, body="And ||the lacing at [14:05]||.")
        make_reply(thread, author=member, parent=reply)
    return member


def schemathesis(url: str, headers: dict[str, str], budget: dict[str, int], workdir: Path,
                 *extra: str) -> None:  # fmt: skip
    """Run `st` once per phase, in `workdir` (it keeps a crash cache there)."""
    (name, value), = headers.items()  # fmt: skip
    for phases, seconds in budget.items():
        command = [
            str(ST), "--config-file", str(CONFIG), "--no-color", "run",
            f"{url}/api/v1/openapi.json", "--header", f"{name}: {value}",
            "--phases", phases, "--max-time", str(seconds), "--workers", "1",
            "--checks", "all", "--mode", "all", "--request-timeout", "20", *extra,
        ]  # fmt: skip
        run = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120,
                             cwd=workdir)  # fmt: skip
        assert run.returncode == 0, _failures(run.stdout) + run.stderr[-3_000:]
        assert "No tests were run" not in run.stdout, run.stdout[-3_000:]  # the phase ran
        # The token outlived the run: nothing answered only 401 but the log-in itself.
        assert _only_401(run.stdout) <= {"POST /api/v1/tokens"}, run.stdout[-3_000:]


def _only_401(output: str) -> set[str]:
    """The operations schemathesis's authentication warning lists under 401."""
    listed, found = False, set()
    for line in output.splitlines():
        if line.startswith("401 Unauthorized ("):
            listed = True
        elif listed and line.startswith("  - "):
            found.add(line.removeprefix("  - ").strip())
        elif listed:
            listed = False
    return found


def _failures(output: str) -> str:
    """Each failure's headline, status and reproducing curl, lines cut to stay readable."""
    keep = ("- ST", "[", "curl", "Expected", "Seed", "Hint")
    lines = [line.strip()[:600] for line in output.splitlines()]
    return "\n".join(line for line in lines if line.startswith(keep))


@pytest.mark.timeout(sum(MEMBER.values()) + sum(ADMIN.values()) + 300)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    live_url, seeded, make_user, bearer, tmp_path
):
    schemathesis(live_url, bearer(seeded), MEMBER, tmp_path,
                 "--exclude-operation-id-regex", ADMIN_ONLY)  # only 403 for a member  # fmt: skip
    admin = bearer(make_user("st-admin", role=Role.ADMIN))
    schemathesis(live_url, admin, ADMIN, tmp_path, "--include-operation-id-regex", ADMIN_ONLY)
