"""The paper's method in every plan: its signature moves as commitments, and the pacing rules.

Checked over many random requests (100 by default, 500 with SYSLEAD_THOROUGH=1), independently of the planner's own rule module: every
away-day or day with conflict in focus names power before any other conflict work and then rehearses
the fixed-budget conflict (unless the facilitator leaves it out); a six-weekly meeting with conflict
in focus does one of the two; every close agrees the key messages to cascade; a live issue gets a
decide-stage block; a six-weekly meeting keeps a third of its time for the group's own business.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syslead.library.loader import Library, load_library
from syslead.library.models import FACTOR_IDS, Activity, CaseStudy
from syslead.planning.file import plan_data
from syslead.planning.plan import WORK_KINDS, Plan, PlanRequest, to_clock, to_minutes
from syslead.planning.planner import plan_session
from syslead.planning.rules import check_plan, commitment_warnings

from .conftest import Run, WriteTree

ISSUES = [
    "Winter discharge delays",
    "Shared care records across the county",
    "Recruiting home-care workers",
]


@cache
def library() -> Library:
    return load_library()


def activity(block_activity: str | None) -> Activity | None:
    if block_activity is None:
        return None
    return library().activity(block_activity)


@st.composite
def method_requests(draw: st.DrawFn) -> PlanRequest:
    """Requests a facilitator would make: the format's own window or one moved by up to an hour."""
    fmt = draw(st.sampled_from(["away-day", "six-weekly", "day"]))
    shift = draw(st.sampled_from([0, 0, 0, -30, 30, 60]))
    windows = {"away-day": (13 * 60, 21 * 60), "six-weekly": (14 * 60, 17 * 60), "day": (570, 990)}
    start, end = windows[fmt]
    return PlanRequest(
        format=fmt,
        start=to_clock(start + shift),
        end=to_clock(end + shift),
        focus=draw(st.lists(st.sampled_from(FACTOR_IDS), unique=True, max_size=5)),
        participants=draw(st.integers(min_value=6, max_value=24)),
        seed=draw(st.integers(min_value=0, max_value=10_000)),
        rehearsal=draw(st.booleans()),
        issues=draw(st.lists(st.sampled_from(ISSUES), unique=True, max_size=2)),
    )


def where(plan: Plan, move: str) -> list[int]:
    """The indexes of blocks whose activity makes a move."""
    found = []
    for i, block in enumerate(plan.blocks):
        a = activity(block.activity)
        if a is not None and move in a.moves:
            found.append(i)
    return found


def assert_commitments(plan: Plan, request: PlanRequest) -> None:
    focus = request.focus or list(FACTOR_IDS)
    power, rehearsal = where(plan, "name-power"), where(plan, "budget-rehearsal")
    if "conflict" in focus:
        if plan.format == "six-weekly":
            assert len(power) + len(rehearsal) == 1
            assert request.rehearsal or not rehearsal
        else:
            assert len(power) == 1
            assert len(rehearsal) == (1 if request.rehearsal else 0)
            conflict_blocks = [
                i
                for i, b in enumerate(plan.blocks)
                if b.kind == "activity" and "conflict" in b.factors
            ]
            assert power[0] == min(conflict_blocks)  # named before any other conflict work
    assert plan.rehearsal == request.rehearsal
    close = activity(plan.blocks[-1].activity)
    assert close is not None
    assert "cascade" in close.moves
    if request.issues:
        worked = [b for b in plan.blocks if b.issue is not None]
        assert len(worked) == 1
        assert worked[0].issue == request.issues[0]
        issue_activity = activity(worked[0].activity)
        assert issue_activity is not None
        assert issue_activity.arc == "decide"
        assert "live-issue" in issue_activity.moves
    else:
        assert all(b.issue is None for b in plan.blocks)
    assert plan.issues == request.issues
    if plan.format != "six-weekly":
        cases = [b for b in plan.blocks if b.case_study is not None]
        assert len(cases) == 1
        case = library().entries[cases[0].case_study or ""]
        assert isinstance(case, CaseStudy)
        if set(case.factors) & set(focus):
            assert set(cases[0].factors) <= set(focus)
        assert set(cases[0].factors) <= set(case.factors)
    assert plan.notes == []


def assert_pacing(plan: Plan) -> None:
    blocks = plan.blocks
    length = to_minutes(plan.end) - to_minutes(plan.start)
    if plan.format in ("away-day", "day"):
        assert blocks[0].kind == "break"
        assert blocks[0].break_type == "arrival"
        assert blocks[1].kind == "opening"
    else:
        assert blocks[0].kind == "opening"
    meals = [i for i, b in enumerate(blocks) if b.kind == "meal"]
    if plan.format == "away-day":
        (meal,) = meals
        after = blocks[meal + 1 :]
        assert sum(b.minutes for b in after if b.kind in WORK_KINDS) <= 60
    if plan.format == "day":
        (meal,) = meals
        assert 45 <= blocks[meal].minutes <= 60
        for half in (blocks[:meal], blocks[meal + 1 :]):
            assert any(b.kind == "break" and b.break_type == "break" for b in half)
    if plan.format == "six-weekly":
        methods = [b for b in blocks if b.kind == "activity"]
        assert len(methods) <= 3
        business = [
            b
            for b in methods
            if "shared-business" in (activity(b.activity) or Activity.model_construct()).moves
        ]
        assert len(business) == 1
        assert business[0].minutes * 3 >= length
    for a, b in itertools.pairwise(blocks):
        assert not (
            a.kind in WORK_KINDS and b.kind in WORK_KINDS and min(a.minutes, b.minutes) >= 75
        )
    families = [
        a.family for a in (activity(b.activity) for b in blocks) if a is not None and a.family
    ]
    assert len(families) == len(set(families))


EXAMPLES = 500 if os.environ.get("SYSLEAD_THOROUGH") else 100
"""Random requests per run: a quick run by default, 500 in CI (SYSLEAD_THOROUGH=1)."""


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method_requests())
def test_every_plan_carries_the_method(request: PlanRequest) -> None:
    plan = plan_session(library(), request)
    # Built without validation for speed, the plan must still be exactly what validation gives,
    # and its hand-written dump exactly pydantic's.
    assert Plan.model_validate(plan_data(plan)) == plan
    assert plan_data(plan) == plan.model_dump(mode="json")
    assert_commitments(plan, request)
    assert_pacing(plan)
    assert check_plan(plan, library()) == []
    assert commitment_warnings(plan, library()) == []


def test_a_group_too_small_for_a_move_is_told_why(write_tree: WriteTree) -> None:
    # The built-in library makes every move for 2 to 200 people (tests/test_group_sizes.py), so a
    # library of one's own narrows naming power to six or more.
    builtin = Path(__file__).resolve().parents[1] / "playbooks" / "activities" / "naming-power.yaml"
    text = re.sub(r"group_size: .*", "group_size: {min: 6, max: 24}", builtin.read_text())
    narrow = load_library([write_tree({"activities/naming-power.yaml": text})])
    plan = plan_session(narrow, PlanRequest(participants=4, focus=["conflict"]))
    assert plan.notes
    assert any("left out" in note for note in plan.notes)


def test_issue_reaches_a_decide_block_and_both_handouts(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    result = cli("plan-session", "--issue", "Winter discharge delays", "--out-dir", str(out))
    assert result.exit_code == 0, result.stderr
    plan_yaml = (out / "plan.yaml").read_text()
    assert "issue: Winter discharge delays" in plan_yaml
    for name in ("facilitator.md", "participant.md"):
        assert "Winter discharge delays" in (out / name).read_text(), name


def test_day_format_plans_a_day_with_lunch(cli: Callable[..., Run]) -> None:
    result = cli("plan-session", "--format", "day", "--to", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert (plan["start"], plan["end"]) == ("09:30", "16:30")
    lunch = [b for b in plan["blocks"] if b["kind"] == "meal"]
    assert len(lunch) == 1
    assert lunch[0]["title"] == "Lunch"


def test_render_warns_when_an_edit_removes_a_commitment(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # README: an edit that removes one of the paper's moves is allowed, with a warning on standard
    # error. TRIZ (25 to 50 minutes, conflict, not of the power family) takes naming power's 40.
    plan_file = tmp_path / "plan.yaml"
    assert cli("plan-session", "--to", "yaml", "-o", str(plan_file)).exit_code == 0
    data = yaml.safe_load(plan_file.read_text())
    (index,) = [i for i, b in enumerate(data["blocks"]) if b["activity"] == "naming-power"]
    assert data["blocks"][index]["minutes"] == 40
    data["blocks"][index]["activity"] = "triz"
    plan_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = cli("render", str(plan_file), "--to", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "syslead: warning: conflict is in focus but no block names the power in the room"
    ]
    rendered = json.loads(result.stdout)
    assert rendered["blocks"][index]["activity"] == "triz"
    assert rendered["blocks"][index]["title"] == library().activity("triz").title
    assert rendered["edited"] is True


def test_no_rehearsal_is_recorded_and_rebuilds(cli: Callable[..., Run]) -> None:
    result = cli("plan-session", "--no-rehearsal", "--to", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["rehearsal"] is False
    assert plan["plan_id"].endswith("-R0")
    assert not any(b["activity"] == "fixed-budget-rehearsal" for b in plan["blocks"])
    again = cli("plan-session", "--plan-id", plan["plan_id"], "--to", "json")
    assert again.stdout == result.stdout


def test_no_printed_output_calls_the_paper_anything_but_its_title(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "pack"
    result = cli("plan-session", "--org", "A Council", "--org", "B Trust", "--out-dir", str(out))
    assert result.exit_code == 0, result.stderr
    texts = [path.read_text() for path in out.iterdir() if path.suffix in {".md", ".html"}]
    texts.append(cli("principles", "--charter", "--to", "md").stdout)
    texts.append(cli("playbooks", "show", "naming-power").stdout)
    for text in texts:
        assert "seed paper" not in text.lower()
    joined = "\n".join(texts)
    assert "Leading across the health and care system" in joined
    assert "The King's Fund" in joined or "The King’s Fund" in joined
