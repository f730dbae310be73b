"""How the planner cuts work into stretches and fits them to a window, worked out by hand.

The module docstring of ``planning.planner`` promises that activities are "cut into stretches of at
most 90 minutes with breaks between them, and stretched or shrunk within their duration ranges
until the segment is filled to the minute", keeping "close to the activities' preferred lengths".
These tests pin the two parts of that which a plan's rules alone do not: the balanced cut (the
fewest breaks, with the work kept near its preferred lengths) and the shrinking (time taken from
whichever block has the most to spare, five minutes at a time, so that cuts are shared out).

Each case uses copies of one library activity with durations given here, in a segment of a
six-weekly meeting (stretches of at most 90 minutes, breaks of 15, from 10 to 20).
"""

from __future__ import annotations

from functools import cache

import pytest

from syslead.library.loader import Library, load_library
from syslead.library.models import Activity, Range
from syslead.planning.planner import Segment, fit_segment


@cache
def library() -> Library:
    return load_library()


def activities(*durations: tuple[int, int, int]) -> list[Activity]:
    """Copies of one activity, named a0, a1..., with (least, preferred, most) minutes."""
    base = library().activity("triz")
    return [
        base.model_copy(update={"id": f"a{i}", "duration": Range(min=lo, default=pref, max=hi)})
        for i, (lo, pref, hi) in enumerate(durations)
    ]


def fitted(length: int, *durations: tuple[int, int, int]) -> list[tuple[str, int]] | None:
    """The blocks a segment of ``length`` minutes is laid out in: (activity id or break, minutes)."""
    fmt = library().session_format("six-weekly")
    pieces = fit_segment(Segment(0, length), activities(*durations), fmt)
    if pieces is None:
        return None
    return [(p.activity.id if p.activity else str(p.break_type), p.minutes) for p in pieces]


def test_the_balanced_cut_keeps_two_in_a_stretch_rather_than_adding_a_break() -> None:
    """Three activities of 50 minutes (20 to 80) in 155 minutes.

    Two of them would run 100 minutes, over the 90 of a stretch. The balanced cut takes the
    overrun of 10 minutes (5 from each) rather than a second break (a break is worth 12 minutes of
    stretching or shrinking): 45 + 45, a break of 15, then 50 = 155. One activity per stretch, or
    a cut made only by preferred lengths, needs two breaks and takes 25 minutes from the work:
    40, 15, 40, 15, 45. Packing by least lengths puts all three in one stretch, which cannot
    fill 155 minutes.
    """
    assert fitted(155, *[(20, 50, 80)] * 3) == [
        ("a0", 45),
        ("a1", 45),
        ("break", 15),
        ("a2", 50),
    ]


def test_a_stretch_over_the_limit_is_cut_back_evenly() -> None:
    """Two activities of 60 minutes (40 to 70) in 90 minutes: one stretch, each cut to 45.

    Cutting 30 minutes, five at a time from whichever has more to spare, gives 45 and 45 with no
    break, which costs less than a break between two activities cut to 40 and a break cut to 10.
    """
    assert fitted(90, (40, 60, 70), (40, 60, 70)) == [("a0", 45), ("a1", 45)]


@pytest.mark.parametrize(
    ("durations", "expected"),
    [
        # 80 minutes of preferred work in 60: 20 minutes out, 10 from each.
        (((20, 40, 60), (20, 40, 60)), [("a0", 30), ("a1", 30)]),
        # 90 in 60: the longer one, with more to spare, gives first (50, 45, then level at 40...).
        (((20, 40, 60), (20, 50, 60)), [("a0", 30), ("a1", 30)]),
        # One activity, a window shorter than it would like: it takes the window.
        (((30, 60, 80),), [("a0", 45)]),
    ],
)
def test_a_short_window_shrinks_the_work_sharing_the_cut(
    durations: tuple[tuple[int, int, int], ...], expected: list[tuple[str, int]]
) -> None:
    assert fitted(sum(m for _, m in expected), *durations) == expected


def test_shrinking_stops_at_each_activitys_least() -> None:
    """Below the activities' least lengths (20 + 20) no layout fills 35 minutes."""
    assert fitted(35, (20, 40, 60), (20, 40, 60)) is None
    assert fitted(40, (20, 40, 60), (20, 40, 60)) == [("a0", 20), ("a1", 20)]


def test_shrinking_takes_the_most_from_whoever_has_most_to_spare() -> None:
    """30 and 60 minutes (least 25 and 30) in 70: 20 minutes must go.

    The second has 30 to spare and the first 5, so the second gives every five: 30 and 40.
    """
    assert fitted(70, (25, 30, 60), (30, 60, 80)) == [("a0", 30), ("a1", 40)]


def test_a_long_window_weighs_stretching_against_a_break() -> None:
    """Two of 30 minutes (20 to 60): a break is worth 12 minutes of stretching or shrinking.

    In 70 minutes, stretching each by 5 (10 in all) beats a break (12, and 5 more cut): 35, 35.
    In 80, stretching each by 10 (20 in all) loses to a break of 15 and 5 more for the first
    (12 + 5 = 17): 35, break, 30.
    """
    assert fitted(70, (20, 30, 60), (20, 30, 60)) == [("a0", 35), ("a1", 35)]
    assert fitted(80, (20, 30, 60), (20, 30, 60)) == [("a0", 35), ("break", 15), ("a1", 30)]
