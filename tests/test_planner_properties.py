"""Property tests: every plan keeps every rule, and every refusal means exactly what it says.

Two strategies. ``requests`` draws what facilitators ask for (windows near each format's own, groups
mostly of 6 to 24), so that most draws plan and every plan invariant is exercised;
``test_the_request_strategy_mostly_plans`` counts how many do over a fixed sample. ``hard_requests``
draws any window, any group size and sometimes a meal time, so that most draws are refused; every
refusal is read for its full meaning: the figures it states are checked against the playbooks, the
reason it gives really holds, and the window, meal time or option it suggests really works.

Plans are also read by the independent checker in ``reference_checker``, written from README's
rules rather than from the planner's own rule module.
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from syslead.errors import PlanningError
from syslead.library.loader import Library, load_library
from syslead.library.models import FACTOR_IDS, Activity
from syslead.planning.plan import WORK_KINDS, Plan, PlanRequest, to_clock, to_minutes
from syslead.planning.planid import request_from_plan_id
from syslead.planning.planner import plan_session
from syslead.planning.rules import check_plan, retime

from .reference_checker import check, entries

FORMATS = ("away-day", "six-weekly", "day")
PLAN_EXAMPLES = settings.default.max_examples * 2
"""Drawn requests that mostly plan: twice the profile's examples (each plan is read three ways)."""
SAMPLE = 100
"""The fixed, derandomised sample over which the share of requests that plan is counted."""


@cache
def library() -> Library:
    return load_library()


# --- strategies --------------------------------------------------------------------------------

USUAL_WINDOWS = {
    # format: (earliest start, latest start, shortest length, longest length), in minutes
    "away-day": (12 * 60, 14 * 60, 450, 540),
    "six-weekly": (9 * 60, 16 * 60, 150, 240),
    "day": (8 * 60 + 30, 10 * 60, 360, 450),
}
"""Windows around each format's own (13:00-21:00, 14:00-17:00, 09:30-16:30), a little either way."""


def _clock(draw: st.DrawFn, minutes: int) -> str:
    return to_clock(minutes - minutes % draw(st.sampled_from([1, 5, 15])))


@st.composite
def requests(draw: st.DrawFn) -> PlanRequest:
    """What a facilitator asks for: a usual window, give or take, and a group of any size."""
    fmt = draw(st.sampled_from(FORMATS))
    earliest, latest, shortest, longest = USUAL_WINDOWS[fmt]
    start = to_minutes(_clock(draw, draw(st.integers(earliest, latest))))
    length = draw(st.integers(shortest, longest))
    return PlanRequest(
        format=fmt,
        start=to_clock(start),
        end=to_clock(start + length),
        focus=draw(st.lists(st.sampled_from(FACTOR_IDS), unique=True, max_size=5)),
        participants=draw(st.integers(6, 24) | st.integers(2, 200)),
        seed=draw(st.integers(0, 10_000)),
        rehearsal=draw(st.booleans()),
        issues=draw(st.lists(st.just("Winter discharge delays"), max_size=1)),
    )


@st.composite
def hard_requests(draw: st.DrawFn) -> PlanRequest:
    """Any window from 07:00 to midnight, any group size and sometimes a meal time: mostly refused."""
    fmt = draw(st.sampled_from(FORMATS))
    length = draw(st.integers(min_value=20, max_value=600))
    start = draw(st.integers(min_value=7 * 60, max_value=24 * 60 - 1 - length))
    meal = draw(st.none() | st.integers(start, start + length))
    return PlanRequest(
        format=fmt,
        start=_clock(draw, start),
        end=to_clock(start + length),
        meal=None if meal is None else to_clock(meal),
        focus=draw(st.lists(st.sampled_from(FACTOR_IDS), unique=True, max_size=5)),
        participants=draw(st.integers(min_value=2, max_value=200)),
        seed=draw(st.integers(min_value=0, max_value=10_000)),
        rehearsal=draw(st.booleans()),
    )


# --- every plan keeps the rules ------------------------------------------------------------------


def assert_good(plan: Plan, request: PlanRequest) -> None:
    """Every rule, three ways: the rule module, the independent checker, and spelled out here."""
    lib = library()
    assert check_plan(plan, lib) == []
    assert check(json.loads(plan.model_dump_json())) == []
    blocks = plan.blocks
    assert blocks[0].start == plan.start == (request.start or plan.start)
    assert blocks[-1].end == plan.end == (request.end or plan.end)
    for before, after in itertools.pairwise(blocks):
        assert before.end == after.start
    for block in blocks:
        assert to_minutes(block.end) - to_minutes(block.start) == block.minutes > 0
    first = 1 if blocks[0].break_type == "arrival" else 0
    assert blocks[first].kind == "opening"
    assert (blocks[0].break_type == "arrival") == (plan.format != "six-weekly")
    assert blocks[-1].kind == "close"
    run = 0
    for block in blocks:
        run = run + block.minutes if block.kind in WORK_KINDS else 0
        assert run <= 90
    used = [b.activity for b in blocks if b.activity]
    assert len(used) == len(set(used))
    acts = {b.activity: b for b in blocks if b.activity}
    for activity_id, block in acts.items():
        activity = lib.activity(activity_id)
        assert activity.duration.min <= block.minutes <= activity.duration.max
        assert activity.group_size.min <= plan.participants <= activity.group_size.max
        assert plan.format in activity.formats
    # A six-weekly meeting, with at most three methods, counts its opening and close too.
    counted = {"activity", "opening", "close"} if plan.format == "six-weekly" else {"activity"}
    covered = {f for b in blocks if b.kind in counted for f in b.factors}
    assert set(plan.focus) <= covered
    assert plan.focus == (request.focus or list(FACTOR_IDS))
    meals = [i for i, b in enumerate(blocks) if b.kind == "meal"]
    if plan.format == "away-day":
        assert len(meals) == 1
        assert to_minutes(blocks[meals[0]].start) >= 17 * 60  # an evening meal
        after = blocks[meals[0] + 1 :]
        assert after[0].kind in {"activity", "close"} or after[0].break_type == "informal"
        assert sum(b.minutes for b in after if b.kind in WORK_KINDS) <= 60
        for block in after:
            if block.activity:
                activity: Activity = lib.activity(block.activity)
                assert activity.evening
                assert activity.energy != "high"
    elif plan.format == "day":
        assert len(meals) == 1
        assert 45 <= blocks[meals[0]].minutes <= 60
        for part in (blocks[: meals[0]], blocks[meals[0] + 1 :]):
            assert any(b.kind == "break" and b.break_type == "break" for b in part)
    else:
        assert not meals
    # Re-rendering an untouched plan changes nothing, and the plan id rebuilds it.
    assert retime(plan, lib) == (plan, [])
    recorded = request_from_plan_id(plan.plan_id, request.issues)
    rebuilt = PlanRequest.model_validate({**recorded, "issues": request.issues})
    assert rebuilt.rehearsal == request.rehearsal
    assert plan_session(lib, rebuilt) == plan


def test_a_six_weekly_over_three_hours_keeps_a_third_for_its_business() -> None:
    """README: a six-weekly meeting keeps at least a third of its time for its shared business.

    14:00-17:30 is 210 minutes, so at least 70; the block's usual 60 minutes is not enough.
    """
    plan = plan_session(library(), PlanRequest(format="six-weekly", end="17:30"))
    business = [b.minutes for b in plan.blocks if b.activity == "our-shared-work"]
    assert len(business) == 1
    assert 70 <= business[0] <= 90


def test_a_long_six_weekly_keeps_the_longest_block_for_its_business() -> None:
    """Past four and a half hours one block of at most 90 minutes is all a meeting keeps."""
    plan = plan_session(library(), PlanRequest(format="six-weekly", start="13:00", end="18:00"))
    business = [b.minutes for b in plan.blocks if b.activity == "our-shared-work"]
    assert business == [90]


def test_a_short_day_names_power_before_other_conflict_work() -> None:
    """README: an away-day or a day names the power in the room before any other conflict work.

    This short day has no room for naming power before lunch; no other conflict activity may
    then take the morning.
    """
    request = PlanRequest(format="day", start="07:00", end="11:05", participants=2, seed=2)
    plan = plan_session(library(), request.model_copy(update={"rehearsal": False}))
    conflict = [b.activity for b in plan.blocks if b.kind == "activity" and "conflict" in b.factors]
    assert conflict[0] == "naming-power"


def plan_or_refusal(request: PlanRequest) -> Plan | PlanningError:
    try:
        return plan_session(library(), request)
    except PlanningError as err:
        return err


@settings(max_examples=PLAN_EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_every_plan_keeps_the_rules_or_says_why_not(request: PlanRequest) -> None:
    outcome = plan_or_refusal(request)
    if isinstance(outcome, PlanningError):
        assert_refusal_means_what_it_says(request, outcome)
    else:
        assert_good(outcome, request)


def test_the_request_strategy_mostly_plans() -> None:
    """At least 80% of what ``requests`` draws plans, so the property above reads plans, not refusals.

    Counted over a fixed sample: the same draws on every run (derandomised, no example database).
    """
    outcomes: list[bool] = []

    @settings(
        max_examples=SAMPLE,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(requests())
    def draw(request: PlanRequest) -> None:
        outcomes.append(isinstance(plan_or_refusal(request), Plan))

    draw()
    assert len(outcomes) == SAMPLE
    share = sum(outcomes) / len(outcomes)
    assert share >= 0.8, f"only {share:.0%} of the drawn requests plan"


# --- every refusal means what it says -------------------------------------------------------------

CLOCK = r"(\d\d:\d\d)"
TOO_SHORT_FOR_ENDS = re.compile(
    rf"the window {CLOCK}-{CLOCK} is (\d+) minutes, too short for (?:even the opening and the "
    r"close|an? [\w-]+'s opening, [\w ]+ and close) \(at least (\d+) minutes\)"
    r"(?:; use format six-weekly for a shorter meeting)?"
)
EVENING = re.compile(
    rf"an away-day runs into the evening, with its meal at 17:00 or later, but {CLOCK}-{CLOCK} "
    rf"would put the meal at {CLOCK}; end at {CLOCK} or later, or use format day for a daytime "
    r"session"
)
NO_PLAN = re.compile(
    rf"no plan covers ([\w, -]+) in {CLOCK}-{CLOCK} \((\d+) minutes\) for (\d+) people(?:: the "
    rf"window is (too short|too long for the activities that fit); end {CLOCK} would work "
    r"\((later|earlier)\), or use fewer focus factors|; try a different window, fewer focus "
    r"factors or another participants)"
)
MEAL_NO_ROOM = re.compile(
    rf"a meal at {CLOCK} leaves no room for the opening before it or the close after it; choose a "
    rf"time from {CLOCK} to {CLOCK}"
)
MEAL_TOO_EARLY = re.compile(
    rf"meal {CLOCK} is too early: an away-day's meal is an evening meal, at 17:00 or later"
)
NO_MEAL = re.compile(
    rf"meal {CLOCK}: a six-weekly has no meal; give it only with format away-day or day"
)


def refused_for(request: PlanRequest, reason: re.Pattern[str]) -> bool:
    """Whether the planner refuses the request for this reason (not merely for any reason)."""
    outcome = plan_or_refusal(request)
    return isinstance(outcome, PlanningError) and bool(reason.fullmatch(str(outcome)))


def _format(fmt: str) -> dict[str, object]:
    found: dict[str, object] = entries("formats")[fmt]
    return found


def _least_for_ends(request: PlanRequest) -> int:
    """The shortest window an opening, the meal and a close fit in, from the playbooks' YAML."""
    fmt = _format(request.format)

    def shortest(role: str) -> int:
        return min(
            a["duration"]["min"]
            for a in entries("activities").values()
            if a.get("role") == role
            and request.format in a.get("formats", FORMATS)
            and a["group_size"]["min"] <= request.participants <= a["group_size"]["max"]
        )

    meal = fmt.get("meal")
    meal_minutes = meal["minutes"] if isinstance(meal, dict) else 0
    arrival = fmt.get("arrival_minutes", 0)
    assert isinstance(arrival, int)
    return arrival + shortest("opening") + meal_minutes + shortest("close")


def _window(request: PlanRequest) -> tuple[str, str]:
    fmt = _format(request.format)
    return request.start or str(fmt["start"]), request.end or str(fmt["end"])


def assert_refusal_means_what_it_says(request: PlanRequest, err: PlanningError) -> None:
    """The refusal is one of the planner's known reasons, its figures are right, its reason holds
    and its suggestion works."""
    message = str(err)
    assert "\n" not in message
    start, end = _window(request)
    length = to_minutes(end) - to_minutes(start)
    if match := TOO_SHORT_FOR_ENDS.fullmatch(message):
        assert match.groups()[:3] == (start, end, str(length))
        least = int(match[4])
        # "too short": the opening, the meal and the close at their shortest really exceed it...
        assert least == _least_for_ends(request) > length
        # ...and the least it names is exact: a window that long gets past this reason.
        if to_minutes(start) + least < 24 * 60:
            longer = request.model_copy(update={"end": to_clock(to_minutes(start) + least)})
            assert not refused_for(longer, TOO_SHORT_FOR_ENDS)
    elif match := EVENING.fullmatch(message):
        assert request.format == "away-day"
        assert request.meal is None
        assert match.groups()[:2] == (start, end)
        assert to_minutes(match[3]) < 17 * 60  # the meal really would fall before the evening
        suggested = to_minutes(match[4])
        assert suggested > to_minutes(end)
        # "end at Y or later": Y puts the meal in the evening, a minute earlier does not.
        at = request.model_copy(update={"end": match[4]})
        assert not refused_for(at, EVENING)
        before = request.model_copy(update={"end": to_clock(suggested - 1)})
        assert refused_for(before, EVENING)
    elif match := NO_PLAN.fullmatch(message):
        assert match[1] == ", ".join(request.focus or FACTOR_IDS)
        assert match.groups()[1:5] == (start, end, str(length), str(request.participants))
        if match[6]:
            new_end = to_minutes(match[7])
            later = match[8] == "later"
            assert (match[6] == "too short") == later == (new_end > to_minutes(end))
            suggested = request.model_copy(update={"end": match[7]})
            outcome = plan_or_refusal(suggested)  # what the message says would work, does
            assert isinstance(outcome, Plan), (message, str(outcome))
            assert_good(outcome, suggested)
    elif match := MEAL_NO_ROOM.fullmatch(message):
        assert match[1] == request.meal
        earliest, latest = match[2], match[3]
        for meal in (earliest, latest):  # both ends of the range it offers leave room
            assert not refused_for(request.model_copy(update={"meal": meal}), MEAL_NO_ROOM)
        assert not to_minutes(earliest) <= to_minutes(match[1]) <= to_minutes(latest)
    elif match := MEAL_TOO_EARLY.fullmatch(message):
        assert request.format == "away-day"
        assert match[1] == request.meal
        assert to_minutes(match[1]) < 17 * 60
    elif match := NO_MEAL.fullmatch(message):
        assert request.format == "six-weekly"
        assert match[1] == request.meal
    else:
        raise AssertionError(f"a refusal with no known meaning: {message}")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hard_requests())
def test_every_refusal_means_what_it_says(request: PlanRequest) -> None:
    outcome = plan_or_refusal(request)
    if isinstance(outcome, PlanningError):
        assert_refusal_means_what_it_says(request, outcome)
    else:
        assert_good(outcome, request)


def test_a_refusal_check_fails_on_a_wrong_suggestion() -> None:
    """The refusal reader is not a formality: a suggested end that does not plan is caught."""
    request = PlanRequest(format="six-weekly", start="14:00", end="14:30")
    err = plan_or_refusal(request)
    assert isinstance(err, PlanningError)
    assert "end 16:15 would work (later)" in str(err)
    assert_refusal_means_what_it_says(request, err)
    wrong = PlanningError(str(err).replace("16:15", "14:45"))
    with pytest.raises(AssertionError):
        assert_refusal_means_what_it_says(request, wrong)


# --- other properties ----------------------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(FORMATS),
    st.lists(st.sampled_from(FACTOR_IDS), unique=True, max_size=5),
    st.integers(min_value=6, max_value=24),
    st.integers(min_value=0, max_value=10_000),
)
def test_default_windows_always_plan(
    fmt: str, focus: list[str], participants: int, seed: int
) -> None:
    """With the formats' own windows and a typical group, a plan is always found."""
    request = PlanRequest(format=fmt, focus=focus, participants=participants, seed=seed)  # type: ignore[arg-type]
    plan = plan_session(library(), request)
    assert check_plan(plan, library()) == []
    assert check(json.loads(plan.model_dump_json())) == []


@given(requests())
def test_same_request_same_plan(request: PlanRequest) -> None:
    first = plan_or_refusal(request)
    again = plan_or_refusal(request)
    if isinstance(first, Plan):
        assert isinstance(again, Plan)
        assert again.model_dump_json() == first.model_dump_json()
    else:
        assert isinstance(again, PlanningError)
        assert str(again) == str(first)
