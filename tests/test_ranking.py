"""The ranking formulas of DESIGN.md, pinned on worked examples (computed by hand)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from forum.services.ranking import REDDIT_EPOCH, controversy, hot, wilson_lower_bound

EPOCH = datetime.fromtimestamp(REDDIT_EPOCH, UTC)  # 2005-12-08 07:46:43 UTC
BALLERINA = datetime(2025, 6, 6, tzinfo=UTC)  # 1749168000: (… - 1134028003) / 45000


@pytest.mark.parametrize(
    ("ups", "downs", "created_at", "expected"),
    [
        (0, 0, EPOCH, 0.0),  # no votes at the epoch: nothing
        (10, 0, EPOCH, 1.0),  # log10(10)
        (0, 10, EPOCH, -1.0),  # a negative score sinks by the same amount
        (1, 0, EPOCH, 0.0),  # log10(max(|1|, 1)) = 0: a score of 1 is no lift
        (0, 1, EPOCH, 0.0),
        (100, 0, EPOCH + timedelta(seconds=90_000), 4.0),  # 2 + 90000 / 45000
        (0, 0, BALLERINA, 13669.7777111),  # 615139997 / 45000, rounded to 7 places
        (5, 0, BALLERINA, 13670.4766811),  # + log10(5) = 0.6989700
        (6, 1, BALLERINA, 13670.4766811),  # a tie: only the net score counts
        (0, 5, BALLERINA, 13669.0787411),  # - log10(5)
        (1, 6, BALLERINA, 13669.0787411),
    ],
)
def test_hot(ups, downs, created_at, expected):
    assert hot(ups, downs, created_at) == pytest.approx(expected, abs=1e-7)


def test_hot_trades_twelve_and_a_half_hours_for_ten_times_the_votes():
    later = BALLERINA + timedelta(seconds=45_000)
    assert hot(0, 0, later) == pytest.approx(hot(10, 0, BALLERINA), abs=1e-6)
    assert hot(1, 0, later) > hot(9, 0, BALLERINA)  # newer wins below 10x


def test_hot_reads_the_same_instant_in_any_timezone():
    from zoneinfo import ZoneInfo

    paris = BALLERINA.astimezone(ZoneInfo("Europe/Paris"))
    assert hot(3, 1, paris) == hot(3, 1, BALLERINA)


@pytest.mark.parametrize(
    ("ups", "downs", "expected"),
    [
        (0, 0, 0.0),  # no votes
        (5, 0, 0.0),  # all agree: not controversial at all
        (0, 5, 0.0),
        (1, 1, 2.0),  # (1 + 1) ** (1 / 1)
        (5, 5, 10.0),  # a perfect split is worth every vote
        (3, 1, 4 ** (1 / 3)),  # 1.5874
        (1, 3, 4 ** (1 / 3)),  # symmetric: the same split the other way is a tie
        (6, 4, 10 ** (4 / 6)),  # 4.6416
        (100, 1, 101**0.01),  # 1.0472: a landslide barely registers
    ],
)
def test_controversy(ups, downs, expected):
    assert controversy(ups, downs) == pytest.approx(expected, rel=1e-12)


def test_controversy_prefers_an_even_split_then_more_votes():
    assert controversy(5, 5) > controversy(6, 4) > controversy(9, 1)
    assert controversy(50, 50) > controversy(5, 5)


Z2 = 1.281551565545**2  # 1.6423744…


@pytest.mark.parametrize(
    ("ups", "downs", "expected"),
    [
        (0, 0, 0.0),  # no votes: the bottom, with the all-down replies
        (0, 5, 0.0),  # p = 0: centre and spread are both z²/2n
        (1, 0, 1 / (1 + Z2)),  # p = 1: the bound is n / (n + z²) = 0.378448
        (10, 0, 10 / (10 + Z2)),  # 0.858931
        (1, 1, 0.1642517),
        (6, 4, 0.4013518),
        (4, 6, 0.2295656),
        (10, 1, 0.7394950),
        (100, 1, 0.9674802),
    ],
)
def test_wilson_lower_bound(ups, downs, expected):
    assert wilson_lower_bound(ups, downs) == pytest.approx(expected, abs=1e-7)


def test_best_trusts_many_votes_over_a_lucky_few():
    """Reddit's reason for `best`: 10 up and 1 down beats a lone up-vote, and 100:1 beats
    10:0 even though the share of up-votes is lower."""
    assert wilson_lower_bound(10, 1) > wilson_lower_bound(1, 0)
    assert wilson_lower_bound(100, 1) > wilson_lower_bound(10, 0)
    assert wilson_lower_bound(2, 2) > wilson_lower_bound(1, 1)  # same share, more evidence
    assert all(0 <= wilson_lower_bound(u, d) < u / (u + d) for u, d in [(1, 0), (3, 2), (9, 9)])


def test_formulas_agree_with_the_design_page_written_out():
    """One more time straight from DESIGN.md's text, for a thread with a negative score."""
    created = datetime(2023, 3, 24, 18, 30, tzinfo=UTC)
    s = 3 - 40
    by_hand = -1 * math.log10(37) + (created.timestamp() - 1134028003) / 45000
    assert hot(3, 40, created) == pytest.approx(by_hand, abs=1e-7)
    assert controversy(3, 40) == pytest.approx(43 ** (3 / 40))
    assert s < 0 and hot(3, 40, created) < hot(0, 0, created)
