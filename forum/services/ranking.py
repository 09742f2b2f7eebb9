"""Ranking formulas (DESIGN.md: Rankings). Pure functions, pinned by unit tests."""

from __future__ import annotations

import math
from datetime import datetime

REDDIT_EPOCH = 1134028003


def hot(upvotes: int, downvotes: int, created_at: datetime) -> float:
    s = upvotes - downvotes
    order = math.log10(max(abs(s), 1))
    sign = (s > 0) - (s < 0)
    return round(sign * order + (created_at.timestamp() - REDDIT_EPOCH) / 45000, 7)


def controversy(upvotes: int, downvotes: int) -> float:
    if upvotes <= 0 or downvotes <= 0:
        return 0.0
    magnitude = upvotes + downvotes
    balance = min(upvotes, downvotes) / max(upvotes, downvotes)
    return magnitude**balance


def wilson_lower_bound(upvotes: int, downvotes: int, z: float = 1.281551565545) -> float:
    """Lower bound of the Wilson score interval for the up-vote share (80% confidence,
    as Reddit's `best`)."""
    n = upvotes + downvotes
    if n == 0:
        return 0.0
    p = upvotes / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return (centre - spread) / (1 + z * z / n)
