"""Notifications, follows and mutes; each fan's notification switches

Revision ID: 0017_community
Revises: 0016_world
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_community"
down_revision = "0016_world"
branch_labels = None
depends_on = None

KINDS = ("reply", "mention", "status", "moderation", "activity")
SWITCHES = (  # (column, on by default)
    ("notify_reply", True),
    ("notify_mention", True),
    ("notify_status", True),
    ("notify_moderation", True),
    ("notify_activity", True),
    ("auto_follow", True),
    ("email_digest", False),
)
TIMES = ("digest_sent_at", "following_seen_at")


def _time(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.Enum(*KINDS, name="notificationkind", native_enum=False, length=16),
            nullable=False,
        ),  # fmt: skip
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("read", sa.Boolean(), nullable=False),
        _time("created_at", nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),  # the only key: see the model
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notifications_user", "notifications", ["user_id", "id"])
    op.create_index("ix_notifications_unread", "notifications", ["user_id", "read", "id"])
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("film_id", sa.Integer(), nullable=True),
        sa.Column("tag", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _time("created_at", nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"]),
        sa.ForeignKeyConstraint(["film_id"], ["films.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for target in ("thread", "film", "tag"):
        column = target if target == "tag" else f"{target}_id"
        op.create_index(f"uq_follows_{target}", "follows", ["user_id", column], unique=True)
        op.create_index(f"ix_follows_{target}", "follows", [column, "active"])
    op.create_table(
        "mutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("muted_user_id", sa.Integer(), nullable=True),
        sa.Column("film_id", sa.Integer(), nullable=True),
        sa.Column("tag", sa.String(length=40), nullable=True),
        _time("created_at", nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["muted_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["film_id"], ["films.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("uq_mutes_user", "mutes", ["user_id", "muted_user_id"], unique=True)
    op.create_index("uq_mutes_film", "mutes", ["user_id", "film_id"], unique=True)
    op.create_index("uq_mutes_tag", "mutes", ["user_id", "tag"], unique=True)
    op.create_index("ix_mutes_muted_user", "mutes", ["muted_user_id"])
    # Plain ADD COLUMN (both databases), as 0015 does.
    for name, on in SWITCHES:
        default = sa.true() if on else sa.false()
        op.add_column("users", sa.Column(name, sa.Boolean(), server_default=default, nullable=False))
    for name in TIMES:
        op.add_column("users", _time(name))


def downgrade():
    for name in (*reversed(TIMES), *(name for name, _ in reversed(SWITCHES))):
        op.drop_column("users", name)
    op.drop_table("mutes")
    op.drop_table("follows")
    op.drop_table("notifications")
