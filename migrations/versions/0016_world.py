"""The film world: site-wide tags, scene timestamps, film runtimes and theory histories

- `films.runtime_minutes` (admins set it; a scene timestamp past it stays text), and
  `threads.cited_moments` (how many citations a thread and its replies hold).
- `tags`: one row per normalized name (`Ruska Roma`, `ruska_roma` → `ruska-roma`), with
  its live thread count; `thread_tags` now links threads to tags by id. The per-thread
  names there are normalized and moved over (two names that become one tag merge).
- `scene_citations`: each moment a thread or reply cites, filled here by rendering again
  the bodies that hold something like a timestamp (`[…:…]`), a batch at a time.
- `theory_status_changes`: a theory's status history, filled from the moderation log's
  `set_status` entries (what they knew: status, note, who, when).

Revision ID: 0016_world
Revises: 0016_search_vector
"""

import sqlalchemy as sa
from alembic import op

from forum.services.errors import Invalid
from forum.services.markup import SceneLinks, render
from forum.services.tags import normalize_or_none

revision = "0016_world"
down_revision = "0016_search_vector"
branch_labels = None
depends_on = None

STATUS = sa.Enum("open", "confirmed", "debunked", native_enum=False, length=16,
                 name="theorystatus")  # fmt: skip


def upgrade():
    op.add_column("films", sa.Column("runtime_minutes", sa.Integer(), nullable=True))
    # Plain ADD COLUMN (both databases): a batch copy of `threads` would drop the full-text
    # triggers that migration 0004 put on it.
    op.add_column(
        "threads", sa.Column("cited_moments", sa.Integer(), server_default="0", nullable=False)
    )
    _tags()
    op.create_table(
        "scene_citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("in_spoiler", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["film_id"], ["films.id"], name="fk_scene_citations_film_id_films"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name="fk_scene_citations_post_id_posts"),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name="fk_scene_citations_thread_id_threads"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scene_citations"),
    )
    op.create_index("ix_scene_citations_film", "scene_citations", ["film_id", "seconds", "id"])
    op.create_index("ix_scene_citations_thread", "scene_citations", ["thread_id", "seconds"])
    op.create_index("ix_scene_citations_post", "scene_citations", ["post_id"])
    op.create_table(
        "theory_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("previous", STATUS, nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("film_id", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["film_id"], ["films.id"], name="fk_theory_status_changes_film_id_films"
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["users.id"], name="fk_theory_status_changes_moderator_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name="fk_theory_status_changes_thread_id_threads"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_theory_status_changes"),
    )
    op.create_index("ix_theory_status_changes_thread", "theory_status_changes", ["thread_id", "id"])
    conn = op.get_bind()
    _status_history(conn)
    _citations(conn)
    op.execute(
        "UPDATE threads SET cited_moments = (SELECT count(*) FROM scene_citations "
        "WHERE scene_citations.thread_id = threads.id) "
        "WHERE id IN (SELECT thread_id FROM scene_citations)"
    )


def _tags():
    """Move the per-thread names into `tags`, linked by id."""
    conn = op.get_bind()
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("thread_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["tags.id"], name="fk_tags_merged_into_id_tags"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tags"),
        sa.UniqueConstraint("name", name="uq_tags_name"),
    )
    op.create_index("ix_tags_used", "tags", ["thread_count", "name"])
    op.create_index("ix_tags_merged_into_id", "tags", ["merged_into_id"])
    op.execute("CREATE TABLE thread_tags_old AS SELECT thread_id, tag FROM thread_tags")
    op.drop_index("ix_thread_tags_tag", table_name="thread_tags")
    op.drop_table("thread_tags")
    op.create_table(
        "thread_tags",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name="fk_thread_tags_tag_id_tags"),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name="fk_thread_tags_thread_id_threads"
        ),
        sa.PrimaryKeyConstraint("thread_id", "tag_id", name="pk_thread_tags"),
    )
    op.create_index("ix_thread_tags_tag", "thread_tags", ["tag_id", "thread_id"])
    tags = sa.table("tags", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("created_at", sa.DateTime(timezone=True)))  # fmt: skip
    ids: dict[str, int] = {}
    for (old,) in conn.execute(sa.text("SELECT DISTINCT tag FROM thread_tags_old")).all():
        name = normalize_or_none(old) or normalize_or_none(
            "tag-" + "".join(filter(str.isalnum, old))
        )
        if name is None:
            continue
        if name not in ids:
            conn.execute(tags.insert().values(name=name, created_at=sa.func.now()))
            ids[name] = conn.scalar(sa.select(tags.c.id).where(tags.c.name == name))
        conn.execute(
            sa.text(
                "INSERT INTO thread_tags (thread_id, tag_id) SELECT DISTINCT thread_id, :tag "
                "FROM thread_tags_old WHERE tag = :old AND thread_id NOT IN "
                "(SELECT thread_id FROM thread_tags WHERE tag_id = :tag)"
            ),
            {"tag": ids[name], "old": old},
        )
    op.drop_table("thread_tags_old")
    op.execute(
        "UPDATE tags SET thread_count = (SELECT count(*) FROM thread_tags JOIN threads "
        "ON threads.id = thread_tags.thread_id WHERE thread_tags.tag_id = tags.id "
        "AND NOT threads.removed AND NOT threads.deleted)"
    )


def _status_history(conn) -> None:
    """A status change for each `set_status` entry of the log ("confirmed: the note")."""
    log = conn.execute(
        sa.text(
            "SELECT target_id, moderator_id, reason, created_at FROM mod_actions "
            "WHERE action = 'set_status' AND target_type = 'thread' ORDER BY id"
        )
    ).all()
    changes = sa.table("theory_status_changes", sa.column("thread_id"), sa.column("moderator_id"),
                       sa.column("status"), sa.column("note"), sa.column("created_at"))  # fmt: skip
    known = {row[0] for row in conn.execute(sa.text("SELECT id FROM threads"))} if log else set()
    for thread_id, moderator_id, reason, created_at in log:
        status, _, note = (reason or "").partition(":")
        if status.strip() not in ("open", "confirmed", "debunked") or thread_id not in known:
            continue
        conn.execute(changes.insert().values(thread_id=thread_id, moderator_id=moderator_id,
                                             status=status.strip(), note=note.strip() or None,
                                             created_at=created_at))  # fmt: skip


def _citations(conn, batch: int = 500) -> None:
    """Render again each thread and reply whose body looks like it holds a timestamp, so it
    links its film's scene index, and store what it cites."""
    films = {fid: slug for fid, slug in conn.execute(sa.text("SELECT id, slug FROM films"))}
    for table, query in (
        ("threads", "SELECT t.id, t.id, t.film_id, t.body, NULL FROM threads t"),
        ("posts", "SELECT p.id, p.thread_id, t.film_id, p.body, p.id FROM posts p "
                  "JOIN threads t ON t.id = p.thread_id"),
    ):  # fmt: skip
        alias = "t" if table == "threads" else "p"
        last = 0
        while found := conn.execute(
            sa.text(
                f"{query} WHERE {alias}.id > :last AND {alias}.body LIKE '%[%:%]%' "
                f"ORDER BY {alias}.id LIMIT {batch}"
            ),  # fmt: skip
            {"last": last},
        ).all():
            for row_id, thread_id, film_id, body, post_id in found:
                _cite(conn, table, row_id, thread_id, film_id, films[film_id], body, post_id)
            last = found[-1][0]


def _cite(conn, table, row_id, thread_id, film_id, slug, body, post_id) -> None:
    try:
        rendered = render(body, scenes=SceneLinks(f"/films/{slug}/scenes"))
    except Invalid:  # a body over today's bounds (stored before them): keep it
        return
    if not rendered.moments:
        return
    conn.execute(
        sa.text(f"UPDATE {table} SET body_html = :html, body_safe_html = :safe WHERE id = :id"),
        {"html": rendered.html, "safe": rendered.safe_html, "id": row_id},
    )
    for seconds, hidden in rendered.moments:
        conn.execute(
            sa.text(
                "INSERT INTO scene_citations (film_id, thread_id, post_id, seconds, in_spoiler) "
                "VALUES (:film, :thread, :post, :seconds, :hidden)"
            ),
            {"film": film_id, "thread": thread_id, "post": post_id, "seconds": seconds,
             "hidden": hidden},
        )  # fmt: skip


def downgrade():
    op.drop_index("ix_theory_status_changes_thread", table_name="theory_status_changes")
    op.drop_table("theory_status_changes")
    op.drop_index("ix_scene_citations_post", table_name="scene_citations")
    op.drop_index("ix_scene_citations_thread", table_name="scene_citations")
    op.drop_index("ix_scene_citations_film", table_name="scene_citations")
    op.drop_table("scene_citations")
    op.execute(
        "CREATE TABLE thread_tags_new AS SELECT thread_tags.thread_id AS thread_id, "
        "tags.name AS tag FROM thread_tags JOIN tags ON tags.id = thread_tags.tag_id"
    )
    op.drop_index("ix_thread_tags_tag", table_name="thread_tags")
    op.drop_table("thread_tags")
    op.create_table(
        "thread_tags",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name="fk_thread_tags_thread_id_threads"
        ),
        sa.PrimaryKeyConstraint("thread_id", "tag", name="pk_thread_tags"),
    )
    op.create_index("ix_thread_tags_tag", "thread_tags", ["tag"])
    op.execute(
        "INSERT INTO thread_tags (thread_id, tag) SELECT thread_id, tag FROM thread_tags_new"
    )
    op.drop_table("thread_tags_new")
    op.drop_index("ix_tags_merged_into_id", table_name="tags")
    op.drop_index("ix_tags_used", table_name="tags")
    op.drop_table("tags")
    op.execute("ALTER TABLE threads DROP COLUMN cited_moments")  # in place, on both
    op.execute("ALTER TABLE films DROP COLUMN runtime_minutes")
