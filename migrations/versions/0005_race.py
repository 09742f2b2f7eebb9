"""API tokens can expire (api_tokens.expires_at, null: never); e-mail addresses are no
longer unique to one account (sign-up must not tell whether an address has an account)

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
    # Expression indexes: plain CREATE/DROP INDEX (batch mode would copy the table and
    # could not carry expression indexes over on SQLite).
    op.drop_index("uq_users_email_lower", table_name="users")
    op.create_index("ix_users_email_lower", "users", [sa.text("lower(email)")], unique=False)


def downgrade():
    # Fails, as it should, if two accounts now share an address.
    op.drop_index("ix_users_email_lower", table_name="users")
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)
    # SQLite ≥ 3.35 drops a plain column in place, without batch mode's table copy.
    op.drop_column("api_tokens", "expires_at")
