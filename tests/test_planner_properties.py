"""Property tests: over many random requests, every plan keeps every rule, or a clear error is raised."""

from __future__ import annotations

import itertools
import re
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syslead.errors import PlanningError
from syslead.library.loader import Library, load_library
from syslead.library.models import FACTOR_IDS, Activity
from syslead.planning.plan import WORK_KINDS, PlanRequest, to_clock, to_minutes
from syslead.planning.planid import request_from_plan_id
from syslead.planning.planner import plan_session
from syslead.planning.rules import check_plan, retime

KNOWN_REFUSALS = (
    "no opening activity for",
    "no close activity for",
    "no activity for the factor",
    "the window ",
    "an away-day runs into the evening",
    "no plan covers",
)


@cache
def library() -> Library:
    return load_library()


@st.composite
def requests(draw: st.DrawFn) -> PlanRequest:
    fmt = draw(st.sampled_from(["away-day", "six-weekly", "day"]))
    length = draw(st.integers(min_value=120, max_value=540))
    start = draw(st.integers(min_value=7 * 60, max_value=24 * 60 - 1 - length))
    start -= start % draw(st.sampled_from([1, 5, 15]))
    focus = draw(st.lists(st.sampled_from(FACTOR_IDS), unique=True, max_size=5))
    return PlanRequest(
        format=fmt,
        start=to_clock(start),
        end=to_clock(start + length),
        focus=focus,
        participants=draw(
            st.integers(min_value=2, max_value=200) | st.integers(min_value=6, max_value=24)
        ),
        seed=draw(st.integers(min_value=0, max_value=10_000)),
        rehearsal=draw(st.booleans()),
    )


def assert_good(request: PlanRequest) -> None:
    lib = library()
    try:
        plan = plan_session(lib, request)
    except PlanningError as err:
        message = str(err)
        assert "\n" not in message
        # Every refusal is one of the planner's known, explained reasons, never a stray failure.
        assert message.startswith(KNOWN_REFUSALS), message
        suggested = re.search(r"\bend (\d\d:\d\d) would work", message)
        if suggested:  # what the message says would work, does
            plan_session(lib, request.model_copy(update={"end": suggested[1]}))
        return
    assert check_plan(plan, lib) == []
    # Spelled out as well, independently of check_plan:
    blocks = plan.blocks
    assert blocks[0].start == plan.start
    assert blocks[-1].end == plan.end
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
    rebuilt = PlanRequest.model_validate(request_from_plan_id(plan.plan_id))
    assert rebuilt.rehearsal == request.rehearsal
    assert plan_session(lib, rebuilt) == plan


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_every_plan_keeps_the_rules_or_says_why_not(request: PlanRequest) -> None:
    assert_good(request)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["away-day", "six-weekly", "day"]),
    st.lists(st.sampled_from(FACTOR_IDS), unique=True, max_size=5),
    st.integers(min_value=6, max_value=24),
    st.integers(min_value=0, max_value=10_000),
)
def test_default_windows_always_plan(
    fmt: str, focus: list[str], participants: int, seed: int
) -> None:
    """With the formats' own windows and a typical group, a plan is always found."""
    plan = plan_session(
        library(), PlanRequest(format=fmt, focus=focus, participants=participants, seed=seed)
    )  # type: ignore[arg-type]
    assert check_plan(plan, library()) == []


@settings(max_examples=100, deadline=None)
@given(requests())
def test_same_request_same_plan(request: PlanRequest) -> None:
    try:
        first = plan_session(library(), request)
    except PlanningError:
        return
    assert plan_session(library(), request).model_dump_json() == first.model_dump_json()
