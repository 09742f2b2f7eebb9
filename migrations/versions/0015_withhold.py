"""Spoiler-free HTML of every body, stored at write time beside the full HTML

Adds `body_safe_html` to threads, posts and revisions (each inline spoiler a placeholder
without its text: what a viewer who may not read the film's spoilers is sent) and fills it
by rendering each row's body again — `body_html` too, so rows stored with the old spoiler
markup get the button — a batch of rows at a time.

Revision ID: 0015_withhold
Revises: 0012_seen
"""

import sqlalchemy as sa
from alembic import op

from forum.services.errors import Invalid
from forum.services.markup import render

revision = "0015_withhold"
down_revision = "0012_seen"
branch_labels = None
depends_on = None

TABLES = ("threads", "posts", "revisions")


def upgrade():
    conn = op.get_bind()
    for name in TABLES:
        # Plain ADD COLUMN (both databases): a batch copy of `threads` or `posts` would drop
        # the full-text triggers that migration 0004 put on them.
        op.add_column(name, sa.Column("body_safe_html", sa.Text(), server_default="", nullable=False))
        _fill(conn, name)


def _fill(conn, name: str, batch: int = 500) -> None:
    """Each row's body_html and body_safe_html from its body, a batch of rows at a time."""
    rows = sa.table(name, sa.column("id", sa.Integer), sa.column("body", sa.Text),
                    sa.column("body_html", sa.Text), sa.column("body_safe_html", sa.Text))  # fmt: skip
    last = 0
    while found := conn.execute(
        sa.select(rows.c.id, rows.c.body).where(rows.c.id > last).order_by(rows.c.id).limit(batch)
    ).all():
        for row_id, body in found:
            try:
                rendered = render(body)
            except Invalid:  # a body over today's bounds (stored before them): keep it
                continue
            conn.execute(
                rows.update()
                .where(rows.c.id == row_id)
                .values(body_html=rendered.html, body_safe_html=rendered.safe_html)
            )
        last = found[-1].id


def downgrade():
    for name in reversed(TABLES):  # both databases drop a plain column in place
        op.execute(f"ALTER TABLE {name} DROP COLUMN body_safe_html")
