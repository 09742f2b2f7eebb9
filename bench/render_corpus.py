"""The worst render over an adversarial corpus, for `make bench`.

A minimal stand-in: engineer "cost" owns the real corpus (issue 9); the benchmark only needs
`worst_render() -> {"shape", "seconds", "chars"}`. Each shape is a body as long as a body may
be, built to make a Markdown renderer work hard; the slowest render of each is timed.
"""

from __future__ import annotations

import time

from forum.services import markup

LIMIT = 40_000  # characters a body may have


def _fill(unit: str) -> str:
    return (unit * (LIMIT // len(unit) + 1))[:LIMIT]


SHAPES = {
    "nested quotes": lambda: ">" * 5_000 + " deep",
    "nested lists": lambda: "".join("  " * i + "- item\n" for i in range(200))[:LIMIT],
    "unclosed emphasis": lambda: _fill("*a _b "),
    "unclosed links": lambda: _fill("[a]("),
    "spoiler markers": lambda: _fill("||x >!y "),
    "autolinks": lambda: _fill("https://example.com/a "),
    "backticks": lambda: _fill("`a ``b "),
    "entities": lambda: _fill("&amp;&#x41;&lt; "),
    "one long word": lambda: "a" * LIMIT,
}


def worst_render(repeat: int = 3) -> dict:
    """The shape that takes the renderer longest (best of `repeat` runs each)."""
    worst = {"shape": "", "seconds": 0.0, "chars": 0}
    for shape, make in SHAPES.items():
        body = make()
        seconds = min(_time(body) for _ in range(repeat))
        if seconds > worst["seconds"]:
            worst = {"shape": shape, "seconds": seconds, "chars": len(body)}
    return worst


def _time(body: str) -> float:
    start = time.perf_counter()
    markup.render(body)
    return time.perf_counter() - start
