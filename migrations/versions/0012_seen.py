"""Films you have seen, spoiler-free titles and per-film spoiler windows

Revision ID: 0012_seen
Revises: 0007_forms
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_seen"
down_revision = "0007_forms"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "seen",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["films.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "film_id"),
    )
    with op.batch_alter_table("seen", schema=None) as batch_op:
        batch_op.create_index("ix_seen_film_id", ["film_id"], unique=False)
    with op.batch_alter_table("films", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("spoiler_window_days", sa.Integer(), server_default="30", nullable=False)
        )
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spoiler_title", sa.String(length=200), nullable=True))
    with op.batch_alter_table("revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spoiler_title", sa.String(length=200), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of `threads` would
    # drop the full-text triggers that migration 0004 put on it.
    for table, column in (("revisions", "spoiler_title"), ("threads", "spoiler_title"),
                          ("films", "spoiler_window_days")):  # fmt: skip
        op.drop_column(table, column)
    with op.batch_alter_table("seen", schema=None) as batch_op:
        batch_op.drop_index("ix_seen_film_id")
    op.drop_table("seen")
