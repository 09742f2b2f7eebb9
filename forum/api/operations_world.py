"""The film world's operations (README, API: "The film world"): universes, tags, scene
indexes, theory records. Keyed "METHOD /path" as routed, like operations.py."""

from __future__ import annotations

from forum.api.openapi_parts import CURSOR, LIMIT, REVEAL, json_body, op, param, text
from forum.api.schemas_doc import BOOLEAN, INTEGER, STRING, URL, _nullable, _object, ref
from forum.api.threads import TAG_NAME_PATTERN
from forum.api.world import MAX_FILMS, MAX_PREFIX, MAX_TAG_NAME, SUGGEST_LIMIT
from forum.models import TheoryStatus, ThreadKind
from forum.services import moderation, threads

TAG_COUNT = _object(name=STRING, thread_count=INTEGER)
TAG = _object(
    name=STRING,
    thread_count=INTEGER,
    films={
        "type": "array",
        "items": _object(film=STRING, title=STRING, thread_count=INTEGER),
    },
    html_url=URL,
)
UNIVERSE_FILM = _object(
    slug=STRING,
    title=STRING,
    year=INTEGER,
    timeline_order=_nullable(INTEGER),
    html_url=URL,
    release_date={"type": ["string", "null"], "format": "date"},
    runtime_minutes=_nullable(INTEGER),
    thread_count=INTEGER,
    story_place=INTEGER,
    release_place=INTEGER,
    top_theory={"oneOf": [ref("Thread"), {"type": "null"}]},
    confirmed_theories={"type": "array", "items": ref("Thread")},
)
UNIVERSE = _object(
    slug=STRING,
    name=STRING,
    description=STRING,
    films={"type": "array", "items": UNIVERSE_FILM},
    release_order={"type": "array", "items": STRING},
    busiest_tags={"type": "array", "items": TAG_COUNT},
    html_url=URL,
)
TIMESTAMP = {"type": "string", "pattern": r"^([0-9]+:)?[0-9]{1,2}:[0-9]{2}$"}
CITATION = _object(
    seconds=INTEGER,
    timestamp=TIMESTAMP,
    thread_id=INTEGER,
    post_id=_nullable(INTEGER),
    title=STRING,
    author=STRING,
    in_spoiler=BOOLEAN,
    html_url=URL,
)
MOMENT = _object(seconds=INTEGER, timestamp=TIMESTAMP, count=INTEGER, post_id=_nullable(INTEGER))
STATUS = {"type": "string", "enum": [s.value for s in TheoryStatus]}
STATUS_CHANGE = _object(
    id=INTEGER,
    status=STATUS,
    previous={"type": ["string", "null"], "enum": [*(s.value for s in TheoryStatus), None]},
    note=_nullable(STRING),
    note_withheld=BOOLEAN,
    moderator=STRING,
    film=_nullable(STRING),
    seconds=_nullable(INTEGER),
    timestamp={**TIMESTAMP, "type": ["string", "null"]},
    created_at={"type": "string", "format": "date-time"},
)
THREAD_PAGE = _object(threads={"type": "array", "items": ref("Thread")},
                      next_cursor={"type": ["string", "null"]})  # fmt: skip
TAG_NAME = text(
    "A tag's name: up to 40 letters (accents are dropped), digits, spaces, -, _ and ', "
    "normalized as tags are (`Ruska Roma` → `ruska-roma`).",
    pattern=TAG_NAME_PATTERN,
    maxLength=MAX_TAG_NAME,
)
REASON = text("For the public moderation log.", nullable=True, maxLength=moderation.MAX_REASON)
TAG_SORTS = [
    param("sort", {"type": "string", "enum": list(threads.SORTS), "default": "hot"}, "Order."),
    param(
        "t",
        {"type": "string", "enum": list(threads.WINDOWS), "default": "all"},
        "Time window for `top` and `controversial`.",
    ),
    param("kind", {"type": "string", "enum": [k.value for k in ThreadKind]}, "Only this kind."),
    param("status", STATUS, "Only theories with this status."),
    param("film", {"type": "string"}, "Only this film's threads (a slug; 404 if none)."),
    LIMIT,
    CURSOR,
    REVEAL,
]

OPERATIONS: dict[str, dict] = {
    "GET /universes/{slug}": op(
        "A universe: its films in story order (each with its places in story and release "
        "order, thread count, top theory and confirmed theories), the release order, and "
        "its busiest tags.",
        (200, UNIVERSE),
        (404, 422),
        query=[REVEAL],
    ),
    "PUT /universes/{slug}/order": op(
        "Put a universe's films in story order (admins): every film of the universe once, "
        "first to last; their `timeline_order` becomes 1, 2, 3… Logged as `order_films`.",
        (200, UNIVERSE),
        (403, 404),
        auth=True,
        body=json_body(
            {
                "films": {
                    "type": "array",
                    "items": {"type": "string", "pattern": r"^[a-z0-9-]{1,80}$"},
                    "maxItems": MAX_FILMS,
                    "description": "Film slugs, first to last: each film of the universe once "
                    "(422 otherwise).",
                },
                "reason": REASON,
            },
            ["films"],
        ),
    ),
    "GET /tags": op(
        "Tags whose name starts with `prefix` (normalized as tags are), most used first: "
        "what the thread form suggests as you type. Without `prefix`, the most used tags.",
        (200, _object(tags={"type": "array", "items": TAG_COUNT})),
        (422,),
        query=[
            param("prefix", {"type": "string", "maxLength": MAX_PREFIX}, "What was typed."),
            param(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
                f"How many (at most {SUGGEST_LIMIT} are sent).",
            ),
        ],
    ),
    "GET /tags/{name}": op(
        "A tag (an old or merged name answers for the tag that replaced it): its live "
        "threads and the films they are in.",
        (200, TAG),
        (404,),
    ),
    "GET /tags/{name}/threads": op(
        "A page of the tag's live threads across every film, with the board sorts and filters.",
        (200, THREAD_PAGE),
        (404, 422),
        query=TAG_SORTS,
    ),
    "POST /tags/{name}/rename": op(
        "Rename a tag (moderators); its old name stays as an alias that leads to it. "
        "409 when the name is another live tag's (merge instead). Logged as `rename_tag`.",
        (200, TAG),
        (403, 404, 409),
        auth=True,
        body=json_body({"name": TAG_NAME, "reason": REASON}, ["name"]),
    ),
    "POST /tags/{name}/merge": op(
        "Merge a tag into another (moderators): its threads move there and its name leads "
        "there. Answers the tag merged into. Logged as `merge_tag`.",
        (200, TAG),
        (403, 404, 409),
        auth=True,
        body=json_body(
            {"into": {**TAG_NAME, "description": "The tag to merge into."}, "reason": REASON},
            ["into"],
        ),  # fmt: skip
    ),
    "GET /films/{slug}/scenes": op(
        "The film's scene index: every moment its live threads and replies cite, in film "
        "order. Moments inside spoilers, and in spoiler-flagged threads, are left out unless "
        "you may read the film's spoilers.",
        (
            200,
            _object(
                scenes={"type": "array", "items": CITATION},
                next_cursor={"type": ["string", "null"]},
            ),
        ),  # fmt: skip
        (404, 422),
        query=[LIMIT, CURSOR, REVEAL],
    ),
    "GET /threads/{thread_id}/scenes": op(
        "The moments a thread and its replies cite, in film order, with how often and the "
        "first reply citing each (null: the thread's own text).",
        (200, _object(scenes={"type": "array", "items": MOMENT})),
        (404, 422),
        query=[REVEAL],
    ),
    "GET /threads/{thread_id}/status-history": op(
        "A theory's status changes, oldest first (empty for other kinds). The note of a "
        "spoiler-flagged theory is withheld unless you may read its film's spoilers.",
        (200, _object(changes={"type": "array", "items": STATUS_CHANGE})),
        (404, 422),
        query=[REVEAL],
    ),
    "GET /users/{username}/theories": op(
        "A user's theories by status: how many are open, confirmed and debunked, and a page "
        "of their live theories (only those with `status`, when given), newest first.",
        (
            200,
            _object(
                counts=_object(**{s.value: INTEGER for s in TheoryStatus}),
                threads={"type": "array", "items": ref("Thread")},
                next_cursor={"type": ["string", "null"]},
            ),
        ),
        (404, 422),
        query=[param("status", STATUS, "Only theories with this status."), LIMIT, CURSOR, REVEAL],
    ),
}
