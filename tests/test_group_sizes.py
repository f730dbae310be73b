"""The documented --participants range is the range the built-in library plans for.

README and ``--help`` promise groups of 2 to 200 people: a chief-executive pair, a trio, the usual
eight to twenty, a whole-system summit. Every format plans for every one of those sizes with the
default options, keeps the pacing rules, and carries the paper's moves (naming power, the budget
rehearsal, a case study, the group's own business, a cascading close); when a move cannot be made
for a group that size, the plan's notes say what was left out and why.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syslead.planning.limits import MAX_PARTICIPANTS, MIN_PARTICIPANTS
from syslead.planning.plan import Plan, PlanRequest
from syslead.planning.planner import plan_session
from syslead.planning.rules import check_plan

from .reference_checker import check as reference_check
from .test_method import assert_commitments, assert_pacing, library

FORMATS = ["away-day", "six-weekly", "day"]
SIZES = [2, 3, 4, 5, 6, 12, 24, 25, 40, 60, 100, 200]


def assert_a_good_plan(plan: Plan, request: PlanRequest) -> None:
    """A plan that keeps every rule, and the paper's moves or a note for each one it left out.

    The rules are read twice: by the plan rules the code keeps, and by the tests' own checker
    written from README (``reference_checker``), so a rule switched off in one is still seen."""
    assert check_plan(plan, library()) == []
    assert reference_check(json.loads(plan.model_dump_json())) == []
    assert_pacing(plan)
    for block in plan.blocks:
        if block.activity is not None:
            size = library().activity(block.activity).group_size
            assert size.min <= request.participants <= size.max, block.activity
    if plan.notes:
        assert all("left out" in note for note in plan.notes), plan.notes
    else:
        assert_commitments(plan, request)


def test_the_documented_range() -> None:
    assert (MIN_PARTICIPANTS, MAX_PARTICIPANTS) == (2, 200)
    assert SIZES[0] == MIN_PARTICIPANTS
    assert SIZES[-1] == MAX_PARTICIPANTS


@pytest.mark.parametrize("participants", SIZES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_plans_for_every_size(fmt: str, participants: int) -> None:
    request = PlanRequest(format=fmt, participants=participants)
    plan = plan_session(library(), request)
    assert plan.participants == participants
    assert_a_good_plan(plan, request)


@pytest.mark.parametrize("participants", [2, 3, 200])
def test_the_edges_keep_the_paper_s_moves(participants: int) -> None:
    """A chief-executive pair and a summit both name power and rehearse the budget conflict."""
    for fmt in ("away-day", "day"):
        request = PlanRequest(format=fmt, participants=participants)
        plan = plan_session(library(), request)
        assert plan.notes == []
        assert_commitments(plan, request)


@given(  # as many examples as the hypothesis profile gives (conftest.py)
    fmt=st.sampled_from(FORMATS),
    participants=st.integers(min_value=MIN_PARTICIPANTS, max_value=MAX_PARTICIPANTS),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_any_size_in_the_range_plans(fmt: str, participants: int, seed: int) -> None:
    request = PlanRequest(format=fmt, participants=participants, seed=seed)
    assert_a_good_plan(plan_session(library(), request), request)
