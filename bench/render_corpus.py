"""The worst render time over the adversarial Markdown corpus (tests/adversarial_markdown.py).

Each shape goes through markup.render as a reply would; a refused shape counts the time it
took to refuse it. `make bench` reports the worst (speed is measured here, never in tests).
"""

from __future__ import annotations

import time

from forum.services import markup
from forum.services.errors import Invalid
from tests.adversarial_markdown import SHAPES


def time_render(source: str, repeat: int = 3) -> float:
    """The best of `repeat` renders of `source`, in seconds (refusing it included)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            markup.render(source)
        except Invalid:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def worst_render(repeat: int = 3) -> dict:
    """{"shape", "seconds", "chars"}: the corpus' slowest shape to render or refuse."""
    timings = {name: time_render(source, repeat) for name, source in SHAPES.items()}
    name = max(timings, key=timings.__getitem__)
    return {"shape": name, "seconds": round(timings[name], 4), "chars": len(SHAPES[name])}


if __name__ == "__main__":
    for shape, source in SHAPES.items():
        print(f"{shape:24} {time_render(source, 1):7.3f} s  {len(source):6} chars")
    print(worst_render())
