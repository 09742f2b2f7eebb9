"""Search reads a stored vector on PostgreSQL: `search_vector`, a generated column on
threads and posts with a GIN index over it (version 3 in forum/models/search_index.py), so
checking and ranking a match no longer computes `to_tsvector` again for every matching row.
SQLite's FTS5 index is unchanged.

Revision ID: 0016_search_vector
Revises: 0014_paging
"""

from alembic import op

from forum.models.search_index import create_search_index, drop_search_index

revision = "0016_search_vector"
down_revision = "0014_paging"
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        drop_search_index(conn)
        create_search_index(conn, version=3)


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        drop_search_index(conn)
        create_search_index(conn, version=2)
