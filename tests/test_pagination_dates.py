"""Keyset cursors over a time column (`sort=new`, the moderation log) decode again."""

from __future__ import annotations

import re


def test_the_second_page_of_a_board_sorted_by_new(client, make_film, make_thread):
    film = make_film()
    titles = [make_thread(film=film, title=f"Theory number {i:02d}").title for i in range(7)]
    first = client.get(f"/films/{film.slug}?sort=new").get_data(as_text=True)
    link = re.search(r'href="([^"]*cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(link)
    assert second.status_code == 200
    shown = re.findall(r"Theory number \d\d", first + second.get_data(as_text=True))
    assert shown == list(reversed(titles))
