"""Search: live threads and replies matching the words, newest first or best match first.

Full-text and indexed (forum/models/search_index.py): GIN indexes and
`websearch_to_tsquery` on PostgreSQL, FTS5 `MATCH` on SQLite. Fans type what they would
type into a web search box: words (all must match, in any form: "mirror" finds "mirrors"),
"quoted phrases", `-word` or `-"a phrase"` to leave out, and `or` between alternatives.
We parse that once (`parse_terms`) and hand each database the same query, so nothing a fan
types reaches a database's own syntax. A page is one indexed query plus two loading
queries, paginated by keyset on (created_at, type, id), or for `relevance` on (score, type,
id): the score is `ts_rank` on PostgreSQL and FTS5's `bm25` on SQLite (negated, so higher is
better on both). Ranking reads every match's text, so it ranks the RANKED newest matches of
each kind only: a word in every post costs a bounded page, not one rank per post.

Only the plain, spoiler-free text stored at write time is matched and shown: a spoiler's
text is never found, a thread flagged as spoilers is found by its title only, and its
replies not at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Double,
    and_,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.models import Film, Post, Thread, ThreadKind
from forum.models.search_index import post_document, thread_document
from forum.services import replies
from forum.services.errors import BadRequest, Invalid
from forum.services.pagination import Page, decode_cursor, encode_cursor

MAX_QUERY = 200
MAX_TERMS = 16
SORTS = ("new", "relevance")
RANKED = 1000  # of each kind (threads, replies): the newest matches that `relevance` ranks
# A thread flagged as spoilers (and its replies) never shows its text in results.
SPOILER_SNIPPET = "This thread has spoilers: open it to read."
Phrase = tuple[str, ...]  # one word, or the words of a "quoted phrase"


@dataclass
class Hit:
    thread: Thread
    post: Post | None
    snippet: str


@dataclass
class Results(Page[Hit]):
    """A page of hits, and the words looked for (to mark them in the snippets)."""

    words: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Terms:
    """What to look for: every group must match (a group matches when any of its
    phrases does), and none of `excluded` may."""

    groups: tuple[tuple[Phrase, ...], ...]
    excluded: tuple[Phrase, ...]

    @property
    def words(self) -> list[str]:
        """The words looked for (to find and mark in a snippet)."""
        return [word for group in self.groups for phrase in group for word in phrase]


def search(
    words: str,
    film: Film | None = None,
    kind: ThreadKind | None = None,
    cursor: str | None = None,
    limit: int = 25,
    sort: str = "new",
) -> Results:
    """One page of live threads and replies matching `words`, newest first (`new`) or best
    match first (`relevance`)."""
    if sort not in SORTS:
        raise Invalid("Unknown sort.", {"sort": f"One of {', '.join(SORTS)}."})
    terms = parse_terms(words)
    after = _cursor_values(cursor, sort) if cursor else None
    rows = db.session.execute(page_query(terms, film, kind, after, limit + 1, sort)).all()
    hits = _load(rows[:limit], terms)
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = (
        encode_cursor(_CURSOR[sort], [getattr(last, _KEY[sort]), last.type, last.id])
        if last
        else None
    )
    return Results(hits, next_cursor, terms.words)


_CURSOR = {"new": "search", "relevance": "search-relevance"}
_KEY = {"new": "created_at", "relevance": "score"}


# --- what the fan typed -------------------------------------------------------------------

_CHUNK = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')  # -? then "a phrase" or a bare word
_WORD = re.compile(r"\w+")


def parse_terms(text: str | None) -> Terms:
    """Words, "phrases", -exclusions and `or`, as web search engines read them.
    Punctuation and operators of the databases' own syntaxes are just separators."""
    text = (text or "").strip()
    if not 1 <= len(text) <= MAX_QUERY:
        raise Invalid("What are you looking for?", {"q": f"1–{MAX_QUERY} characters."})
    groups: list[list[Phrase]] = []
    excluded: list[Phrase] = []
    either = False
    for negate, quoted, bare in _CHUNK.findall(text):
        if not quoted and bare.lower() == "or":
            either = bool(groups)
            continue
        phrase = tuple(_WORD.findall((quoted or bare).lower()))
        if not phrase:
            continue
        if negate:
            excluded.append(phrase)
        elif either:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
        either = False
    return _checked(Terms(tuple(map(tuple, groups)), tuple(excluded)))


def _checked(terms: Terms) -> Terms:
    if not terms.groups:
        raise Invalid("Give at least one word to look for.", {"q": "No word to look for."})
    count = len(terms.words) + sum(len(phrase) for phrase in terms.excluded)
    if count > MAX_TERMS:
        raise Invalid("That's too many words to look for.", {"q": f"At most {MAX_TERMS} words."})
    return terms


def websearch_text(terms: Terms) -> str:
    """The terms as PostgreSQL's websearch_to_tsquery reads them."""
    quoted = lambda phrase: '"' + " ".join(phrase) + '"'  # noqa: E731
    groups = [" or ".join(map(quoted, group)) for group in terms.groups]
    return " ".join(groups + ["-" + quoted(phrase) for phrase in terms.excluded])


def fts5_text(terms: Terms) -> str:
    """The terms as an FTS5 query: every word is a quoted string (words are \\w+ only, so
    there is nothing to escape), joined by explicit, parenthesised operators."""
    quoted = lambda phrase: '"' + " ".join(phrase) + '"'  # noqa: E731
    groups = " AND ".join("(" + " OR ".join(map(quoted, group)) + ")" for group in terms.groups)
    return "".join([f"({groups})", *(f" NOT {quoted(phrase)}" for phrase in terms.excluded)])


# --- the query ----------------------------------------------------------------------------


def page_query(
    terms: Terms, film: Film | None, kind: ThreadKind | None, after, limit: int, sort: str = "new"
):
    """The ids of one page of matches: threads and replies, newest or best first."""
    live = [Thread.removed.is_(False), Thread.deleted.is_(False)]
    live += [Thread.film_id == film.id] if film is not None else []
    live += [Thread.kind == kind] if kind is not None else []
    threads = select(
        literal("thread").label("type"),
        Thread.id.label("id"),
        Thread.created_at.label("created_at"),
    ).where(*live, _matches("threads", terms))
    posts = (
        select(
            literal("post").label("type"), Post.id.label("id"), Post.created_at.label("created_at")
        )
        .join(Thread, Post.thread_id == Thread.id)
        .where(
            *live,
            Post.removed.is_(False),
            Post.deleted.is_(False),
            Thread.spoiler.is_(False),
            _matches("posts", terms),
        )
    )
    if sort == "relevance":
        return _ranked_page(terms, threads, posts, after, limit)
    matches = union_all(threads, posts).subquery()
    query = select(matches.c.type, matches.c.id, matches.c.created_at)
    if after is not None:
        query = query.where(_after(matches.c.created_at, matches, after))
    order = (matches.c.created_at.desc(), matches.c.type.desc(), matches.c.id.desc())
    return query.order_by(*order).limit(limit)


def _ranked_page(terms: Terms, threads, posts, after, limit: int):
    """Best match first: the RANKED newest matches of each kind, scored, then keyset-paged
    on (score, type, id)."""
    arms = []
    for name, arm, model in (("threads", threads, Thread), ("posts", posts, Post)):
        newest = arm.order_by(model.created_at.desc(), model.id.desc()).limit(RANKED).subquery()
        score = _score(name, terms, newest.c.id)
        arms.append(select(newest.c.type, newest.c.id, newest.c.created_at, score.label("score")))
    matches = union_all(*arms).subquery()
    query = select(matches.c.type, matches.c.id, matches.c.created_at, matches.c.score)
    if after is not None:
        query = query.where(_after(matches.c.score, matches, after))
    order = (matches.c.score.desc(), matches.c.type.desc(), matches.c.id.desc())
    return query.order_by(*order).limit(limit)


def _score(table_name: str, terms: Terms, row_id) -> ColumnElement[float]:
    """How well one row matches, higher is better: a correlated scalar per ranked row."""
    if db.session.get_bind().dialect.name == "postgresql":
        document = thread_document if table_name == "threads" else post_document
        query = func.websearch_to_tsquery(literal_column("'english'"), websearch_text(terms))
        source = table(table_name, column("id"))
        rank = func.ts_rank(literal_column(document(f"{table_name}.")), query)
        found = select(cast(rank, Double)).select_from(source).where(source.c.id == row_id)
        return found.scalar_subquery()
    fts = table(f"{table_name}_fts", column("rowid"))
    found = select(-func.bm25(literal_column(fts.name))).where(
        literal_column(fts.name).op("MATCH")(fts5_text(terms)), fts.c.rowid == row_id
    )
    return found.scalar_subquery()


def _matches(table_name: str, terms: Terms) -> ColumnElement[bool]:
    """The rows of `table_name` matching: through its GIN index or its FTS5 table."""
    if db.session.get_bind().dialect.name == "postgresql":
        document = thread_document if table_name == "threads" else post_document
        query = func.websearch_to_tsquery(literal_column("'english'"), websearch_text(terms))
        return literal_column(document(f"{table_name}.")).op("@@")(query)
    fts = table(f"{table_name}_fts", column("rowid"))
    found = select(fts.c.rowid).where(literal_column(fts.name).op("MATCH")(fts5_text(terms)))
    return literal_column(f"{table_name}.id").in_(found)


def _cursor_values(cursor: str, sort: str) -> tuple:
    values = decode_cursor(cursor, _CURSOR[sort])
    try:
        first, kind, item_id = values
        if kind not in ("thread", "post") or not isinstance(item_id, int):
            raise ValueError
        if sort == "relevance":
            if not isinstance(first, (int, float)) or isinstance(first, bool):
                raise ValueError
            return float(first), kind, item_id
        return datetime.fromisoformat(first), kind, item_id
    except (TypeError, ValueError) as err:
        raise BadRequest("That page link is not valid.", {"cursor": "not a valid cursor"}) from err


def _after(key, matches, values: tuple) -> ColumnElement[bool]:
    """After the last row of the previous page in (key, type, id), all descending."""
    first, kind, item_id = values
    c = matches.c
    return or_(
        key < first,
        and_(key == first, c.type < kind),
        and_(key == first, c.type == kind, c.id < item_id),
    )


# --- loading and snippets -----------------------------------------------------------------


def _load(rows, terms: Terms) -> list[Hit]:
    """The threads and replies of a page: two queries whatever its size."""
    threads, posts = replies.with_threads(
        (row.id for row in rows if row.type == "post"),
        (row.id for row in rows if row.type == "thread"),
        joinedload(Thread.film),
        selectinload(Thread.tag_list),
    )
    hits = []
    for row in rows:
        post = posts.get(row.id) if row.type == "post" else None
        thread = threads[post.thread_id if post else row.id]
        text = (
            SPOILER_SNIPPET if thread.spoiler else snippet((post or thread).body_text, terms.words)
        )
        hits.append(Hit(thread, post, text))
    return hits


def snippet(text: str, words: list[str], width: int = 200) -> str:
    """A short window of a stored plain, spoiler-free text (markup.render's, made at write
    time: nothing is rendered or sanitized on a read) around the first word found."""
    text = " ".join(text.split())
    found = word_pattern(words).search(text)
    at = found.start() if found else 0
    start = max(at - width // 3, 0)
    window = text[start : start + width].strip()
    return ("…" if start else "") + window + ("…" if start + width < len(text) else "")


def word_pattern(words: list[str]) -> re.Pattern[str]:
    """The words at the start of a word, loosely stemmed ("mirrors" finds "mirror")."""
    roots = sorted({w[:-2] if len(w) > 5 else w for w in words}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, roots)) + r")\w*", re.IGNORECASE)
