"""Full-text search: GIN expression indexes on PostgreSQL, FTS5 tables and triggers on SQLite

The objects are defined once, in forum/models/search_index.py (which also builds them for
`create_all`); building them indexes the rows already there.

Revision ID: 0004_full_text_search
Revises: 0003_pinned_index
"""

from alembic import op

from forum.models.search_index import create_search_index, drop_search_index

revision = "0004_full_text_search"
down_revision = "0003_pinned_index"
branch_labels = None
depends_on = None


def upgrade():
    create_search_index(op.get_bind(), version=1)  # what 0004 built; 0006 moves on


def downgrade():
    drop_search_index(op.get_bind())
