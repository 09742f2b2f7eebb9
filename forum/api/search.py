"""Search over live threads and replies."""

from __future__ import annotations

from forum import limits
from forum.api import api_user, bp, reveal_spoilers, seen_ids
from forum.api.parsing import query, query_limit
from forum.api.schemas import post_json, thread_json
from forum.services import films, search, threads, votes
from forum.services.errors import Invalid
from forum.services.permissions import can_read_thread_spoilers


@bp.get("/search")
@limits.search
def search_forum():
    words = query("q")
    if words is None:
        raise Invalid("What are you looking for?", {"q": "Required."})
    if len(words) > search.MAX_QUERY:  # as sent: the document's maxLength
        raise Invalid("What are you looking for?", {"q": f"1–{search.MAX_QUERY} characters."})
    film = films.get_film(query("film")) if query("film") else None
    kind = threads.parse_kind(query("kind")) if query("kind") else None
    page = search.search(words, film, kind, query("cursor"), query_limit(), query("sort", "new"))
    return {"results": _results(page.items), "next_cursor": page.next_cursor}


def _results(hits: list[search.Hit]) -> list[dict]:
    viewer, seen, reveal = api_user(), seen_ids(), reveal_spoilers()
    ok = {hit.thread.id: can_read_thread_spoilers(viewer, hit.thread, reveal, seen) for hit in hits}
    mine = votes.my_votes(
        viewer, [hit.thread.id for hit in hits], [hit.post.id for hit in hits if hit.post]
    )
    return [
        {
            "type": "post" if hit.post else "thread",
            "thread": thread_json(hit.thread, viewer, mine.thread(hit.thread.id), seen, reveal),
            "post": post_json(hit.post, viewer, ok[hit.thread.id], mine.post(hit.post.id))
            if hit.post
            else None,
            "snippet": hit.snippet,
        }
        for hit in hits
    ]
