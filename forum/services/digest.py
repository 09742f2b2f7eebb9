"""The daily e-mail digest of unread notifications: opt-in (`User.email_digest`), sent only
when MAIL_SERVER is set, by `flask --app forum notify digest` (cron), each mail with a
signed one-click unsubscribe link (RFC 8058 headers too). Spoiler-safe as every channel:
thread titles are spoiler-free, and a status note that settled a spoiler-flagged theory
is withheld unless the fan may read that film's spoilers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import exists, select

from forum.extensions import db
from forum.mail import send_mail
from forum.models import Notification, User, utcnow
from forum.services import notifications, seen
from forum.services.errors import NotFound
from forum.services.permissions import can_read_thread_spoilers

BATCH = 200  # fans read per query
PER_MAIL = 20  # notification groups listed in one mail (the rest: "and N more")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="digest-unsubscribe")


def unsubscribe_token(user: User) -> str:
    return _serializer().dumps(user.id)


def user_for_unsubscribe(token: str) -> User:
    try:
        user_id = _serializer().loads(token)
    except BadSignature as err:
        raise NotFound("That unsubscribe link is not valid.") from err
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise NotFound("That unsubscribe link is not valid.")
    return user


def unsubscribe(user: User) -> None:
    user.email_digest = False
    db.session.commit()


def send_digests(link_for: Callable[[str, dict], str], now: datetime | None = None) -> int:
    """Mail each opted-in fan their unread notifications newer than their last digest.
    `link_for(endpoint, values)` makes absolute links. Answers how many mails went out
    (none without MAIL_SERVER). Fans are read in keyset batches: never the whole table."""
    if not current_app.config.get("MAIL_SERVER"):
        return 0
    now, sent, after = now or utcnow(), 0, 0
    while True:
        fans = list(db.session.scalars(_due(after)))
        for fan in fans:
            sent += _send_one(fan, link_for, now)
        if len(fans) < BATCH:
            return sent
        after = fans[-1].id


def _due(after: int):
    """Opted-in fans with an unread notification since their last digest, after `after`."""
    newer = exists().where(
        Notification.user_id == User.id,
        Notification.read.is_(False),
        (User.digest_sent_at.is_(None)) | (Notification.created_at > User.digest_sent_at),
    )
    return (
        select(User)
        .where(User.email_digest.is_(True), User.id > after, newer)
        .order_by(User.id)
        .limit(BATCH)
    )


def _send_one(fan: User, link_for, now: datetime) -> int:
    page = notifications.notifications_page(fan, unread_only=True, limit=PER_MAIL * 5)
    since = fan.digest_sent_at
    items = [n for n in page.items if since is None or n.created_at > since]
    fan.digest_sent_at = now
    db.session.commit()
    if not items:
        return 0
    groups = notifications.grouped(items)
    seen_ids = seen.seen_film_ids(fan)
    lines = []
    for group in groups[:PER_MAIL]:
        n = group.newest
        lines.append(f"- {describe(group)} “{n.thread.title}”")
        if n.note:
            ok = can_read_thread_spoilers(fan, n.thread, False, seen_ids)
            lines.append(f"  {n.note if ok else notifications.withheld_note(n)}")
        lines.append("  " + link_for("threads.show", {"thread_id": n.thread_id}))
    if len(groups) > PER_MAIL:
        lines.append(f"…and {len(groups) - PER_MAIL} more.")
    stop = link_for("community.unsubscribe", {"token": unsubscribe_token(fan)})
    body = "\n".join(
        [f"Hello {fan.username},", "", "New on Subtext since your last digest:", "", *lines,
         "", "All your notifications: " + link_for("community.notification_list", {}),
         "", f"Stop these e-mails with one click: {stop}"]
    )  # fmt: skip
    headers = {
        "List-Unsubscribe": f"<{stop}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    send_mail(fan.email, "Your Subtext notifications", body, headers, wait=True)
    return 1


def describe(group: notifications.Group) -> str:
    count, kind = len(group.items), group.kind.value
    if kind == "reply":
        return f"{count} repl{'y' if count == 1 else 'ies'} to you in"
    if kind == "mention":
        return "You were mentioned in"
    if kind == "activity":
        if group.newest.post_id is None:
            return "A new thread you follow:"
        return f"{count} new repl{'y' if count == 1 else 'ies'} in"
    if kind == "status":
        return "Your theory's status changed:"
    return "A moderator acted on your writing in"
