"""`flask --app forum bench-data`: a big, deterministic forum for `make bench`.

Same seed, same rows: users, film boards, threads, reply trees and votes, inserted in bulk
with SQLAlchemy Core (executemany), with every stored counter consistent with the rows (reply
counts, vote counts, score, hot, controversy, best, karma, thread counts). Bodies are 1–4
paragraphs of Markdown rendered by the real renderer (`markup.render`), once per body in a
small pool that the rows reuse, so generating a million replies costs a few dozen renders.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, insert, select, text, update
from werkzeug.security import generate_password_hash

from forum.extensions import db
from forum.models import (
    Film,
    Post,
    PostVote,
    TheoryStatus,
    Thread,
    ThreadKind,
    ThreadVote,
    User,
)
from forum.services import markup, ranking

PASSWORD = "bench-data-passphrase"  # every generated account's password
START = datetime(2025, 1, 1, tzinfo=UTC)  # a fixed calendar: the same rows on every run
SPAN = timedelta(days=300)
MAX_DEPTH = 5  # replies nest up to six levels (depth 0–5)
BATCH = 5000  # rows per executemany
SEED = 11


@dataclass(frozen=True)
class Size:
    users: int
    films: int
    threads: int
    replies: int
    biggest: int  # replies in the one megathread (included in `replies`)
    votes: int  # about this many votes on threads and replies together


SIZES = {
    # The shape issue 11 measured Subtext and FlaskBB with.
    "default": Size(users=200, films=5, threads=2_000, replies=38_000, biggest=500, votes=80_000),
    # Premiere night at scale.
    "large": Size(
        users=10_000, films=5, threads=100_000, replies=1_000_000, biggest=5_000, votes=2_000_000
    ),
    # `make bench QUICK=1`: minutes, not hours.
    "quick": Size(users=100, films=5, threads=600, replies=6_000, biggest=500, votes=12_000),
    # The tests.
    "tiny": Size(users=12, films=2, threads=30, replies=200, biggest=40, votes=300),
}

WORDS = (
    "mirror mirror mirror coin contract marker table chair ballet theatre ruska roma high "
    "continental hotel rule blood oath symbol theory scene shot frame colour light shadow "
    "director sequel prequel timeline canon ending opening character motive dream rain glass "
    "door stair corridor neon red blue gold silence music dance knife gun dog pencil book"
).split()
KINDS = list(ThreadKind)


def fill(size: Size, seed: int = SEED, progress: bool = True) -> dict[str, int]:
    """Insert the whole forum into an empty database; returns what was made."""
    rng = random.Random(seed)
    pool = [_body(rng) for _ in range(48)]
    titles = [_title(rng) for _ in range(500)]
    conn = db.session.connection()
    _insert(conn, User, _users(size))
    _insert(conn, Film, _films(size))
    made = _Maker(size, rng, pool, titles)
    bar = _progress(size.threads, progress)
    for thread_rows in made.threads():
        for table, rows in thread_rows.items():
            made.pending.setdefault(table, []).extend(rows)
        bar.update(1)
        if len(made.pending.get(PostVote, ())) + len(made.pending.get(Post, ())) >= BATCH:
            made.flush(conn)
    made.flush(conn)
    bar.close()
    _finish(conn, made)
    db.session.commit()
    return {
        "users": size.users,
        "films": size.films,
        "threads": size.threads,
        "replies": made.post_id,
        "votes": made.vote_count,
    }


def is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


# --- content ------------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    text_ = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
    roll = rng.random()
    if roll < 0.2:
        return text_ + f" **The {rng.choice(WORDS)} matters.**"
    if roll < 0.35:
        return text_ + f" ||{_sentence(rng)}||"
    if roll < 0.45:
        return f"- {_sentence(rng)}\n- {_sentence(rng)}\n- {_sentence(rng)}"
    if roll < 0.55:
        return text_ + f" See [the {rng.choice(WORDS)}](https://example.com/{rng.randrange(999)})."
    if roll < 0.6:
        return f"> {_sentence(rng)}\n\n{text_}"
    return text_


def _body(rng: random.Random) -> dict[str, str]:
    """Markdown of 1–4 paragraphs, its HTML and plain text from the one renderer, once."""
    body = "\n\n".join(_paragraph(rng) for _ in range(rng.randint(1, 4)))
    rendered = markup.render(body)
    return {
        "body": body,
        "body_html": rendered.html,
        "body_text": rendered.text,
        "body_safe_html": rendered.safe_html,
    }


def _title(rng: random.Random) -> str:
    return f"The {rng.choice(WORDS)} is the {rng.choice(WORDS)}: a {rng.choice(WORDS)} theory"


# --- rows ---------------------------------------------------------------------------------


def _users(size: Size) -> list[dict]:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    password_hash = generate_password_hash(PASSWORD, method=method)  # once, shared by all
    joined = START - timedelta(days=60)
    return [
        {
            "id": i,
            "username": f"fan{i:05d}",
            "email": f"fan{i:05d}@bench.invalid",
            "password_hash": password_hash,
            "created_at": joined + timedelta(minutes=i),
        }
        for i in range(1, size.users + 1)
    ]


def _films(size: Size) -> list[dict]:
    return [
        {
            "id": i,
            "slug": f"bench-film-{i}",
            "title": f"Bench Film {i}",
            "year": 2020 + i,
            "synopsis": "A board generated by `flask bench-data`.",
            "thread_count": len(range(i - 1, size.threads, size.films)),
        }
        for i in range(1, size.films + 1)
    ]


def _reply_counts(size: Size, rng: random.Random) -> list[int]:
    """Replies per thread: the megathread in the middle, the rest spread unevenly (many
    short threads, a few long ones) and adding up exactly to `size.replies`."""
    others = size.threads - 1
    weights = [rng.expovariate(1.0) for _ in range(others)]
    total = sum(weights)
    rest = size.replies - size.biggest
    counts = [int(rest * w / total) for w in weights]
    for i in range(rest - sum(counts)):
        counts[i % others] += 1
    counts.insert(size.threads // 2, size.biggest)
    return counts


class _Maker:
    """Makes one thread at a time with its replies and votes; keeps the running ids,
    the karma they give, and the rows not yet inserted."""

    def __init__(self, size: Size, rng: random.Random, pool: list[dict], titles: list[str]):
        self.size, self.rng, self.pool, self.titles = size, rng, pool, titles
        self.counts = _reply_counts(size, rng)
        self.per_item = size.votes / (size.threads + size.replies)
        self.post_id = self.vote_count = 0
        self.karma = [0] * (size.users + 1)
        self.pending: dict[type, list[dict]] = {}

    def threads(self) -> Iterator[dict[type, list[dict]]]:
        step = SPAN / self.size.threads
        for t in range(self.size.threads):
            created = START + step * t + timedelta(seconds=self.rng.randrange(60))
            yield self._thread(t + 1, created, self.counts[t])

    def _thread(self, thread_id: int, created: datetime, replies: int) -> dict[type, list]:
        rng, author = self.rng, self.rng.randrange(self.size.users) + 1
        posts, post_votes, last = self._replies(thread_id, created, replies)
        votes, ups, downs = self._votes(author, created)
        kind = KINDS[thread_id % len(KINDS)]
        thread = {
            "id": thread_id,
            "film_id": (thread_id - 1) % self.size.films + 1,
            "author_id": author,
            "kind": kind,
            "title": rng.choice(self.titles),
            **rng.choice(self.pool),
            "spoiler": rng.random() < 0.1,
            "status": TheoryStatus.OPEN if kind == ThreadKind.THEORY else None,
            "upvotes": ups,
            "downvotes": downs,
            "score": ups - downs,
            "hot": ranking.hot(ups, downs, created),
            "controversy": ranking.controversy(ups, downs),
            "reply_count": replies,
            "created_at": created,
            "last_activity_at": last,
        }
        thread_votes = [{"thread_id": thread_id, **v} for v in votes]
        return {Thread: [thread], Post: posts, ThreadVote: thread_votes, PostVote: post_votes}

    def _replies(self, thread_id: int, created: datetime, n: int):
        rng, posts, votes, open_parents = self.rng, [], [], []
        when = created
        for _ in range(n):
            self.post_id += 1
            when += timedelta(seconds=rng.randrange(30, 3600))
            parent = rng.choice(open_parents[-20:]) if open_parents and rng.random() < 0.6 else None
            depth = parent[1] + 1 if parent else 0
            author = rng.randrange(self.size.users) + 1
            cast, ups, downs = self._votes(author, when)
            posts.append(
                {
                    "id": self.post_id,
                    "thread_id": thread_id,
                    "author_id": author,
                    "parent_id": parent[0] if parent else None,
                    "depth": depth,
                    **rng.choice(self.pool),
                    "upvotes": ups,
                    "downvotes": downs,
                    "score": ups - downs,
                    "best": ranking.wilson_lower_bound(ups, downs),
                    "created_at": when,
                }
            )
            votes.extend({"post_id": self.post_id, **v} for v in cast)
            if depth < MAX_DEPTH:
                open_parents.append((self.post_id, depth))
        return posts, votes, when

    def _votes(self, author: int, created: datetime) -> tuple[list[dict], int, int]:
        """Votes on one item by consecutive users (never its author), and their counts;
        the score goes to the author's karma."""
        rng, users = self.rng, self.size.users
        k = min(users - 1, int(rng.uniform(0, 2 * self.per_item) + 0.5))
        first, up_share = rng.randrange(users), rng.choice((0.95, 0.8, 0.6, 0.45))
        cast = []
        for j in range(k):
            voter = (first + j) % users + 1
            if voter != author:
                value = 1 if rng.random() < up_share else -1
                cast.append({"user_id": voter, "value": value, "created_at": created})
        ups = sum(v["value"] == 1 for v in cast)
        self.karma[author] += 2 * ups - len(cast)
        self.vote_count += len(cast)
        return cast, ups, len(cast) - ups

    def flush(self, conn) -> None:
        for table in (Thread, Post, ThreadVote, PostVote):  # parents before children
            _insert(conn, table, self.pending.pop(table, []))


def _insert(conn, model, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        conn.execute(insert(model.__table__), rows[i : i + BATCH])


def _finish(conn, made: _Maker) -> None:
    """Karma from the votes, and sequences past the explicit ids (PostgreSQL)."""
    rows = [{"uid": uid, "k": k} for uid, k in enumerate(made.karma) if uid and k]
    if rows:
        table = User.__table__
        stmt = update(table).where(table.c.id == bindparam("uid")).values(karma=bindparam("k"))
        conn.execute(stmt, rows)
    if conn.dialect.name == "postgresql":
        for model in (User, Film, Thread, Post):
            name = model.__tablename__
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )  # nosec B608


def _progress(total: int, shown: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit="thread",
        file=sys.stderr,
        disable=not shown,
        desc="bench-data",
        smoothing=0.1,
    )
