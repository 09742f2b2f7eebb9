"""Indexes for the front page's top, controversial and active sorts (every board)

Revision ID: 0002_front_page_sorts
Revises: 0001
"""
from alembic import op


revision = "0002_front_page_sorts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.create_index("ix_threads_score", ["score", "id"], unique=False)
        batch_op.create_index("ix_threads_controversy", ["controversy", "id"], unique=False)
        batch_op.create_index("ix_threads_activity", ["last_activity_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_index("ix_threads_activity")
        batch_op.drop_index("ix_threads_controversy")
        batch_op.drop_index("ix_threads_score")
