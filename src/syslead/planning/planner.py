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
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from syslead.errors import PlanningError, SysleadError
from syslead.library.loader import Library
from syslead.library.models import FACTOR_IDS, Activity, SessionFormat
from syslead.planning.plan import (
    WORK_KINDS,
    Block,
    BlockKind,
    Plan,
    PlanRequest,
    to_clock,
    to_minutes,
)

ARC_ORDER = {"open": 0, "explore": 1, "decide": 2, "close": 3}
ENERGY_ORDER = {"high": 0, "medium": 1, "low": 2}
ATTEMPTS = 40
NEXT_MEETING_DAYS = 42
EARLIEST_EVENING_MEAL = 17 * 60
"""An away-day's meal is an evening meal: it starts at 17:00 or later."""
"""The paper's group met again every six weeks."""

DEFAULT_TITLES = {
    "away-day": "System leadership away session",
    "six-weekly": "System leadership meeting",
}
FREE_TIME_TITLE = "Free time before the meal"


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
    title: str = ""
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
    chosen: list[Activity] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Minutes in the segment."""
        return self.end - self.start


def activity_span(activity: Activity, max_work: int) -> Span:
    """An activity's duration range, capped so it fits in one stretch of work."""
    lo, hi = activity.duration.min, min(activity.duration.max, max_work)
    pref = min(activity.duration.default, hi)
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


def _distribute(
    pieces: list[Piece], length: int, max_work: int, soft: Callable[[Piece], int]
) -> bool:
    """Set every piece's minutes so that they add up to ``length``; False if impossible.

    Work pieces start at their preferred length. Extra time goes first to work (up to a soft limit),
    then to free time, then to work up to its maximum, then to breaks; missing time comes first from
    free time, then from work, then from breaks. Steps of five minutes are tried before single minutes
    so that clock times stay on round numbers when the window allows.
    """
    groups: dict[int, int] = {}
    for piece in pieces:
        piece.minutes = piece.span.pref
        if piece.group >= 0:
            groups[piece.group] = groups.get(piece.group, 0) + piece.minutes
    # Respect the stretch limit first.
    for group, total in groups.items():
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
            return False
        groups[group] = sum(p.minutes for p in members)

    work = [p for p in pieces if p.group >= 0]
    breaks = [p for p in pieces if p.group < 0 and p.title != FREE_TIME_TITLE]
    free = [p for p in pieces if p.title == FREE_TIME_TITLE]

    def room_up(piece: Piece, limit: int) -> int:
        room = limit - piece.minutes
        if piece.group >= 0:
            room = min(room, max_work - groups[piece.group])
        return room

    def grow(tier: list[Piece], limit: Callable[[Piece], int], step: int, left: int) -> int:
        while left >= step:
            best = max(tier, key=lambda p: room_up(p, limit(p)), default=None)
            if best is None or room_up(best, limit(best)) < step:
                return left
            best.minutes += step
            if best.group >= 0:
                groups[best.group] += step
            left -= step
        return left

    def shrink(tier: list[Piece], step: int, left: int) -> int:
        while left >= step:
            best = max(tier, key=lambda p: p.minutes - p.span.lo, default=None)
            if best is None or best.minutes - best.span.lo < step:
                return left
            best.minutes -= step
            if best.group >= 0:
                groups[best.group] -= step
            left -= step
        return left

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
                delta = grow(tier, limit, step, delta)
    elif delta < 0:
        missing = -delta
        for step in (5, 1):
            for tier in (free, work, breaks):
                missing = shrink(tier, step, missing)
        delta = -missing
    return delta == 0


def fit_segment(
    segment: Segment, ordered: Sequence[Activity], fmt: SessionFormat
) -> list[Piece] | None:
    """Lay out a segment's activities with breaks so that they fill it exactly, or None."""
    max_work = fmt.max_work_minutes
    work: list[Piece] = []
    if segment.head is not None:
        work.append(Piece("opening", activity_span(segment.head, max_work), segment.head))
    work += [Piece("activity", activity_span(a, max_work), a) for a in ordered]
    if segment.tail is not None:
        work.append(Piece("close", activity_span(segment.tail, max_work), segment.tail))
    if not work:
        return None
    brk = Span(max(5, fmt.break_minutes - 5), fmt.break_minutes, fmt.break_minutes + 5)
    free_span = Span(0, 0, 45)

    def soft(piece: Piece) -> int:
        return min(piece.span.hi, piece.span.pref + max(5, piece.span.pref // 4))

    best: tuple[float, list[Piece]] | None = None
    for partition in _partitions([p.span for p in work], max_work):
        pieces: list[Piece] = []
        lo_total = hi_total = 0
        feasible = True
        for g, members in enumerate(partition):
            if g:
                pieces.append(Piece("break", brk, title="Break"))
                lo_total += brk.lo
                hi_total += brk.hi
            group_lo = sum(work[i].span.lo for i in members)
            if group_lo > max_work:
                feasible = False
                break
            lo_total += group_lo
            hi_total += min(max_work, sum(work[i].span.hi for i in members))
            for i in members:
                piece = Piece(work[i].kind, work[i].span, work[i].activity, group=g)
                pieces.append(piece)
        if not feasible:
            continue
        if segment.free_time:
            pieces.append(Piece("break", free_span, title=FREE_TIME_TITLE))
            hi_total += free_span.hi
        if not lo_total <= segment.length <= hi_total:
            continue
        if _distribute(pieces, segment.length, max_work, soft):
            laid = [p for p in pieces if p.minutes > 0]
            cost = _layout_cost(laid, fmt.break_minutes) + BREAK_COST * (len(partition) - 1)
            if best is None or cost < best[0]:
                best = (cost, laid)
    return best[1] if best else None


def _layout_cost(pieces: Sequence[Piece], break_minutes: int) -> float:
    """How far a fitted layout strays from the activities' preferred lengths and usual breaks."""
    cost = 0.0
    if len(pieces) > 1 and pieces[0].kind == "opening" and pieces[1].kind == "break":
        cost += 2 * BREAK_COST  # a group that has just arrived should get into the work first
    if len(pieces) > 1 and pieces[-1].kind == "close" and pieces[-2].kind == "break":
        cost += 2 * BREAK_COST  # and a close straight after a break loses the thread of the day
    for piece in pieces:
        if piece.kind in WORK_KINDS:
            cost += abs(piece.minutes - piece.span.pref)
        elif piece.title == FREE_TIME_TITLE:
            cost += max(0, piece.minutes - 30)
        else:
            cost += abs(piece.minutes - break_minutes)
    return cost


# --- choosing ----------------------------------------------------------------------------------


def _estimate(
    segment: Segment, chosen: Sequence[Activity], max_work: int, break_minutes: int
) -> int:
    """Roughly how long a segment's content runs at preferred lengths, breaks included."""
    work = [segment.head, *chosen, segment.tail]
    total = sum(activity_span(a, max_work).pref for a in work if a is not None)
    breaks = max(0, -(-total // max_work) - 1)
    return total + breaks * break_minutes


def _ordered(activities: Sequence[Activity]) -> list[Activity]:
    """Along the arc, and within an arc the more demanding work first."""
    return sorted(activities, key=lambda a: (ARC_ORDER[a.arc], ENERGY_ORDER[a.energy]))


@dataclass
class Attempt:
    """One seeded try at a plan: the layout of every segment, and how far it strays from ideal."""

    pieces: list[list[Piece]]
    score: float


def _attempt(
    segments: list[Segment],
    pool: list[Activity],
    focus: list[str],
    fmt: SessionFormat,
    rng: random.Random,
    avoid: Sequence[str] = (),
) -> Attempt | None:
    order = pool[:]
    rng.shuffle(order)
    focus_set = set(focus)
    order.sort(key=lambda a: not (set(a.factors) & focus_set))  # stable: focus first, shuffled
    used: set[str] = set()
    counts = dict.fromkeys(focus, 0)
    max_work, brk = fmt.max_work_minutes, fmt.break_minutes
    typical = max_work * 5 // 6 if fmt.meal is not None else max_work // 3
    rank = {a.id: i for i, a in enumerate(order)}
    avoided = set(avoid)

    def take(segment: Segment, activity: Activity) -> None:
        segment.chosen.append(activity)
        used.add(activity.id)
        for factor in activity.factors:
            if factor in counts:
                counts[factor] += 1

    cover_order = list(focus)
    rng.shuffle(cover_order)  # which factor is served first varies with the seed
    evening_first = sorted(
        segments, key=lambda s: not s.evening
    )  # the evening's choice is narrower
    for segment in evening_first:
        segment.chosen = []
        candidates = [a for a in order if a.id not in used and (not segment.evening or a.evening)]

        def room(seg: Segment = segment) -> int:
            return seg.length - _estimate(seg, seg.chosen, max_work, brk)

        def closeness(
            a: Activity, target: int, seg: Segment = segment
        ) -> tuple[bool, bool, int, int]:
            # Activities a series has used come last; so do closing-style activities in a segment
            # that already ends with the close (they would only repeat it). Sizes within twenty
            # minutes of each other count as equal, so that the seed still decides.
            size = abs(activity_span(a, max_work).pref - target) // 20
            repeats_close = seg.tail is not None and a.arc == "close"
            return a.id in avoided, repeats_close, size, rank[a.id]

        # First, one activity for each focus factor not yet covered.
        for factor in cover_order:
            if counts[factor]:
                continue
            space = room()
            target = min(space, typical)
            fitting = [
                a
                for a in candidates
                if a.id not in used and factor in a.factors and a.duration.min <= space
            ]
            if fitting:

                def cover(a: Activity, target: int = target) -> tuple[bool, bool, int, int, int]:
                    # Prefer fresh activities, then those covering more of what is still uncovered.
                    used_before, repeats_close, size, order_rank = closeness(a, target)
                    gain = sum(1 for f in a.factors if counts.get(f) == 0)
                    return used_before, repeats_close, -gain, size, order_rank

                take(segment, min(fitting, key=cover))
        # Then fill, favouring the focus factors with the fewest activities so far.
        while room() > 20:
            gap = room()
            fitting = [
                a
                for a in candidates
                if a.id not in used
                and a.id not in avoided  # only a factor's own cover may bring an activity back
                and a.duration.min <= gap - 5
                and a.duration.default >= 15
            ]
            if not fitting:
                break
            target = min(gap, typical)

            def balance(a: Activity, target: int = target) -> tuple[bool, bool, int, int, int, int]:
                # Spread the time across the focus: prefer activities whose factors all have
                # the fewest activities so far.
                mine = [counts[f] for f in a.factors if f in counts]
                used_before, repeats_close, size, order_rank = closeness(a, target)
                if not mine:
                    return used_before, repeats_close, 99, 99, size, order_rank
                return used_before, repeats_close, max(mine), sum(mine), size, order_rank

            take(segment, min(fitting, key=balance))
    covered = {f for f, n in counts.items() if n}
    if not focus_set <= covered:
        return None
    layouts = []
    for segment in segments:
        pieces = fit_segment(segment, _ordered(segment.chosen), fmt)
        if pieces is None:
            return None
        layouts.append(pieces)
    score = 0.0
    for pieces in layouts:
        score += _layout_cost(pieces, fmt.break_minutes)
        breaks = sum(p.kind == "break" and p.title != FREE_TIME_TITLE for p in pieces)
        score += BREAK_COST * breaks
        for piece in pieces:
            if piece.kind == "activity" and piece.activity is not None:
                score += 0 if set(piece.activity.factors) & focus_set else 15
    return Attempt(layouts, score)


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
            + f"; change --participants, or add an {role} activity of your own with --playbooks"
        )
    # Prefer one written for this format alone, then by id, so the choice is stable.
    return sorted(found, key=lambda a: (len(a.formats), a.id))[0]


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
                f"--meal {request.meal}: {_a(request.format)} has no meal; give it only with "
                "--format away-day"
            )
        least = opening.duration.min + close.duration.min
        if length < least:
            raise PlanningError(
                f"the window {to_clock(start)}-{to_clock(end)} is {length} minutes, too short for "
                f"even the opening and the close (at least {least} minutes)"
            )
        return [Segment(start, end, head=opening, tail=close)], None
    meal_length = fmt.meal.minutes
    before, after = opening.duration.min, close.duration.min
    least = before + meal_length + after
    if length < least:
        raise PlanningError(
            f"the window {to_clock(start)}-{to_clock(end)} is {length} minutes, too short for an "
            f"away-day's opening, evening meal and close (at least {least} minutes); "
            "use --format six-weekly for a shorter meeting"
        )
    if request.meal is not None:
        meal = to_minutes(request.meal)
        if meal < start + before or meal + meal_length + after > end:
            raise PlanningError(
                f"a meal at {request.meal} leaves no room for the opening before it or the close "
                f"after it; choose a time from {to_clock(start + before)} to "
                f"{to_clock(end - meal_length - after)}"
            )
    else:
        # As near the format's usual time as the window allows, leaving an evening after it.
        evening = close.duration.default + 50
        latest = end - meal_length - evening
        if latest < start + before:
            latest = end - meal_length - after
        meal = max(start + before, min(to_minutes(fmt.meal.start), latest))
    if meal < EARLIEST_EVENING_MEAL and request.meal is not None:
        raise PlanningError(
            f"--meal {request.meal} is too early: an away-day's meal is an evening meal, at "
            f"{to_clock(EARLIEST_EVENING_MEAL)} or later"
        )
    if meal < EARLIEST_EVENING_MEAL:
        # An away-day is an afternoon and an evening; a morning window is a different meeting.
        latest_end = EARLIEST_EVENING_MEAL + meal_length + after
        raise PlanningError(
            f"an away-day runs into the evening, with its meal at {to_clock(EARLIEST_EVENING_MEAL)} "
            f"or later, but {to_clock(start)}-{to_clock(end)} would put the meal at "
            f"{to_clock(meal)}; end at {to_clock(latest_end)} or later, or use --format six-weekly "
            "for a daytime meeting"
        )
    return [
        Segment(start, meal, head=opening, free_time=True),
        Segment(meal + meal_length, end, tail=close, evening=True),
    ], (meal, meal + meal_length)


def plan_id_for(request: PlanRequest, start: str, end: str, focus: Sequence[str]) -> str:
    """A short id that records every input the choice of activities depends on."""
    code = "AD" if request.format == "away-day" else "SW"
    digits = "".join(str(FACTOR_IDS.index(f) + 1) for f in focus)
    parts = [code, start.replace(":", ""), end.replace(":", ""), f"F{digits}"]
    parts += [f"P{request.participants}", f"S{request.seed}"]
    if request.meal:
        parts.append(f"M{request.meal.replace(':', '')}")
    if request.avoid:
        # A series plan also depends on what earlier sessions used; record a digest of it.
        import hashlib

        digest = hashlib.sha256(",".join(sorted(request.avoid)).encode()).hexdigest()[:8]
        parts.append(f"X{digest}")
    return "-".join(parts)


_PLAN_ID = re.compile(
    r"^(?P<format>AD|SW)-(?P<start>\d{4})-(?P<end>\d{4})-F(?P<focus>[1-5]+)-P(?P<n>\d+)-S(?P<seed>-?\d+)"
    r"(?:-M(?P<meal>\d{4}))?(?P<series>-X[0-9a-f]{8})?$"
)


def request_from_plan_id(plan_id: str) -> dict[str, object]:
    """The request fields a plan id records (the inverse of :func:`plan_id_for`)."""
    match = _PLAN_ID.match(plan_id.strip())
    if not match:
        raise SysleadError(
            f"{plan_id!r} is not a plan id (expected the form AD-1300-2100-F12345-P12-S1)"
        )
    if match["series"]:
        raise SysleadError(
            f"{plan_id} was planned as part of a series, around the activities earlier sessions "
            "used; plan it again with 'syslead series plan' or 'syslead series next'"
        )

    def clock(text: str) -> str:
        return f"{text[:2]}:{text[2:]}"

    fields: dict[str, object] = {
        "format": "away-day" if match["format"] == "AD" else "six-weekly",
        "start": clock(match["start"]),
        "end": clock(match["end"]),
        "focus": [FACTOR_IDS[int(d) - 1] for d in match["focus"]],
        "participants": int(match["n"]),
        "seed": int(match["seed"]),
    }
    if match["meal"]:
        fields["meal"] = clock(match["meal"])
    return fields


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


def _prepare(library: Library, request: PlanRequest) -> Prepared:
    """Check a request against the library and lay out its segments, or raise a PlanningError."""
    fmt = library.session_format(request.format)
    start_clock = request.start or fmt.start
    end_clock = request.end or fmt.end
    start, end = to_minutes(start_clock), to_minutes(end_clock)
    if end <= start:
        raise PlanningError(
            f"the end {end_clock} is not after the start {start_clock} "
            "(sessions must start and end on the same day)"
        )
    focus = list(dict.fromkeys(request.focus)) or list(FACTOR_IDS)
    opening = _pick_structural(library, "opening", request)
    close = _pick_structural(library, "close", request)
    pool = [
        a
        for a in library.activities
        if a.role == "activity"
        and a.planner
        and _fits(a, request)
        and a.duration.min <= fmt.max_work_minutes
    ]
    for factor in focus:
        if not any(factor in a.factors for a in pool):
            everyone = [
                a for a in library.activities if factor in a.factors and a.role == "activity"
            ]
            smallest = min((a.group_size.min for a in everyone), default=0)
            largest = max((a.group_size.max for a in everyone), default=0)
            raise PlanningError(
                f"no activity for the factor {factor!r} suits {_a(request.format)} for "
                f"{request.participants} people; its activities take groups of {smallest} to "
                f"{largest}: change --participants or drop --focus {factor}"
            )
    segments, meal = _segments(request, fmt, opening, close, start, end)
    return Prepared(fmt, start_clock, end_clock, focus, pool, segments, meal)


def _search(prepared: Prepared, request: PlanRequest, *, first: bool = False) -> Attempt | None:
    """Seeded attempts, keeping the best; stop at the first good enough one (or any, with first)."""
    p = prepared
    best: Attempt | None = None
    good_enough = 20 + 0.1 * (to_minutes(p.end) - to_minutes(p.start))
    for attempt in range(ATTEMPTS):
        rng = random.Random(f"syslead-plan:{request.seed}:{attempt}")
        result = _attempt(p.segments, p.pool, p.focus, p.fmt, rng, request.avoid)
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
            _explain_failure(library, request, prepared.start, prepared.end, prepared.focus)
        )
    fmt, segments, meal = prepared.fmt, prepared.segments, prepared.meal
    start_clock, end_clock, focus = prepared.start, prepared.end, prepared.focus
    blocks = _blocks(best, segments, meal, fmt)
    next_meeting = request.next_meeting or (
        request.date + dt.timedelta(days=NEXT_MEETING_DAYS) if request.date else None
    )
    default_set = library.default_principles()
    principles = default_set.id if default_set else None
    return Plan(
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
        blocks=blocks,
    )


def _blocks(
    best: Attempt, segments: list[Segment], meal: tuple[int, int] | None, fmt: SessionFormat
) -> list[Block]:
    blocks: list[Block] = []
    for index, (segment, pieces) in enumerate(zip(segments, best.pieces, strict=True)):
        if index == 1 and meal is not None and fmt.meal is not None:
            blocks.append(
                Block(
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
            blocks.append(
                Block(
                    start=to_clock(cursor),
                    end=to_clock(cursor + piece.minutes),
                    minutes=piece.minutes,
                    kind=piece.kind,
                    title=activity.title if activity else piece.title,
                    activity=activity.id if activity else None,
                    factors=list(activity.factors) if activity else [],
                )
            )
            cursor += piece.minutes
    return blocks


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
                    f"{what}: the window is {reason}; --end {to_clock(new_end)} would work "
                    f"({label}), or use fewer --focus factors"
                )
    return f"{what}; try a different window, fewer --focus factors or another --participants"


def _quick_ok(library: Library, request: PlanRequest) -> bool:
    """Whether a request plans without error (used only to suggest a window that works)."""
    try:
        prepared = _prepare(library, request)
    except PlanningError:
        return False
    return _search(prepared, request, first=True) is not None


OPTION_NAMES = {
    "format": "--format",
    "date": "--date",
    "start": "--start",
    "end": "--end",
    "meal": "--meal",
    "focus": "--focus",
    "participants": "--participants",
    "organisations": "--org",
    "title": "--title",
    "seed": "--seed",
}


def make_request(
    *,
    plan_id: str | None = None,
    focus: Sequence[str] = (),
    **options: object,
) -> PlanRequest:
    """A PlanRequest from command-line options, with errors named by option.

    ``plan_id`` stands for the options it records, and cannot be combined with them.
    """
    from pydantic import ValidationError

    from syslead.library.loader import resolve_factor

    fields = {key: value for key, value in options.items() if value is not None and value != []}
    recorded_fields: set[str] = set()
    fields["focus"] = [resolve_factor(f) for f in focus]
    if plan_id is not None:
        recorded = request_from_plan_id(plan_id)
        clash = sorted(OPTION_NAMES[k] for k in recorded if fields.get(k) not in (None, []))
        if clash:
            raise SysleadError(f"--plan-id already sets {', '.join(clash)}; give one or the other")
        fields.update(recorded)
        recorded_fields = set(recorded)
    try:
        return PlanRequest.model_validate(fields)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        field = str(first["loc"][0])
        option = (
            "--plan-id"
            if plan_id is not None and field in recorded_fields
            else OPTION_NAMES.get(field, field)
        )
        message = str(first["msg"]).removeprefix("Value error, ")
        shown = first.get("input")
        if option == "--participants":
            message = "expected a whole number from 2 to 200"
        elif field == "date" and first["type"] == "less_than_equal":
            message = "too far ahead (expected a date before 9000-12-31)"
        elif field == "date":
            message = "not a date (expected YYYY-MM-DD, a real day of the year)"
        got = f" (got {shown!r})" if shown is not None and not isinstance(shown, list) else ""
        if repr(shown) in message:
            got = ""  # the message already quotes what was given
        raise SysleadError(f"{option}: {message[:1].lower()}{message[1:]}{got}") from None
