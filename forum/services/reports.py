"""Reports: a signed-in fan flags a thread or a reply once; moderators work the queue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Post, Report, ReportCategory, Thread, User, utcnow
from forum.services import replies, threads
from forum.services.errors import Conflict, Invalid, NotFound, parse_choice
from forum.services.moderation import check_reason, lock_row, write_log
from forum.services.pagination import Page, keyset_page
from forum.services.permissions import (
    can_read_post,
    can_report,
    can_view_reports,
    require,
)

TARGET_TYPES = ("thread", "post")


@dataclass
class QueuedReport:
    """An open report with what it is about: the thread, and the reply when it is one."""

    report: Report
    thread: Thread
    post: Post | None = None


def report(
    user: User,
    target_type: str,
    target_id: int,
    reason: str | None,
    category: ReportCategory | str = ReportCategory.OTHER,
) -> Report:
    """Flag a thread or a reply for the moderators: a reason picked from the list, and a
    note (`reason`), which "other" needs; once per item."""
    require(can_report(user))
    target = report_target(user, target_type, target_id)
    require(can_report(user, target))
    category = parse_choice(ReportCategory, category, "category", "report reason")
    reason = check_reason(reason, required=category is ReportCategory.OTHER) or ""
    if _already_reported(user, target_type, target.id):
        raise Conflict("You have already reported this.")
    flag = Report(
        reporter_id=user.id,
        target_type=target_type,
        target_id=target.id,
        reason=reason,
        category=category.value,
    )
    db.session.add(flag)
    try:
        db.session.commit()
    except IntegrityError as err:  # the same report sent twice at once
        db.session.rollback()
        raise Conflict("You have already reported this.") from err
    return flag


def report_target(user: User | None, target_type: str, target_id: int) -> Thread | Post:
    """The thread or reply this user may read, or NotFound (Invalid for a bad type)."""
    if target_type not in TARGET_TYPES:
        raise Invalid("Report a thread or a reply.", {"target_type": "thread or post"})
    if not isinstance(target_id, int) or isinstance(target_id, bool):
        raise Invalid("Which one?", {"target_id": "A thread or reply id."})
    if target_type == "thread":
        return threads.get_visible_thread(target_id, user)
    post = replies.get_visible_post(target_id, user)
    require(can_read_post(user, post))
    return post


def _already_reported(user: User, target_type: str, target_id: int) -> bool:
    return (
        db.session.scalar(
            select(Report.id).where(
                Report.reporter_id == user.id,
                Report.target_type == target_type,
                Report.target_id == target_id,
            )
        )
        is not None
    )


def report_queue(
    moderator: User, cursor: str | None = None, limit: int = 25, by_category: bool = False
) -> Page[QueuedReport]:
    """The open reports, oldest first, each with the reported thread or reply; with
    `by_category`, grouped by the reason picked (then oldest first in each group)."""
    require(can_view_reports(moderator))
    query = select(Report).where(Report.status == "open").options(joinedload(Report.reporter))
    if by_category:
        keys = [(Report.category, False), (Report.id, False)]
        page = keyset_page(query, "reports-by-category", keys, cursor, limit)
    else:
        page = keyset_page(query, "reports", [(Report.id, False)], cursor, limit)
    return Page(_with_targets(page.items), page.next_cursor)


def _with_targets(found: list[Report]) -> list[QueuedReport]:
    """Attach targets in two queries whatever the page size."""
    by_id, posts = replies.with_threads(
        (r.target_id for r in found if r.target_type == "post"),
        (r.target_id for r in found if r.target_type == "thread"),
    )
    queued = []
    for r in found:
        post = posts.get(r.target_id) if r.target_type == "post" else None
        thread = by_id.get(post.thread_id if post else r.target_id)
        if thread is not None:
            queued.append(QueuedReport(r, thread, post))
    return queued


def get_report(report_id: int) -> Report:
    found = db.session.get(Report, report_id) if 0 < report_id < 2**31 else None
    if found is None:
        raise NotFound("No such report.")
    return found


def resolve_report(moderator: User, report: Report, note: str | None = None) -> Report:
    """Close a report as acted on (the action itself, a removal say, is logged apart)."""
    return _close(moderator, report, "resolved", note)


def dismiss_report(moderator: User, report: Report, note: str | None = None) -> Report:
    """Close a report as needing nothing."""
    return _close(moderator, report, "dismissed", note)


def _close(moderator: User, report: Report, status: str, note: str | None) -> Report:
    require(can_view_reports(moderator))
    note = check_reason(note, field="note")
    report = lock_row(report)
    if report.status != "open":
        raise Conflict(f"This report is already {report.status}.")
    report.status, report.handled_by_id, report.handled_at = status, moderator.id, utcnow()
    target = db.session.get(Thread if report.target_type == "thread" else Post, report.target_id)
    action = "resolve_report" if status == "resolved" else "dismiss_report"
    write_log(moderator, action, target, note)
    db.session.commit()
    return report
