"""A page of a reply tree reads siblings in the order of each sort (best, new/old) from an
index, so the first page of a 5,000-reply thread costs what a 50-reply thread's does

Revision ID: 0014_paging
Revises: 0015_withhold
"""

from alembic import op

revision = "0014_paging"
down_revision = "0015_withhold"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts") as batch_op:
        batch_op.create_index(
            "ix_posts_tree_best", ["thread_id", "parent_id", "best", "score", "id"]
        )
        batch_op.create_index("ix_posts_tree_new", ["thread_id", "parent_id", "created_at", "id"])


def downgrade():
    with op.batch_alter_table("posts") as batch_op:
        batch_op.drop_index("ix_posts_tree_new")
        batch_op.drop_index("ix_posts_tree_best")
