"""Search, as a fan uses it: words in any form, "phrases", -exclusions, filters, pages,
only live writing, and nothing a fan types breaks it. Runs on SQLite (FTS5) and on
PostgreSQL (GIN + websearch_to_tsquery) alike."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from forum.extensions import db
from forum.models import Follow, Post, Role, Thread, ThreadKind
from forum.services import moderation, replies, search, threads
from forum.services.errors import BadRequest, Invalid
from forum.services.pagination import encode_cursor


def found(query: str, **kw) -> list[tuple[str, int]]:
    """(type, id) of every hit, newest first."""
    return [("post", h.post.id) if h.post else ("thread", h.thread.id)
            for h in search.search(query, **kw).items]  # fmt: skip


def test_words_match_in_any_form_any_case_title_or_body(ctx, make_thread, make_reply):
    mirrors = make_thread(title="Broken Mirrors", body="Count the shards.")
    reply = make_reply(mirrors, body="Every mirror cracks when she learns the truth.")
    shards = make_thread(title="Glass", body="A MIRROR in every shot.")
    assert found("mirror") == [("thread", shards.id), ("post", reply.id), ("thread", mirrors.id)]
    assert found("MIRRORS shards") == [("thread", mirrors.id)]  # title and body together
    assert found("mirror cracking") == [("post", reply.id)]
    assert found("mirrorball") == []  # words, not substrings


def test_phrases_exclusions_and_alternatives(ctx, make_thread):
    together = make_thread(title="The Ruska Roma raised her", body="and Rooney knew it")
    apart = make_thread(title="Roma is not Ruska", body="the High Table decides")
    ballet = make_thread(title="Ballet shoes", body="tied with blood")
    assert sorted(found("ruska roma")) == sorted([("thread", together.id), ("thread", apart.id)])
    assert found('"ruska roma"') == [("thread", together.id)]
    assert found("ruska -rooney") == [("thread", apart.id)]
    assert found('ruska -"ruska roma"') == [("thread", apart.id)]
    assert found("rooney or ballet") == [("thread", ballet.id), ("thread", together.id)]
    assert found("ruska rooney or table") == [("thread", apart.id), ("thread", together.id)]


def test_found_as_soon_as_written_and_edited(ctx, make_thread, make_reply, make_user):
    author = make_user()
    thread = make_thread(author=author, title="A coin", body="The marker is a debt.")
    post = make_reply(thread, author=author, body="A debt in blood.")
    assert found("marker") == [("thread", thread.id)]
    threads.edit_thread(author, thread, title="A gold coin", body="The oath is a contract.")
    replies.edit_post(author, post, "An oath in blood.")
    assert found("marker") == []
    assert found("oath") == [("post", post.id), ("thread", thread.id)]
    assert found("gold") == [("thread", thread.id)]


def test_only_live_threads_and_replies(ctx, make_thread, make_reply, make_user):
    moderator, author = make_user(role=Role.MODERATOR), make_user()
    live = make_thread(title="Rooney lives")
    removed = make_thread(title="Rooney removed")
    deleted = make_thread(author=author, title="Rooney deleted")
    in_removed = make_reply(removed, body="Rooney again")
    in_deleted = make_reply(deleted, body="Rooney once more")
    removed_reply = make_reply(live, body="Rooney reply removed")
    deleted_reply = make_reply(live, author=author, body="Rooney reply deleted")
    kept = make_reply(live, body="Rooney reply kept")
    moderation.remove_thread(moderator, removed, "spam")
    threads.delete_thread(author, deleted)
    moderation.remove_post(moderator, removed_reply, "spam")
    replies.delete_post(author, deleted_reply)
    hits = found("rooney")
    assert hits == [("post", kept.id), ("thread", live.id)]
    assert not {("post", in_removed.id), ("post", in_deleted.id)} & set(hits)
    moderation.restore_thread(moderator, removed)
    assert ("post", in_removed.id) in found("rooney")


def test_film_and_kind_filters_apply_to_replies_too(ctx, make_film, make_thread, make_reply):
    ballerina, heat = make_film("ballerina"), make_film("heat")
    theory = make_thread(film=ballerina, title="High Table theory", kind=ThreadKind.THEORY)
    question = make_thread(film=ballerina, title="Why", kind=ThreadKind.QUESTION)
    answer = make_reply(question, body="Because the High Table said so.")
    diner = make_thread(film=heat, title="High Table at the diner", kind=ThreadKind.DISCUSSION)
    assert found("high table", film=ballerina) == [("post", answer.id), ("thread", theory.id)]
    assert found("high table", kind=ThreadKind.QUESTION) == [("post", answer.id)]
    assert found("high table", film=heat) == [("thread", diner.id)]
    assert found("high table", film=heat, kind=ThreadKind.THEORY) == []


def test_pages_follow_the_cursor_without_gaps_or_repeats(ctx, make_thread, make_reply):
    made = []
    for i in range(4):
        thread = make_thread(title=f"Mirror theory {i}")
        made += [("thread", thread.id), ("post", make_reply(thread, body="mirror reply").id)]
    seen, cursor, pages = [], None, 0
    while True:
        page = search.search("mirror", cursor=cursor, limit=3)
        seen += [("post", h.post.id) if h.post else ("thread", h.thread.id) for h in page.items]
        pages, cursor = pages + 1, page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert seen == made[::-1]


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "What are you looking for?"),
        ("   ", "What are you looking for?"),
        ("x" * 201, "What are you looking for?"),
        ("-rooney", "Give at least one word to look for."),
        ('-"ruska roma"', "Give at least one word to look for."),
        ("*", "Give at least one word to look for."),
        ('""', "Give at least one word to look for."),
        ("( ) - : ^ + \"'", "Give at least one word to look for."),
        ("or", "Give at least one word to look for."),
        (" ".join(["word"] * 17), "That's too many words to look for."),
    ],
)
def test_queries_without_anything_to_find_are_refused(ctx, query, message):
    with pytest.raises(Invalid, match=message.replace("?", r"\?")) as err:
        search.search(query)
    assert "q" in err.value.fields


@pytest.mark.parametrize(
    "cursor",
    [
        "forged",
        "eyJhIjoxfQ",
        lambda: encode_cursor("threads", ["2024-01-01T00:00:00", "thread", 1]),
        lambda: encode_cursor("search", ["not a date", "thread", 1]),
        lambda: encode_cursor("search", ["2024-01-01T00:00:00", "user", 1]),
        lambda: encode_cursor("search", ["2024-01-01T00:00:00", "thread", "1"]),
        lambda: encode_cursor("search", ["2024-01-01T00:00:00", "thread"]),
    ],
)
def test_forged_cursors_are_bad_requests(ctx, make_thread, cursor):
    make_thread(title="Rooney")
    with pytest.raises(BadRequest):
        search.search("rooney", cursor=cursor() if callable(cursor) else cursor)


SYNTAX = [
    ('"ruska', True),
    ('ruska"', True),
    ("ruska*", True),
    ("(ruska", True),
    ("ruska)", True),
    ("ruska AND roma", True),
    ("ruska OR", True),
    ("OR ruska", True),
    ("ruska -", True),
    ("ruska --rooney", False),
    ("ruska NOT", True),
    ("NEAR(ruska roma)", False),
    ("ruska NEAR roma", False),
    ("title:ruska", False),
    ("^ruska", True),
    ("ruska+roma", True),
    ("'ruska'", True),
    ("ruska; DROP TABLE threads; --", False),
    ("ruska\\", True),
    ("ruska_roma", True),
    ("{ruska}", True),
    ("%ruska%", True),
]


@pytest.mark.parametrize("query, finds", SYNTAX)
def test_database_syntax_is_just_punctuation(ctx, make_thread, query, finds):
    thread = make_thread(title="The Ruska Roma and Rooney", body="She is not of the High Table.")
    assert found(query) == ([("thread", thread.id)] if finds else [])


def test_snippets_never_show_spoilers(ctx, make_thread, make_reply):
    open_thread = make_thread(title="The father", body="Rooney: ||Rooney is her father|| in act 3.")
    reply = make_reply(open_thread, body="Rooney >!dies at >!twice!< the end!< near the mirrors.")
    flagged = make_thread(title="Rooney spoilers", body="Rooney survives.", spoiler=True)
    page = search.search("rooney").items
    hits = {("post", h.post.id) if h.post else ("thread", h.thread.id): h.snippet for h in page}
    assert hits == {
        ("thread", open_thread.id): "Rooney: ░░░ in act 3.",
        ("post", reply.id): "Rooney ░░░ the end!< near the mirrors.",
        ("thread", flagged.id): search.SPOILER_SNIPPET,
    }


@pytest.mark.parametrize("words", ["granddaughter", "father", "survives", "walks", "secret"])
def test_spoilers_are_never_matched(ctx, make_thread, make_reply, words):
    """Inline spoilers (nested ones too) are not searchable; a thread flagged as spoilers
    is found by its title only, and its replies not at all."""
    thread = make_thread(title="Who is Rooney?", body="Rooney ||is Winston's granddaughter||.")
    make_reply(thread, body="intro >!outer ||inner|| secret!< and ||her father||")
    flagged = make_thread(title="The ending", body="Rooney survives.", spoiler=True)
    make_reply(flagged, body="She walks away.")
    assert found(words) == []
    assert found("ending") == [("thread", flagged.id)]


def test_snippet_is_a_window_around_the_first_match(ctx, make_thread):
    body = " ".join(["filler"] * 80) + " the Ruska Roma taught her " + " ".join(["more"] * 80)
    make_thread(title="Long", body=body)
    (hit,) = search.search("roma").items
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "Ruska Roma taught her" in hit.snippet and len(hit.snippet) <= 202


def test_a_page_is_three_queries_whatever_the_number_of_hits(
    ctx, make_thread, make_reply, count_queries
):
    def cost(limit: int) -> int:
        db.session.expunge_all()
        with count_queries() as queries:
            page = search.search("mirror", limit=limit)
            [(h.thread.author.username, h.thread.film.slug, h.thread.tags) for h in page.items]
            [h.post.author.username for h in page.items if h.post]
        assert len(page.items) == limit
        return len(queries)

    for i in range(8):
        make_reply(make_thread(title=f"Mirror {i}", tags=["mirrors"]), body="mirror reply")
    assert cost(2) == cost(12) == 4  # matches; replies; threads; their tags


def test_the_search_uses_the_full_text_index(ctx, make_thread, make_reply):
    make_reply(make_thread(title="Mirrors"), body="mirrors everywhere")
    query = search.page_query(search.parse_terms("mirrors -rooney"), None, None, None, 26)
    sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        # A few rows: tell the planner a scan is out, so it shows the index it can use.
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        db.session.execute(text("SET LOCAL enable_indexscan = off"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
        assert "Bitmap Index Scan on ix_threads_search" in plan, plan
        assert "Bitmap Index Scan on ix_posts_search" in plan, plan
    else:
        plan = "\n".join(row[3] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "SCAN threads_fts VIRTUAL TABLE INDEX" in plan, plan
        assert "SCAN posts_fts VIRTUAL TABLE INDEX" in plan, plan
        assert "SCAN threads\n" not in plan + "\n" and "SCAN posts\n" not in plan + "\n", plan
    db.session.rollback()


def test_the_index_follows_hard_deletes_too(ctx, make_thread, make_reply):
    """Rows are never destroyed by the application, but the index must forget rows that
    are gone (the suite's cleanup, an operator's DELETE): SQLite reuses their ids."""
    thread = make_thread(title="Mirrors")
    make_reply(thread, body="mirrors")
    db.session.execute(Post.__table__.delete())
    db.session.execute(Follow.__table__.delete())  # its author and replier follow it
    db.session.execute(Thread.__table__.delete().where(Thread.id == thread.id))
    db.session.commit()
    coins = make_thread(title="Coins")
    make_reply(coins, body="markers")
    assert found("mirrors") == []
    assert found("coins") == [("thread", coins.id)]


def test_relevance_puts_the_best_match_first_and_new_the_newest(ctx, make_thread, make_reply):
    strong = make_thread(title="The mirror room", body="Mirrors, mirrors: the mirror fight.")
    passing = make_thread(title="Costumes", body="A long note on coats, with a mirror once.")
    reply = make_reply(passing, body="Ties, shoes and tailoring; no glass at all.")
    assert found("mirror", sort="new") == [("thread", passing.id), ("thread", strong.id)]
    assert found("mirror", sort="relevance") == [("thread", strong.id), ("thread", passing.id)]
    assert found("tailoring", sort="relevance") == [("post", reply.id)]


def test_relevance_pages_follow_the_cursor_without_gaps_or_repeats(ctx, make_thread, make_reply):
    made = set()
    for n in range(1, 6):
        thread = make_thread(title=f"Coin {n}", body=" ".join(["coin"] * n + ["debt"] * 5))
        made |= {("thread", thread.id), ("post", make_reply(thread, body="a coin here").id)}
    seen, cursor = [], None
    while True:
        page = search.search("coin", cursor=cursor, limit=3, sort="relevance")
        seen += [("post", h.post.id) if h.post else ("thread", h.thread.id) for h in page.items]
        if not (cursor := page.next_cursor):
            break
    assert len(seen) == len(set(seen)) == 10 and set(seen) == made
    assert seen[:5] == found("coin", sort="relevance", limit=5)


def test_relevance_ranks_a_bounded_number_of_matches(ctx, make_thread, monkeypatch):
    """A word in every post: only the RANKED newest matches of each kind are scored."""
    monkeypatch.setattr(search, "RANKED", 2)
    made = [make_thread(title=f"Marker {n}", body="marker " * (6 - n)) for n in range(5)]
    assert found("marker", sort="relevance") == [("thread", made[3].id), ("thread", made[4].id)]
    assert len(found("marker", sort="new")) == 5


@pytest.mark.parametrize("values", [
    ("search-relevance", ["high", "thread", 1]),
    ("search-relevance", [True, "thread", 1]),
    ("search-relevance", [0.5, "user", 1]),
    ("search", ["2026-01-01T00:00:00", "thread", 1]),  # a `new` cursor
])  # fmt: skip
def test_forged_relevance_cursors_are_bad_requests(ctx, make_thread, values):
    make_thread(title="Coin")
    with pytest.raises(BadRequest):
        search.search("coin", cursor=encode_cursor(*values), sort="relevance")


def test_an_unknown_sort_is_refused(ctx):
    with pytest.raises(Invalid) as err:
        search.search("coin", sort="best")
    assert "sort" in err.value.fields
