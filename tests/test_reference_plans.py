"""Reference plans: snapshots read through by hand once, each kept by the independent checker.

Every reference is planned through the command line as JSON, compared byte for byte with its
snapshot (``pytest --regenerate-snapshots`` to accept a deliberate change, with the diff shown),
and read by ``reference_checker``, which knows README's rules but not the planner's rule module.
The checker is itself tested: each rule, broken by hand in a copy of a reference plan, is reported.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import Run
from .reference_checker import check
from .snapshot import SNAPSHOTS, compare

Cli = Callable[..., Run]
Snapshot = Callable[[str, str], None]

ISSUE = "Winter discharge delays"
REFERENCES: dict[str, list[str]] = {
    "away-day": [
        "--date", "2027-01-15", "--participants", "14",
        "--org", "Northshire County Council", "--org", "Northshire Hospitals NHS Trust",
        "--org", "Northshire Community Health", "--org", "Northshire ICB",
    ],
    # A shorter evening: the afternoon's work is cut to fit its stretches of 90 minutes.
    "away-day-to-20": ["--date", "2027-01-15", "--participants", "14", "--end", "20:00"],
    # An odd window for 16: the balanced cut keeps appreciative interviews and the case study in one
    # stretch (50 + 40) where cutting by preferred lengths alone would add a break.
    "away-day-12-15": [
        "--start", "12:15", "--end", "19:55", "--participants", "16", "--seed", "43",
    ],
    "day": ["--format", "day", "--date", "2027-02-03", "--participants", "10", "--issue", ISSUE],
    "six-weekly": [
        "--format", "six-weekly", "--date", "2027-02-26", "--participants", "12", "--issue", ISSUE,
    ],
}  # fmt: skip


def reference(cli: Cli, name: str) -> str:
    result = cli("plan-session", "--to", "json", *REFERENCES[name])
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_reference_plan_matches_its_snapshot_and_keeps_readmes_rules(
    cli: Cli, snapshot: Snapshot, name: str
) -> None:
    text = reference(cli, name)
    plan = json.loads(text)
    assert check(plan) == []
    snapshot(f"{name}.json", text)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_the_stored_snapshot_keeps_readmes_rules(name: str) -> None:
    """A regenerated snapshot is read too, so accepting a broken plan is not one keystroke away."""
    plan = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))
    assert check(plan) == []


def test_the_reference_plans_by_hand() -> None:
    """What was read through by hand, in minutes: the balanced cut and its trimming show here."""

    def minutes(name: str) -> list[int]:
        plan = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))
        return [block["minutes"] for block in plan["blocks"]]

    # Arrival 15; opening 45 + naming power 40 (85); break; case study 40; break; the rehearsal 85;
    # break; What I Need From You 60; the meal 60; informal 30; a conversation 35 and the close 25.
    assert minutes("away-day") == [15, 45, 40, 15, 40, 15, 85, 15, 60, 60, 30, 35, 25]
    # Ending at 20:00 takes an hour out: the opening and naming power give up 15 and 15 minutes
    # to share one stretch with a third activity (30 + 25 + 35 = 90), and the evening keeps its
    # conversation and close but loses 10 minutes of informal time.
    assert minutes("away-day-to-20") == [15, 30, 25, 35, 15, 85, 15, 60, 60, 20, 35, 25]
    # 12:15 to 19:55 for 16: appreciative interviews and the case study share a stretch (50 + 40),
    # the rehearsal takes 90, and 5 minutes of free time come before the meal at 18:30.
    assert minutes("away-day-12-15") == [15, 50, 40, 15, 50, 40, 15, 90, 5, 60, 20, 10, 25, 25]


# --- the checker catches each broken rule --------------------------------------------------------

Plan = dict[str, Any]


@pytest.fixture(scope="module")
def away_day() -> Plan:
    plan: Plan = json.loads((SNAPSHOTS / "away-day.json").read_text(encoding="utf-8"))
    return plan


@pytest.fixture(scope="module")
def day() -> Plan:
    plan: Plan = json.loads((SNAPSHOTS / "day.json").read_text(encoding="utf-8"))
    return plan


@pytest.fixture(scope="module")
def six_weekly() -> Plan:
    plan: Plan = json.loads((SNAPSHOTS / "six-weekly.json").read_text(encoding="utf-8"))
    return plan


def retimed(plan: Plan, blocks: list[dict[str, Any]]) -> Plan:
    """A copy of the plan with these blocks, clock times worked out again from the minutes."""
    changed = copy.deepcopy(plan)
    hours, mins = plan["start"].split(":")
    clock = int(hours) * 60 + int(mins)
    for block in blocks:
        block["start"] = f"{clock // 60:02d}:{clock % 60:02d}"
        clock += block["minutes"]
        block["end"] = f"{clock // 60:02d}:{clock % 60:02d}"
    changed["blocks"] = blocks
    changed["end"] = blocks[-1]["end"]
    return changed


def test_gaps_and_wrong_minutes(away_day: Plan) -> None:
    plan = copy.deepcopy(away_day)
    plan["blocks"][3]["start"] = "14:45"  # five minutes lost between naming power and the break
    plan["blocks"][5]["minutes"] = 20  # a break of 15 minutes on the clock
    plan["end"] = "21:05"
    assert check(plan) == [
        "the last block ends at 21:00, not at 21:05",
        "a gap or overlap between 14:40 and 14:45",
        "Break: 15 minutes but runs 10",
        "Break: 20 minutes but runs 15",
    ]


def test_more_than_ninety_minutes_without_a_break(away_day: Plan) -> None:
    blocks = copy.deepcopy(away_day["blocks"])
    del blocks[3]  # the break after naming power goes to the opening: 60 + 40, then + 40
    blocks[1]["minutes"] += 15  # (the meal stays at 18:30)
    problems = check(retimed(away_day, blocks))
    assert problems == [
        "100 minutes of work without a break, ending with Naming the power in the room",
        "140 minutes of work without a break, ending with Case study: what made it work, and "
        "what would it take here?",
    ]


def test_two_long_blocks_without_a_break(away_day: Plan) -> None:
    blocks = copy.deepcopy(away_day["blocks"])
    blocks[6]["minutes"], blocks[8]["minutes"] = 75, 75  # the rehearsal and What I Need From You
    del blocks[7]
    problems = check(retimed(away_day, blocks))
    assert (
        "Fixed-budget rehearsal: one partner overperforms, who pays? and What I Need From You "
        "run without a break between them"
    ) in problems


def test_the_meal_and_after_it(away_day: Plan) -> None:
    blocks = copy.deepcopy(away_day["blocks"])
    evening = blocks[9:]  # the meal, informal time, a conversation, the close
    evening[2].update(activity="triz", title="TRIZ", factors=["conflict"], minutes=40)
    evening[1]["minutes"] = 25  # 40 + 25 = 65 minutes of structured work after the meal
    problems = check(retimed(away_day, blocks))
    assert "65 minutes of structured work after the meal" in problems
    assert "TRIZ after the meal is not a reflective conversation" in problems
    early = copy.deepcopy(away_day)
    early["blocks"][9]["start"] = "16:59"
    assert "the evening meal starts at 16:59, before 17:00" in check(early)
    no_meal = copy.deepcopy(away_day)
    no_meal["blocks"][9].update(kind="break", break_type="informal")
    assert "away-day has 0 meals, not one" in check(no_meal)


def test_a_day_needs_a_break_in_each_half(day: Plan) -> None:
    blocks = [b for b in copy.deepcopy(day["blocks"]) if b.get("break_type") != "break"]
    problems = check(retimed(day, blocks))
    assert "the morning of a day has no break" in problems
    assert "the afternoon of a day has no break" in problems


def test_ends_arrival_and_opening(away_day: Plan) -> None:
    plan = copy.deepcopy(away_day)
    plan["blocks"][0].update(break_type="break")
    plan["blocks"][-1].update(kind="activity")
    problems = check(plan)
    assert "away-day does not open with arrival refreshments" in problems
    assert "the session does not end with the close" in problems
    assert "0 blocks of kind close, not one" in problems


def test_activities_twice_same_family_duration_and_size(away_day: Plan) -> None:
    plan = copy.deepcopy(away_day)
    blocks = plan["blocks"]
    blocks[4].update(
        activity="power-mapping", title="Power mapping"
    )  # a second of the power family
    blocks[8].update(activity="naming-power")  # naming power twice, the second for 60 minutes
    plan["participants"] = 201
    problems = check(plan)
    assert "naming-power appears twice" in problems
    assert "two activities of the power family" in problems
    assert "naming-power runs 60 minutes, outside 25-55" in problems
    assert "naming-power does not suit 201 people" in problems


def test_focus_coverage_and_claimed_factors(away_day: Plan) -> None:
    plan = copy.deepcopy(away_day)
    for block in plan["blocks"]:
        if block["kind"] == "activity" and "altruism" in block["factors"]:
            block["factors"] = [f for f in block["factors"] if f != "altruism"]
    plan["blocks"][2]["factors"] = ["conflict", "altruism"]  # naming power does not work on it
    problems = check(plan)
    assert "no activity covers the focus factor altruism" in problems
    assert (
        "Naming the power in the room claims factors it does not work on: ['conflict', 'altruism']"
        in problems
    )


def test_the_papers_moves(away_day: Plan, six_weekly: Plan) -> None:
    plan = copy.deepcopy(away_day)
    blocks = plan["blocks"]
    blocks[2], blocks[6] = blocks[6], blocks[2]  # the rehearsal before naming power
    problems = check(plan)
    assert "conflict work comes before the power in the room is named" in problems
    assert "the rehearsal comes before the power in the room is named" in problems
    no_case = copy.deepcopy(away_day)
    no_case["blocks"][4].update(activity="wicked-questions", case_study=None)
    assert "no block makes the move case-study, and the plan does not say why" in check(no_case)
    no_case["notes"] = ["A case-study discussion is left out: no activity for it suits..."]
    assert "no block makes the move case-study, and the plan does not say why" not in check(no_case)
    short = copy.deepcopy(six_weekly)
    business = next(b for b in short["blocks"] if b["activity"] == "live-issue")
    short["blocks"][-1]["minutes"] += business["minutes"] - 55  # the meeting stays 180 minutes
    business["minutes"] = 55
    problems = check(retimed(short, short["blocks"]))
    assert "55 minutes of shared business is less than a third of 180" in problems


def test_six_weekly_methods(six_weekly: Plan) -> None:
    blocks = copy.deepcopy(six_weekly["blocks"])
    troika = next(b for b in blocks if b["activity"] == "troika-consulting")
    troika["minutes"] = 20
    extra = {
        "minutes": 10,
        "kind": "activity",
        "title": "1-2-4-All",
        "activity": "one-two-four-all",
    }
    problems = check(retimed(six_weekly, [*blocks[:3], {**extra, "factors": []}, *blocks[3:]]))
    assert problems == ["a six-weekly meeting with 4 methods"]


# --- the snapshot helper -------------------------------------------------------------------------


def test_a_missing_snapshot_fails_and_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    with pytest.raises(AssertionError, match=r"the snapshot new\.md is missing") as raised:
        compare(path, "# A plan\n", regenerate=False)
    assert "+# A plan" in str(raised.value)
    assert not path.exists()


def test_a_changed_output_fails_with_a_unified_diff(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text("13:00 Arrival\n13:15 Opening\n", encoding="utf-8")
    with pytest.raises(AssertionError) as raised:
        compare(path, "13:00 Arrival\n13:20 Opening\n", regenerate=False)
    lines = str(raised.value).splitlines()
    assert lines[1:] == [
        "--- plan.md (snapshot)",
        "+++ plan.md (this run)",
        "@@ -1,2 +1,2 @@",
        " 13:00 Arrival",
        "-13:15 Opening",
        "+13:20 Opening",
    ]
    assert path.read_text(encoding="utf-8") == "13:00 Arrival\n13:15 Opening\n"  # untouched


def test_regenerating_writes_and_returns_the_diff(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text("old\n", encoding="utf-8")
    diff = compare(path, "new\n", regenerate=True)
    assert diff is not None
    assert diff.splitlines()[-2:] == ["-old", "+new"]
    assert path.read_text(encoding="utf-8") == "new\n"
    assert compare(path, "new\n", regenerate=False) is None
