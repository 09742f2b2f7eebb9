"""Plain, spoiler-free text of every body, stored at write time; search reads only it

Adds `body_text` to threads and posts, fills it for the rows already there, and rebuilds
the full-text index (version 2 in forum/models/search_index.py) over it: spoilers are never
matched, and a thread flagged as spoilers is found by its title only.

Revision ID: 0006_cost
Revises: 0005_race
"""

import sqlalchemy as sa
from alembic import op

from forum.models.search_index import create_search_index, drop_search_index
from forum.services.markup import text_of

revision = "0006_cost"
down_revision = "0005_race"
branch_labels = None
depends_on = None

TABLES = ("threads", "posts")


def upgrade():
    conn = op.get_bind()
    drop_search_index(conn)
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column("body_text", sa.Text(), server_default="", nullable=False))
        _fill(conn, name)
    create_search_index(conn, version=2)


def _fill(conn, name: str, batch: int = 500) -> None:
    """Each row's body_text from its body, a batch of rows at a time."""
    rows = sa.table(name, sa.column("id", sa.Integer), sa.column("body", sa.Text),
                    sa.column("body_text", sa.Text))  # fmt: skip
    last = 0
    while found := conn.execute(
        sa.select(rows.c.id, rows.c.body).where(rows.c.id > last).order_by(rows.c.id).limit(batch)
    ).all():
        for row_id, body in found:
            conn.execute(rows.update().where(rows.c.id == row_id).values(body_text=text_of(body)))
        last = found[-1].id


def downgrade():
    conn = op.get_bind()
    drop_search_index(conn)
    for name in reversed(TABLES):  # both databases drop a plain column in place
        op.execute(f"ALTER TABLE {name} DROP COLUMN body_text")
    create_search_index(conn, version=1)
