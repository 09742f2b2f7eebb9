"""API tokens can expire: api_tokens.expires_at (null: never)

Revision ID: 0005_race
Revises: 0004_full_text_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_race"
down_revision = "0004_full_text_search"
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column: a plain ALTER TABLE … ADD COLUMN on SQLite and PostgreSQL alike.
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # SQLite ≥ 3.35 drops a plain column in place, without batch mode's table copy.
    op.drop_column("api_tokens", "expires_at")
