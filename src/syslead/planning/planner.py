"""The session planner: from a request and the library, a timed plan that fills the window exactly.

Pure functions over models. The shape of a plan follows retreat practice for senior groups: open with
purpose and principles; demanding work earlier and lighter work later; a break at least every 90
minutes; in an away-day a locked evening meal followed only by reflective conversation; close with the
key messages each leader takes back and the next meeting.

How it works, in brief. The window is cut into segments by the meal (an away-day has two: the
afternoon, which starts with the opening, and the evening, which ends with the close). For each
attempt, a seeded shuffle of the activities that fit the group is taken; activities are picked to
cover every focus factor and then to fill each segment, ordered along the arc (open, explore, decide,
close), and then *fitted*: cut into stretches of at most 90 minutes with breaks between them, and
stretched or shrunk within their duration ranges until the segment is filled to the minute. The first
attempt whose fit stays close to the activities' preferred lengths is kept; the attempt number is
part of the seed, so the same request and seed always give the same plan.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from syslead.errors import PlanningError, ref
from syslead.library.loader import Library
from syslead.library.models import FACTOR_IDS, Activity, CaseStudy, Move, SessionFormat
from syslead.planning.plan import (
    WORK_KINDS,
    Block,
    BlockKind,
    BreakType,
    Plan,
    PlanRequest,
    to_clock,
    to_minutes,
)
from syslead.planning.planid import plan_id_for

ARC_ORDER = {"open": 0, "explore": 1, "decide": 2, "close": 3}
ENERGY_ORDER = {"high": 0, "medium": 1, "low": 2}
ATTEMPTS = 40
NEXT_MEETING_DAYS = 42
EARLIEST_EVENING_MEAL = 17 * 60
EVENING_BEFORE_CLOSE = 50
"""Minutes of the evening (informal time, a conversation) kept before the close after the meal."""
"""An away-day's meal is an evening meal: it starts at 17:00 or later."""
"""The paper's group met again every six weeks."""

DEFAULT_TITLES = {
    "away-day": "System leadership away session",
    "six-weekly": "System leadership meeting",
    "day": "System leadership day",
}
BREAK_TITLES: dict[BreakType, str] = {
    "break": "Break",
    "arrival": "Arrival and refreshments",
    "free-time": "Free time before the meal",
    "informal": "Informal time together",
}
FREE_TYPES: frozenset[BreakType] = frozenset({"free-time", "informal"})
"""Breaks that absorb spare time (free time before an evening meal, informal time after it)."""

COMMITTED_MOVES: frozenset[Move] = frozenset(
    {"name-power", "budget-rehearsal", "live-issue", "case-study", "shared-business", "review"}
)
"""Moves the planner places on purpose; activities that make them are never picked to fill time."""


@dataclass(frozen=True)
class Span:
    """A flexible length in minutes: the least, the preferred and the most."""

    lo: int
    pref: int
    hi: int


@dataclass
class Piece:
    """One block-to-be inside a segment while it is being fitted."""

    kind: BlockKind
    span: Span
    activity: Activity | None = None
    group: int = -1  # the stretch a work piece belongs to; -1 for breaks
    break_type: BreakType | None = None
    minutes: int = 0


@dataclass
class Segment:
    """A stretch of the window between fixed points (the start, the meal, the end)."""

    start: int
    end: int
    head: Activity | None = None
    tail: Activity | None = None
    evening: bool = False
    free_time: bool = False
    arrival: int = 0
    structured_cap: int | None = None
    min_breaks: int = 0
    fixed: list[Activity] = field(default_factory=list)
    chosen: list[Activity] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Minutes in the segment."""
        return self.end - self.start

    @property
    def capacity(self) -> int:
        """Minutes the segment's work may take: less arrival, and capped after an evening meal."""
        room = self.length - self.arrival
        return room if self.structured_cap is None else min(room, self.structured_cap)


def activity_span(activity: Activity, max_work: int, least: int = 0) -> Span:
    """An activity's duration range, capped so it fits in one stretch of work.

    ``least`` raises the minimum (the time a six-weekly meeting keeps for its own business).
    """
    lo, hi = max(activity.duration.min, least), min(activity.duration.max, max_work)
    lo = min(lo, hi)
    pref = min(max(activity.duration.default, lo), hi)
    rounded = 5 * round(pref / 5)
    if lo <= rounded <= hi:
        pref = rounded  # round lengths keep the agenda's clock times on the five minutes
    return Span(lo, pref, hi)


# --- fitting -----------------------------------------------------------------------------------


BREAK_COST = 12
"""How many minutes of stretching or shrinking activities one extra break is worth avoiding."""


def _partitions(spans: Sequence[Span], max_work: int) -> list[list[list[int]]]:
    """Candidate ways to cut the work items, in order, into stretches of work between breaks.

    The balanced cut (a small dynamic programme) keeps each stretch near the limit without
    overflowing it at preferred lengths; the greedy cuts by preferred and by least length and the
    one-item-per-stretch cut are kept as fall-backs for windows that need more or less time.
    """
    n = len(spans)
    found: list[list[list[int]]] = []
    # best[i]: the cheapest cut of the first i items, as (cost, start of the last stretch).
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    for end in range(1, n + 1):
        for begin in range(end - 1, -1, -1):
            lo = sum(s.lo for s in spans[begin:end])
            if lo > max_work:
                break
            pref = sum(s.pref for s in spans[begin:end])
            cost = best[begin][0] + max(0, pref - max_work) + (BREAK_COST if begin else 0)
            if cost < best[end][0]:
                best[end] = (cost, begin)
    if best[n][0] < float("inf"):
        cut: list[list[int]] = []
        end = n
        while end:
            begin = best[end][1]
            cut.insert(0, list(range(begin, end)))
            end = begin
        found.append(cut)
    measures: tuple[Callable[[Span], int], ...] = (lambda s: s.pref, lambda s: s.lo)
    for measure in measures:
        groups: list[list[int]] = [[]]
        total = 0
        for i, span in enumerate(spans):
            size = measure(span)
            if groups[-1] and total + size > max_work:
                groups.append([])
                total = 0
            groups[-1].append(i)
            total += size
        if groups not in found:
            found.append(groups)
    singles = [[i] for i in range(n)]
    if singles not in found:
        found.append(singles)
    return found


def _cap_stretches(pieces: list[Piece], max_work: int) -> dict[int, int] | None:
    """Start every piece at its preferred length and bring each stretch within the limit.

    Returns each stretch's total minutes, or None when a stretch cannot be shortened enough.
    """
    totals: dict[int, int] = {}
    for piece in pieces:
        piece.minutes = piece.span.pref
        if piece.group >= 0:
            totals[piece.group] = totals.get(piece.group, 0) + piece.minutes
    for group, total in totals.items():
        members = [p for p in pieces if p.group == group]
        excess = total - max_work
        for step in (5, 1):
            while excess >= step:
                best = max(members, key=lambda p: p.minutes - p.span.lo)
                if best.minutes - best.span.lo < step:
                    break
                best.minutes -= step
                excess -= step
        if excess > 0:
            return None
        totals[group] = sum(p.minutes for p in members)
    return totals


@dataclass
class _Stretches:
    """Lengthens and shortens pieces while keeping every stretch of work within its limit."""

    max_work: int
    totals: dict[int, int]

    def room_up(self, piece: Piece, limit: int) -> int:
        room = limit - piece.minutes
        if piece.group >= 0:
            room = min(room, self.max_work - self.totals[piece.group])
        return room

    def change(self, piece: Piece, step: int) -> None:
        piece.minutes += step
        if piece.group >= 0:
            self.totals[piece.group] += step

    def grow(self, tier: list[Piece], limit: Callable[[Piece], int], step: int, left: int) -> int:
        while left >= step:
            best = max(tier, key=lambda p: self.room_up(p, limit(p)), default=None)
            if best is None or self.room_up(best, limit(best)) < step:
                return left
            self.change(best, step)
            left -= step
        return left

    def shrink(self, tier: list[Piece], step: int, left: int) -> int:
        while left >= step:
            best = max(tier, key=lambda p: p.minutes - p.span.lo, default=None)
            if best is None or best.minutes - best.span.lo < step:
                return left
            self.change(best, -step)
            left -= step
        return left


def _distribute(
    pieces: list[Piece], length: int, max_work: int, soft: Callable[[Piece], int]
) -> bool:
    """Set every piece's minutes so that they add up to ``length``; False if impossible.

    Work pieces start at their preferred length. Extra time goes first to work (up to a soft limit),
    then to free time, then to work up to its maximum, then to breaks; missing time comes first from
    free time, then from work, then from breaks. Steps of five minutes are tried before single minutes
    so that clock times stay on round numbers when the window allows.
    """
    totals = _cap_stretches(pieces, max_work)
    if totals is None:
        return False
    stretches = _Stretches(max_work, totals)
    work = [p for p in pieces if p.group >= 0]
    breaks = [p for p in pieces if p.break_type == "break"]
    free = [p for p in pieces if p.break_type in FREE_TYPES]
    delta = length - sum(p.minutes for p in pieces)
    if delta > 0:
        tiers: list[tuple[list[Piece], Callable[[Piece], int]]] = [
            (work, soft),
            (free, lambda p: p.span.hi),
            (work, lambda p: p.span.hi),
            (breaks, lambda p: p.span.hi),
        ]
        for step in (5, 1):
            for tier, limit in tiers:
                delta = stretches.grow(tier, limit, step, delta)
    elif delta < 0:
        missing = -delta
        for step in (5, 1):
            for shrinking in (free, work, breaks):
                missing = stretches.shrink(shrinking, step, missing)
        delta = -missing
    return delta == 0


def _work_pieces(
    segment: Segment, ordered: Sequence[Activity], max_work: int, least: dict[str, int]
) -> list[Piece]:
    """The opening, the chosen activities and the close of a segment, as pieces to fit."""

    def span(activity: Activity) -> Span:
        return activity_span(activity, max_work, least.get(activity.id, 0))

    work: list[Piece] = []
    if segment.head is not None:
        work.append(Piece("opening", span(segment.head), segment.head))
    work += [Piece("activity", span(a), a) for a in ordered]
    if segment.tail is not None:
        work.append(Piece("close", span(segment.tail), segment.tail))
    return work


def _lead_pieces(segment: Segment) -> list[Piece]:
    """What comes before the work: arrival refreshments, and informal time after an evening meal."""
    lead: list[Piece] = []
    if segment.arrival:
        arrival = Span(segment.arrival, segment.arrival, segment.arrival)
        lead.append(Piece("break", arrival, break_type="arrival"))
    if segment.structured_cap is not None:
        floor = max(0, segment.length - segment.arrival - segment.structured_cap)
        lead.append(Piece("break", Span(floor, floor, segment.length), break_type="informal"))
    return lead


def _laid_out(
    segment: Segment, work: list[Piece], partition: list[list[int]], brk: Span, max_work: int
) -> list[Piece] | None:
    """The pieces of one cut into stretches, with breaks between, if its range can fill the segment."""
    pieces = [Piece(p.kind, p.span, break_type=p.break_type) for p in _lead_pieces(segment)]
    lo_total = sum(p.span.lo for p in pieces)
    hi_total = sum(p.span.hi for p in pieces)
    for g, members in enumerate(partition):
        if g:
            pieces.append(Piece("break", brk, break_type="break"))
            lo_total += brk.lo
            hi_total += brk.hi
        group_lo = sum(work[i].span.lo for i in members)
        if group_lo > max_work:
            return None
        lo_total += group_lo
        hi_total += min(max_work, sum(work[i].span.hi for i in members))
        pieces += [Piece(work[i].kind, work[i].span, work[i].activity, group=g) for i in members]
    if segment.free_time:
        free_span = Span(0, 0, 45)
        pieces.append(Piece("break", free_span, break_type="free-time"))
        hi_total += free_span.hi
    return pieces if lo_total <= segment.length <= hi_total else None


def fit_segment(
    segment: Segment,
    ordered: Sequence[Activity],
    fmt: SessionFormat,
    least: dict[str, int] | None = None,
) -> list[Piece] | None:
    """Lay out a segment's activities with breaks so that they fill it exactly, or None.

    ``least`` gives activities a longer minimum than their own (by id).
    """
    max_work = fmt.max_work_minutes
    work = _work_pieces(segment, ordered, max_work, least or {})
    if not work:
        return None
    if segment.structured_cap is not None and sum(p.span.lo for p in work) > segment.capacity:
        return None
    brk = Span(max(5, fmt.break_minutes - 5), fmt.break_minutes, fmt.break_minutes + 5)

    def soft(piece: Piece) -> int:
        return min(piece.span.hi, piece.span.pref + max(5, piece.span.pref // 4))

    best: tuple[float, list[Piece]] | None = None
    for partition in _partitions([p.span for p in work], max_work):
        if len(partition) - 1 < segment.min_breaks:
            continue
        pieces = _laid_out(segment, work, partition, brk, max_work)
        if pieces is not None and _distribute(pieces, segment.length, max_work, soft):
            laid = [p for p in pieces if p.minutes > 0]
            cost = _layout_cost(laid, fmt.break_minutes) + BREAK_COST * (len(partition) - 1)
            if best is None or cost < best[0]:
                best = (cost, laid)
    return best[1] if best else None


def _layout_cost(pieces: Sequence[Piece], break_minutes: int) -> float:
    """How far a fitted layout strays from the activities' preferred lengths and usual breaks."""
    cost = 0.0
    kinds = [p.kind for p in pieces if p.break_type != "arrival"]
    if len(kinds) > 1 and kinds[0] == "opening" and kinds[1] == "break":
        cost += 2 * BREAK_COST  # a group that has just arrived should get into the work first
    if len(kinds) > 1 and kinds[-1] == "close" and kinds[-2] == "break":
        cost += 2 * BREAK_COST  # and a close straight after a break loses the thread of the day
    for piece in pieces:
        if piece.kind in WORK_KINDS:
            cost += abs(piece.minutes - piece.span.pref)
        elif piece.break_type == "free-time":
            cost += max(0, piece.minutes - 30)
        elif piece.break_type == "informal":
            cost += max(0, piece.minutes - piece.span.lo - 30)
        elif piece.break_type == "break":
            cost += abs(piece.minutes - break_minutes)
    return cost


# --- choosing ----------------------------------------------------------------------------------


def _estimate(
    segment: Segment,
    chosen: Sequence[Activity],
    max_work: int,
    break_minutes: int,
    least: dict[str, int],
    *,
    shortest: bool = False,
) -> int:
    """Roughly how long a segment's content runs, breaks included.

    At the activities' preferred lengths, or with ``shortest`` at their least.
    """
    work = [segment.head, *chosen, segment.tail]
    spans = [activity_span(a, max_work, least.get(a.id, 0)) for a in work if a is not None]
    total = sum(s.lo if shortest else s.pref for s in spans)
    breaks = max(segment.min_breaks, -(-total // max_work) - 1)
    return total + breaks * break_minutes


def _ordered(activities: Sequence[Activity]) -> list[Activity]:
    """Along the arc, and within an arc the more demanding work first."""
    return sorted(activities, key=lambda a: (ARC_ORDER[a.arc], ENERGY_ORDER[a.energy]))


@dataclass
class Attempt:
    """One seeded try at a plan: the layout of every segment, and how far it strays from ideal."""

    pieces: list[list[Piece]]
    score: float


@dataclass
class Commitments:
    """What a plan holds on purpose: the paper's moves, placed before anything else is chosen."""

    fixed: list[Activity] = field(default_factory=list)
    least: dict[str, int] = field(default_factory=dict)
    issue: str | None = None
    issue_activity: str | None = None
    case: CaseStudy | None = None
    case_activity: str | None = None
    case_factors: list[str] = field(default_factory=list)
    returns_to: str | None = None
    review_activity: str | None = None
    notes: list[str] = field(default_factory=list)

    def factors_of(self, activity: Activity) -> list[str]:
        """The factors a chosen activity covers (a case-study block covers its case's)."""
        if activity.id == self.case_activity:
            return list(self.case_factors)
        return list(activity.factors)


@dataclass
class Prepared:
    """Everything a request fixes before activities are chosen: window, pool, segments."""

    fmt: SessionFormat
    start: str
    end: str
    focus: list[str]
    pool: list[Activity]
    segments: list[Segment]
    meal: tuple[int, int] | None
    commitments: Commitments
    review: list[str] = field(default_factory=list)


class _Choosing:
    """One attempt's choice of activities: what is used, and how often each focus factor is covered."""

    def __init__(self, prepared: Prepared, rng: random.Random, avoid: Sequence[str]) -> None:
        self.p = prepared
        fmt = prepared.fmt
        order = prepared.pool[:]
        rng.shuffle(order)
        focus = set(prepared.focus)
        order.sort(key=lambda a: not (set(a.factors) & focus))  # stable: focus first, shuffled
        self.order = order
        self.rank = {a.id: i for i, a in enumerate(order)}
        self.avoided = set(avoid)
        self.used: set[str] = set()
        self.families: set[str] = set()
        self.counts = dict.fromkeys(prepared.focus, 0)
        self.max_work, self.brk = fmt.max_work_minutes, fmt.break_minutes
        self.typical = self.max_work * 5 // 6 if fmt.meal is not None else self.max_work // 3
        self.limit = fmt.max_methods if fmt.max_methods is not None else len(order) + 99
        # Power is named before any other conflict work: no conflict activity is chosen for a
        # segment that comes before the one where naming the power is placed.
        self.power_at = next(
            (
                i
                for i, segment in enumerate(prepared.segments)
                if any("name-power" in a.moves for a in segment.fixed)
            ),
            0,
        )
        self.index = {id(segment): i for i, segment in enumerate(prepared.segments)}
        for segment in prepared.segments:
            segment.chosen = []
        for segment in prepared.segments:
            self._start(segment)

    def _start(self, segment: Segment) -> None:
        """The committed activities, and the families and (in short meetings) factors of the ends."""
        for activity in segment.fixed:
            self.take(segment, activity)
        for ends in (segment.head, segment.tail):
            if ends is None:
                continue
            if ends.family:
                self.families.add(ends.family)  # an opening that reviews leaves no room for one
            if self.p.fmt.max_methods is not None:
                # A short meeting with few methods counts its opening and close towards the focus.
                self._count(ends.factors)

    def _count(self, factors: Sequence[str]) -> None:
        for factor in factors:
            if factor in self.counts:
                self.counts[factor] += 1

    def take(self, segment: Segment, activity: Activity) -> None:
        segment.chosen.append(activity)
        self.used.add(activity.id)
        if activity.family:
            self.families.add(activity.family)
        self._count(self.p.commitments.factors_of(activity))

    def free(self, a: Activity) -> bool:
        return a.id not in self.used and (a.family is None or a.family not in self.families)

    def methods(self) -> int:
        return sum(len(s.chosen) for s in self.p.segments)

    def room(self, segment: Segment, *, shortest: bool = False) -> int:
        """The minutes left in a segment at preferred lengths (or if all ran at their shortest)."""
        least = self.p.commitments.least
        used = _estimate(segment, segment.chosen, self.max_work, self.brk, least, shortest=shortest)
        return segment.capacity - used

    def candidates(self, segment: Segment) -> list[Activity]:
        before_power = self.index[id(segment)] < self.power_at
        return [
            a
            for a in self.order
            if self.free(a)
            and (not segment.evening or a.evening)
            and not (before_power and "conflict" in a.factors)
        ]

    def closeness(self, segment: Segment, a: Activity, target: int) -> tuple[bool, bool, int, int]:
        # Activities a series has used come last; so do closing-style activities in a segment that
        # already ends with the close (they would only repeat it). Sizes within twenty minutes of
        # each other count as equal, so that the seed still decides.
        size = abs(activity_span(a, self.max_work).pref - target) // 20
        repeats_close = segment.tail is not None and a.arc == "close"
        return a.id in self.avoided, repeats_close, size, self.rank[a.id]

    def cover(self, segment: Segment, factor: str) -> None:
        """One activity for a focus factor not yet covered, if one fits."""
        if self.counts[factor] or self.methods() >= self.limit:
            return
        at_least = self.room(segment, shortest=True)
        target = min(max(self.room(segment), at_least), self.typical)
        fitting = [
            a
            for a in self.candidates(segment)
            if factor in a.factors and a.duration.min <= at_least
        ]

        def key(a: Activity) -> tuple[bool, bool, int, int, int]:
            # Prefer fresh activities, then those covering more of what is still uncovered.
            used_before, repeats_close, size, order_rank = self.closeness(segment, a, target)
            gain = sum(1 for f in a.factors if self.counts.get(f) == 0)
            return used_before, repeats_close, -gain, size, order_rank

        if fitting:
            self.take(segment, min(fitting, key=key))

    def fill(self, segment: Segment) -> None:
        """Fill the rest, favouring the focus factors with the fewest activities so far."""
        while self.room(segment) > 20 and self.methods() < self.limit:
            gap = self.room(segment)
            fitting = [
                a
                for a in self.candidates(segment)
                if a.id not in self.avoided  # only a factor's own cover may bring one back
                and a.duration.min <= gap - 5
                and a.duration.default >= 15
            ]
            if not fitting:
                return
            target = min(gap, self.typical)

            def key(a: Activity, target: int = target) -> tuple[bool, bool, int, int, int, int]:
                # Spread the time across the focus: prefer activities whose factors all have the
                # fewest activities so far.
                mine = [self.counts[f] for f in a.factors if f in self.counts]
                used_before, repeats_close, size, order_rank = self.closeness(segment, a, target)
                if not mine:
                    return used_before, repeats_close, 99, 99, size, order_rank
                return used_before, repeats_close, max(mine), sum(mine), size, order_rank

            self.take(segment, min(fitting, key=key))

    def covered(self) -> bool:
        return all(self.counts.values())


def _fit_chosen(segment: Segment, fmt: SessionFormat, least: dict[str, int]) -> list[Piece] | None:
    """A segment's chosen activities laid out along the arc, demanding work first where it fits."""
    pieces = fit_segment(segment, _ordered(segment.chosen), fmt, least)
    if pieces is None:
        # Demanding work first can leave a long activity where no stretch takes it; keep the arc,
        # and the order of choice within it, and try once more.
        by_arc = sorted(segment.chosen, key=lambda a: ARC_ORDER[a.arc])
        pieces = fit_segment(segment, by_arc, fmt, least)
    return pieces


def _score(layouts: list[list[Piece]], fmt: SessionFormat, focus: set[str]) -> float:
    score = 0.0
    for pieces in layouts:
        score += _layout_cost(pieces, fmt.break_minutes)
        score += BREAK_COST * sum(p.break_type == "break" for p in pieces)
        for piece in pieces:
            if piece.kind == "activity" and piece.activity is not None:
                score += 0 if set(piece.activity.factors) & focus else 15
    return score


def _attempt(prepared: Prepared, rng: random.Random, avoid: Sequence[str] = ()) -> Attempt | None:
    """One seeded try: choose activities segment by segment, then fit each segment exactly."""
    choosing = _Choosing(prepared, rng, avoid)
    cover_order = list(prepared.focus)
    rng.shuffle(cover_order)  # which factor is served first varies with the seed
    # The evening's choice is narrower, so it chooses first.
    for segment in sorted(prepared.segments, key=lambda s: not s.evening):
        for factor in cover_order:
            choosing.cover(segment, factor)
        choosing.fill(segment)
    if not choosing.covered():
        return None
    layouts = []
    for segment in prepared.segments:
        pieces = _fit_chosen(segment, prepared.fmt, prepared.commitments.least)
        if pieces is None:
            return None
        layouts.append(pieces)
    return Attempt(layouts, _score(layouts, prepared.fmt, set(prepared.focus)))


# --- the plan ----------------------------------------------------------------------------------


def _fits(activity: Activity, request: PlanRequest) -> bool:
    size = activity.group_size
    return request.format in activity.formats and size.min <= request.participants <= size.max


def _a(fmt: str) -> str:
    return f"an {fmt}" if fmt[0] in "aeiou" else f"a {fmt}"


def _pick_structural(library: Library, role: str, request: PlanRequest) -> Activity:
    found = [a for a in library.activities if a.role == role and _fits(a, request)]
    if not found:
        every = [a for a in library.activities if a.role == role and request.format in a.formats]
        sizes = ", ".join(f"{a.id} ({a.group_size.min}-{a.group_size.max})" for a in every)
        raise PlanningError(
            f"no {role} activity for {_a(request.format)} suits a group of {request.participants}"
            + (f"; the {role} activities take these group sizes: {sizes}" if sizes else "")
            + f"; change {ref('participants')}, or add an {role} activity of your own with "
            + ref("playbooks"),
            field="participants",
        )
    # A close that agrees the key messages to cascade first; then one written for this format
    # alone, then by id, so the choice is stable.
    return sorted(found, key=lambda a: ("cascade" not in a.moves, len(a.formats), a.id))[0]


def _segments(
    request: PlanRequest,
    fmt: SessionFormat,
    opening: Activity,
    close: Activity,
    start: int,
    end: int,
) -> tuple[list[Segment], tuple[int, int] | None]:
    length = end - start
    if fmt.meal is None:
        if request.meal is not None:
            raise PlanningError(
                f"{ref('meal')} {request.meal}: {_a(request.format)} has no meal; give it only "
                f"with {ref('format')} away-day or day",
                field="meal",
            )
        least = fmt.arrival_minutes + opening.duration.min + close.duration.min
        if length < least:
            raise PlanningError(
                f"the window {to_clock(start)}-{to_clock(end)} is {length} minutes, too short for "
                f"even the opening and the close (at least {least} minutes)",
                field="end",
            )
        only = Segment(start, end, head=opening, tail=close, arrival=fmt.arrival_minutes)
        return [only], None
    meal_length = fmt.meal.minutes
    before = fmt.arrival_minutes + opening.duration.min
    after = close.duration.min
    least = before + meal_length + after
    what = "evening meal" if fmt.meal.evening else fmt.meal.title.lower()
    if length < least:
        raise PlanningError(
            f"the window {to_clock(start)}-{to_clock(end)} is {length} minutes, too short for "
            f"{_a(request.format)}'s opening, {what} and close (at least {least} minutes); "
            f"use {ref('format')} six-weekly for a shorter meeting",
            field="end",
        )
    meal = _meal_time(request, fmt, start, end, before, after, close)
    if fmt.meal.evening:
        _check_evening(request, meal, start, end, meal_length, _evening_after_meal(close))
        segments = [
            Segment(start, meal, head=opening, free_time=True, arrival=fmt.arrival_minutes),
            Segment(
                meal + meal_length,
                end,
                tail=close,
                evening=True,
                structured_cap=fmt.max_after_meal_minutes,
            ),
        ]
    else:
        halves = fmt.breaks_per_half
        segments = [
            Segment(start, meal, head=opening, arrival=fmt.arrival_minutes, min_breaks=halves),
            Segment(meal + meal_length, end, tail=close, min_breaks=halves),
        ]
    return segments, (meal, meal + meal_length)


def _meal_time(
    request: PlanRequest,
    fmt: SessionFormat,
    start: int,
    end: int,
    before: int,
    after: int,
    close: Activity,
) -> int:
    """When the meal starts: as asked, or as near the format's usual time as the window allows."""
    meal_spec = fmt.meal
    if meal_spec is None:  # pragma: no cover - callers only ask for formats with a meal
        raise PlanningError(f"{_a(request.format)} has no meal")
    meal_length = meal_spec.minutes
    if request.meal is not None:
        meal = to_minutes(request.meal)
        if meal < start + before or meal + meal_length + after > end:
            raise PlanningError(
                f"a meal at {request.meal} leaves no room for the opening before it or the close "
                f"after it; choose a time from {to_clock(start + before)} to "
                f"{to_clock(end - meal_length - after)}",
                field="meal",
            )
        return meal
    usual = to_minutes(meal_spec.start)
    if meal_spec.evening:
        # Leave an evening after the meal.
        evening = _evening_after_meal(close)
        latest = end - meal_length - evening
        if latest < start + before:
            latest = end - meal_length - after
        return max(start + before, min(usual, latest))
    # A lunch sits near its usual time, and never so late that the afternoon has no room.
    latest = end - meal_length - after
    middle = start + (end - start - meal_length) // 2
    wanted = usual if start + before <= usual <= latest else middle
    return max(start + before, min(wanted, latest))


def _evening_after_meal(close: Activity) -> int:
    """The evening an away-day keeps after its meal when the meal's time is not given."""
    return close.duration.default + EVENING_BEFORE_CLOSE


def _check_evening(
    request: PlanRequest, meal: int, start: int, end: int, meal_length: int, after: int
) -> None:
    """An away-day's meal is an evening meal: at 17:00 or later."""
    if meal >= EARLIEST_EVENING_MEAL:
        return
    if request.meal is not None:
        raise PlanningError(
            f"{ref('meal')} {request.meal} is too early: an away-day's meal is an evening meal, "
            f"at {to_clock(EARLIEST_EVENING_MEAL)} or later",
            field="meal",
        )
    # An away-day is an afternoon and an evening; a morning window is a different meeting. The end
    # that works leaves the evening _meal_time keeps after the meal (the close, and time before it).
    latest_end = EARLIEST_EVENING_MEAL + meal_length + after
    raise PlanningError(
        f"an away-day runs into the evening, with its meal at {to_clock(EARLIEST_EVENING_MEAL)} "
        f"or later, but {to_clock(start)}-{to_clock(end)} would put the meal at "
        f"{to_clock(meal)}; end at {to_clock(latest_end)} or later, or use {ref('format')} day "
        "for a daytime session",
        field="end",
    )


# --- commitments -------------------------------------------------------------------------------

MOVE_NAMES: dict[Move, str] = {
    "name-power": "Naming the power in the room",
    "budget-rehearsal": "The fixed-budget rehearsal",
    "live-issue": "Work on the group's live issue",
    "case-study": "A case-study discussion",
    "shared-business": "Time for the group's own shared business",
    "cascade": "Agreeing the key messages to cascade",
    "review": "A review of last time's commitments",
}


STANDING_MOVES: frozenset[Move] = frozenset({"live-issue", "shared-business", "review"})
"""Moves that may come back at every session of a programme: the group's own business, and a
review of overdue actions."""


def wanted_moves(request: PlanRequest, fmt: SessionFormat, focus: Sequence[str]) -> list[Move]:
    """The moves a plan commits to, in the order they run (six-weekly conflict: see commit)."""
    moves: list[Move] = ["review"] if request.review else []
    if "conflict" in focus or "name-power" in request.require:
        moves.append("name-power")
    if request.rehearsal and ("conflict" in focus or "budget-rehearsal" in request.require):
        moves.append("budget-rehearsal")
    if request.format != "six-weekly":
        moves.append("case-study")
    if request.issues or request.returns_to:
        moves.append("live-issue")
    if fmt.business_share:
        moves.append("shared-business")
    return moves


def _providers(library: Library, request: PlanRequest, move: Move) -> list[Activity]:
    """The activities that make a move and suit the request, by id so the choice is stable."""
    found = (
        a
        for a in library.activities
        if move in a.moves and a.role == "activity" and _fits(a, request)
    )
    return sorted(found, key=lambda a: a.id)


def _one_conflict_move(
    library: Library, request: PlanRequest, moves: list[Move], rng: random.Random
) -> list[Move]:
    """A three-hour meeting has room for one of the two conflict moves, chosen by the seed.

    A move the programme requires is kept; else one with an activity not used before, if any.
    """
    pair = ("name-power", "budget-rehearsal")
    both = [m for m in pair if m in moves and _providers(library, request, m)]
    fresh = [
        m for m in both if any(a.id not in request.avoid for a in _providers(library, request, m))
    ]
    required = [m for m in both if m in request.require]
    choices = required or fresh or both
    keep = rng.choice(choices) if choices else "name-power"
    return [m for m in moves if m not in pair or m == keep]


def _provider_for(
    library: Library, request: PlanRequest, move: Move, rng: random.Random, notes: list[str]
) -> Activity | None:
    """The activity that makes a move here (seeded), or None with a note that says why not."""
    found = _providers(library, request, move)
    fresh = [a for a in found if a.id not in request.avoid]
    if not found:
        notes.append(
            f"{MOVE_NAMES[move]} is left out: no activity for it suits "
            f"{_a(request.format)} for {request.participants} people."
        )
        return None
    if not fresh and move not in STANDING_MOVES:
        notes.append(
            f"{MOVE_NAMES[move]} was held at an earlier session of this programme, so this "
            "session does not repeat it."
        )
        return None
    return rng.choice(fresh or found)


def _commit(
    library: Library,
    request: PlanRequest,
    fmt: SessionFormat,
    focus: Sequence[str],
    window: int,
) -> Commitments:
    """Choose the activity for each committed move, seeded, and note what cannot be kept."""
    rng = random.Random(f"syslead-commit:{request.seed}")
    done = Commitments()
    moves = wanted_moves(request, fmt, focus)
    if request.format == "six-weekly" and "name-power" in moves:
        moves = _one_conflict_move(library, request, moves, rng)
    for move in moves:
        if any(move in a.moves for a in done.fixed):
            continue  # a live issue's block is also the group's shared business
        activity = _provider_for(library, request, move, rng, done.notes)
        if activity is None:
            continue
        done.fixed.append(activity)
        if move == "live-issue":
            done.issue_activity = activity.id
            done.issue = request.issues[0] if request.issues else None
            done.returns_to = request.returns_to
        if move == "review":
            done.review_activity = activity.id
        if move == "case-study":
            done.case_activity = activity.id
            done.case, done.case_factors = _case_for(library, focus, rng)
    business = next((a for a in done.fixed if "shared-business" in a.moves), None)
    if business is not None and fmt.business_share:
        need = -(-round(window * fmt.business_share) // 5) * 5
        done.least[business.id] = min(need, business.duration.max, fmt.max_work_minutes)
    return done


def _case_for(
    library: Library, focus: Sequence[str], rng: random.Random
) -> tuple[CaseStudy | None, list[str]]:
    """A case study matched to the focus (seeded), and the focus factors it speaks to."""
    cases = sorted(library.case_studies(), key=lambda c: c.id)
    matched = [c for c in cases if set(c.factors) & set(focus)] or cases
    if not matched:
        return None, []
    case = rng.choice(matched)
    shared = [f for f in case.factors if f in focus]
    return case, shared or list(case.factors)


def _place(
    segments: list[Segment], fixed: list[Activity], fmt: SessionFormat, least: dict[str, int]
) -> None:
    """Put each committed activity in the earliest daytime segment with room, in arc order."""
    daytime = [s for s in segments if not s.evening]
    for segment in segments:
        segment.fixed = []
    position = 0
    for activity in _ordered(fixed):
        for index in range(position, len(daytime)):
            segment = daytime[index]
            estimate = _estimate(
                segment, [*segment.fixed, activity], fmt.max_work_minutes, fmt.break_minutes, least
            )
            if estimate <= segment.capacity or index == len(daytime) - 1:
                segment.fixed.append(activity)
                position = index
                break


def _pool(library: Library, request: PlanRequest, fmt: SessionFormat) -> list[Activity]:
    """The activities the planner may choose to fill time (committed moves are placed apart)."""
    return [
        a
        for a in library.activities
        if a.role == "activity"
        and a.planner
        and _fits(a, request)
        and a.duration.min <= fmt.max_work_minutes
        and not set(a.moves) & COMMITTED_MOVES
    ]


def _check_coverable(
    library: Library,
    request: PlanRequest,
    focus: Sequence[str],
    pool: Sequence[Activity],
    commitments: Commitments,
) -> None:
    """Refuse a focus factor that no activity for this group can cover, saying what would."""
    for factor in focus:
        if any(factor in commitments.factors_of(a) for a in commitments.fixed):
            continue
        if any(factor in a.factors for a in pool):
            continue
        everyone = [a for a in library.activities if factor in a.factors and a.role == "activity"]
        smallest = min((a.group_size.min for a in everyone), default=0)
        largest = max((a.group_size.max for a in everyone), default=0)
        raise PlanningError(
            f"no activity for the factor {factor!r} suits {_a(request.format)} for "
            f"{request.participants} people; its activities take groups of {smallest} to "
            f"{largest}: change {ref('participants')} or drop {ref('focus')} {factor}",
            field="participants",
        )


def _prepare(library: Library, request: PlanRequest) -> Prepared:
    """Check a request against the library and lay out its segments, or raise a PlanningError."""
    fmt = library.session_format(request.format)
    start_clock = request.start or fmt.start
    end_clock = request.end or fmt.end
    start, end = to_minutes(start_clock), to_minutes(end_clock)
    if end <= start:
        raise PlanningError(
            f"the end {end_clock} is not after the start {start_clock} "
            "(sessions must start and end on the same day)",
            field="end",
        )
    focus = list(dict.fromkeys(request.focus)) or list(FACTOR_IDS)
    opening = _pick_structural(library, "opening", request)
    close = _pick_structural(library, "close", request)
    commitments = _commit(library, request, fmt, focus, end - start)
    if "cascade" not in close.moves:
        commitments.notes.append(
            f"The close ({close.title}) does not itself agree the key messages to cascade: "
            "agree them, who carries each and to whom, before the group leaves."
        )
    pool = _pool(library, request, fmt)
    _check_coverable(library, request, focus, pool, commitments)
    segments, meal = _segments(request, fmt, opening, close, start, end)
    _place(segments, commitments.fixed, fmt, commitments.least)
    return Prepared(
        fmt, start_clock, end_clock, focus, pool, segments, meal, commitments, list(request.review)
    )


def _search(prepared: Prepared, request: PlanRequest, *, first: bool = False) -> Attempt | None:
    """Seeded attempts, keeping the best; stop at the first good enough one (or any, with first)."""
    p = prepared
    best: Attempt | None = None
    good_enough = 20 + 0.1 * (to_minutes(p.end) - to_minutes(p.start))
    for attempt in range(ATTEMPTS):
        rng = random.Random(f"syslead-plan:{request.seed}:{attempt}")
        result = _attempt(p, rng, request.avoid)
        if result is not None and (best is None or result.score < best.score):
            best = result
            if first or best.score <= good_enough:
                break
    return best


def plan_session(library: Library, request: PlanRequest) -> Plan:
    """Plan one session, or raise a PlanningError that says why not and what would work."""
    prepared = _prepare(library, request)
    best = _search(prepared, request)
    if best is None:
        raise PlanningError(
            _explain_failure(library, request, prepared.start, prepared.end, prepared.focus),
            field="end",
        )
    start_clock, end_clock, focus = prepared.start, prepared.end, prepared.focus
    blocks = _blocks(best, prepared)
    next_meeting = request.next_meeting or (
        request.date + dt.timedelta(days=NEXT_MEETING_DAYS) if request.date else None
    )
    default_set = library.default_principles()
    principles = default_set.id if default_set else None
    # The planner's output is valid by construction (the property tests check every rule on it), so
    # it is built without running the validators, which a run that only plans never needs.
    return Plan.model_construct(
        title=request.title or DEFAULT_TITLES[request.format],
        date=request.date,
        format=request.format,
        start=start_clock,
        end=end_clock,
        participants=request.participants,
        organisations=list(request.organisations),
        focus=focus,
        seed=request.seed,
        plan_id=plan_id_for(request, start_clock, end_clock, focus),
        principles=principles,
        next_meeting=next_meeting,
        issues=list(request.issues),
        rehearsal=request.rehearsal,
        notes=list(prepared.commitments.notes),
        reasons=list(request.reasons),
        blocks=blocks,
    )


def _blocks(best: Attempt, prepared: Prepared) -> list[Block]:
    fmt, meal, done = prepared.fmt, prepared.meal, prepared.commitments
    blocks: list[Block] = []
    for index, (segment, pieces) in enumerate(zip(prepared.segments, best.pieces, strict=True)):
        if index == 1 and meal is not None and fmt.meal is not None:
            blocks.append(
                Block.model_construct(
                    start=to_clock(meal[0]),
                    end=to_clock(meal[1]),
                    minutes=meal[1] - meal[0],
                    kind="meal",
                    title=fmt.meal.title,
                    locked=True,
                )
            )
        cursor = segment.start
        for piece in pieces:
            activity = piece.activity
            block = Block.model_construct(
                start=to_clock(cursor),
                end=to_clock(cursor + piece.minutes),
                minutes=piece.minutes,
                kind=piece.kind,
                title=activity.title if activity else BREAK_TITLES[piece.break_type or "break"],
                activity=activity.id if activity else None,
                factors=done.factors_of(activity) if activity else [],
                break_type=piece.break_type if activity is None else None,
            )
            if activity is not None:
                _mark_block(block, activity, prepared)
            blocks.append(block)
            cursor += piece.minutes
    return blocks


def _mark_block(block: Block, activity: Activity, prepared: Prepared) -> None:
    """What a committed block carries: the live issue or conflict, the review, the case."""
    done = prepared.commitments
    if activity.id == done.issue_activity:
        block.issue, block.returns_to = done.issue, done.returns_to
    if activity.id == done.review_activity:
        block.reviews = list(prepared.review)
    if activity.id == done.case_activity and done.case:
        block.case_study = done.case.id


def _explain_failure(
    library: Library, request: PlanRequest, start: str, end: str, focus: list[str]
) -> str:
    """Say why no plan fits, and find a nearby window that would."""
    length = to_minutes(end) - to_minutes(start)
    what = f"no plan covers {', '.join(focus)} in {start}-{end} ({length} minutes) for {request.participants} people"
    for direction, label in ((15, "later"), (-15, "earlier")):
        for step in range(1, 25):
            new_end = to_minutes(end) + direction * step
            if not to_minutes(start) < new_end < 24 * 60:
                break
            probe = request.model_copy(update={"start": start, "end": to_clock(new_end)})
            if _quick_ok(library, probe):
                reason = "too short" if direction > 0 else "too long for the activities that fit"
                return (
                    f"{what}: the window is {reason}; {ref('end')} {to_clock(new_end)} would work "
                    f"({label}), or use fewer {ref('focus')} factors"
                )
    return (
        f"{what}; try a different window, fewer {ref('focus')} factors or another "
        f"{ref('participants')}"
    )


def _quick_ok(library: Library, request: PlanRequest) -> bool:
    """Whether a request plans without error (used only to suggest a window that works)."""
    try:
        prepared = _prepare(library, request)
    except PlanningError:
        return False
    return _search(prepared, request, first=True) is not None
