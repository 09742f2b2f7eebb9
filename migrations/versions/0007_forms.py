"""Reports carry a reason picked from a list (untagged spoiler, off topic, harassment, spam,
other); the moderators' queue groups by it

Revision ID: 0007_forms
Revises: 0006_cost
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_forms"
down_revision = "0006_cost"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("reports") as batch_op:
        batch_op.add_column(
            sa.Column("category", sa.String(20), nullable=False, server_default="other")
        )
        batch_op.create_index("ix_reports_status_category", ["status", "category", "id"])


def downgrade():
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_index("ix_reports_status_category")
        batch_op.drop_column("category")
