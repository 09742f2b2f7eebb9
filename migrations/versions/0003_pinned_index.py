"""Index pinned threads per board, so a board's first page never scans the board

Revision ID: 0003_pinned_index
Revises: 0002_front_page_sorts
"""

from alembic import op

revision = "0003_pinned_index"
down_revision = "0002_front_page_sorts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("threads") as batch_op:
        batch_op.create_index("ix_threads_film_pinned", ["film_id", "pinned", "created_at"])


def downgrade():
    with op.batch_alter_table("threads") as batch_op:
        batch_op.drop_index("ix_threads_film_pinned")
