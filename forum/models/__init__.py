"""SQLAlchemy models: typed data about rows, no request or form code."""

from forum.models.base import utcnow
from forum.models.community import Follow, Mute, Notification, NotificationKind
from forum.models.films import Film, Universe
from forum.models.moderation import ModAction, Report, ReportCategory
from forum.models.scenes import SceneCitation, StatusChange
from forum.models.search_index import create_search_index, drop_search_index
from forum.models.seen import Seen
from forum.models.tags import Tag
from forum.models.threads import Post, Revision, TheoryStatus, Thread, ThreadKind, ThreadTag
from forum.models.users import ApiToken, Role, User
from forum.models.votes import PostVote, ThreadVote

__all__ = [
    "ApiToken",
    "Film",
    "Follow",
    "Mute",
    "Notification",
    "NotificationKind",
    "ModAction",
    "Post",
    "PostVote",
    "Report",
    "ReportCategory",
    "Revision",
    "SceneCitation",
    "Role",
    "Seen",
    "StatusChange",
    "Tag",
    "Thread",
    "ThreadKind",
    "ThreadTag",
    "TheoryStatus",
    "ThreadVote",
    "Universe",
    "create_search_index",
    "drop_search_index",
    "User",
    "utcnow",
]
