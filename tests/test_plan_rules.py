"""The rules of a good plan (planning/rules.py), one promise at a time, on plans built by hand.

README promises that `syslead render` checks every rule again on an edited plan, so that an edit
which breaks one gives a clear, located error, and an edit that drops one of the paper's moves gives
a warning. Each test here builds a plan from rows written out below (not by the planner), breaks one
rule, and checks the exact findings: where (the field path), what (the message, worked out by hand)
and, through the command line, the exit code with the located line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from syslead.library.loader import Library, load_library
from syslead.library.models import CaseStudy
from syslead.planning.file import to_yaml
from syslead.planning.plan import Plan, to_clock, to_minutes
from syslead.planning.rules import Issue, check_plan, commitment_warnings, retime

from .conftest import Run

Row = tuple[Any, ...]
"""(minutes, kind, activity id or break type[, extra Block fields])."""

ALL_FIVE = ["shared-purpose", "personal-contact", "conflict", "altruism", "long-term"]

AWAY_DAY: list[Row] = [
    (15, "break", "arrival"),  # 0  13:00
    (45, "opening", "opening-purpose-and-principles"),  # 1  13:15
    (40, "activity", "naming-power"),  # 2  14:00
    (15, "break", "break"),  # 3  14:40
    (40, "activity", "case-study-discussion", {"case_study": "living-longer-living-better"}),
    (15, "break", "break"),  # 5  15:35
    (85, "activity", "fixed-budget-rehearsal"),  # 6  15:50
    (15, "break", "break"),  # 7  17:15
    (60, "activity", "what-i-need-from-you"),  # 8  17:30
    (60, "meal", None),  # 9  18:30, locked
    (30, "break", "informal"),  # 10 19:30
    (35, "activity", "person-behind-the-role"),  # 11 20:00
    (25, "close", "close-key-messages"),  # 12 20:35 to 21:00
]
"""An away-day for twelve on all five factors, 13:00 to 21:00, keeping every rule."""

DAY: list[Row] = [
    (15, "break", "arrival"),  # 0  09:30
    (40, "opening", "opening-purpose-and-principles"),  # 1  09:45
    (40, "activity", "naming-power"),  # 2  10:25
    (15, "break", "break"),  # 3  11:05
    (30, "activity", "troika-consulting"),  # 4  11:20
    (40, "activity", "case-study-discussion", {"case_study": "living-longer-living-better"}),
    (45, "meal", None),  # 6  12:30, locked
    (45, "activity", "person-behind-the-role"),  # 7  13:15
    (15, "break", "break"),  # 8  14:00
    (90, "activity", "fixed-budget-rehearsal"),  # 9  14:15, exactly 90 minutes of work
    (15, "break", "break"),  # 10 15:45
    (30, "close", "close-key-messages"),  # 11 16:00 to 16:30
]
"""A day for twelve on all five factors, 09:30 to 16:30, keeping every rule."""

SIX_WEEKLY: list[Row] = [
    (20, "opening", "opening-six-weekly"),  # 0 14:00
    (35, "activity", "naming-power"),  # 1 14:20
    (30, "activity", "troika-consulting"),  # 2 14:55
    (15, "break", "break"),  # 3 15:25
    (60, "activity", "our-shared-work"),  # 4 15:40
    (20, "close", "close-six-weekly"),  # 5 16:40 to 17:00
]
"""A six-weekly meeting for twelve on all five factors, 14:00 to 17:00, with three methods."""

FORMATS = {
    "away-day": ("13:00", AWAY_DAY),
    "day": ("09:30", DAY),
    "six-weekly": ("14:00", SIX_WEEKLY),
}


@cache
def library() -> Library:
    return load_library()


def block_factors(activity: str, case: str | None, focus: list[str]) -> list[str]:
    """What README says a block covers: its activity's factors, or its case's within the focus."""
    if case is None:
        return list(library().activity(activity).factors)
    entry = library().entries[case]
    assert isinstance(entry, CaseStudy)
    return [f for f in entry.factors if f in focus] or list(entry.factors)


def make_plan(
    fmt: str,
    rows: list[Row],
    *,
    start: str | None = None,
    end: str | None = None,
    focus: list[str] | None = None,
    participants: int = 12,
    **fields: Any,
) -> Plan:
    """A plan whose blocks run one after another from the start, titled from the library."""
    focus = list(ALL_FIVE if focus is None else focus)
    start = start or FORMATS[fmt][0]
    cursor = to_minutes(start)
    blocks = []
    for row in rows:
        minutes, kind, what = row[:3]
        extra: dict[str, Any] = dict(row[3]) if len(row) > 3 else {}
        block: dict[str, Any] = {
            "start": to_clock(cursor),
            "end": to_clock(cursor + minutes),
            "minutes": minutes,
            "kind": kind,
        }
        if kind == "meal":
            block |= {"title": "Evening meal" if fmt == "away-day" else "Lunch", "locked": True}
        elif kind == "break":
            block |= {"title": "Break", "break_type": what}
        else:
            factors = block_factors(what, extra.get("case_study"), focus)
            block |= {"title": library().activity(what).title, "activity": what, "factors": factors}
        blocks.append(block | extra)
        cursor += minutes
    return Plan.model_validate(
        {
            "title": "A plan built by hand",
            "format": fmt,
            "start": start,
            "end": end or to_clock(cursor),
            "participants": participants,
            "focus": focus,
            "seed": 1,
            "plan_id": "hand-built",
            "blocks": blocks,
        }
        | fields
    )


def changed(rows: list[Row], *edits: tuple[int, Row | None]) -> list[Row]:
    """The rows with some replaced (or, given None, removed)."""
    out: list[Row | None] = list(rows)
    for index, row in edits:
        out[index] = row
    return [row for row in out if row is not None]


def findings(plan: Plan) -> list[tuple[tuple[int | str, ...], str]]:
    return [(issue.loc, issue.message) for issue in check_plan(plan, library())]


# --- plans that keep every rule ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_plan_that_keeps_every_rule_has_no_findings_and_no_warnings(fmt: str) -> None:
    plan = make_plan(fmt, FORMATS[fmt][1])
    assert check_plan(plan, library()) == []
    assert commitment_warnings(plan, library()) == []
    assert retime(plan, library()) == (plan, [])


# --- an away-day has its evening meal, and only reflective conversation after it --------------


def test_an_away_day_without_its_evening_meal_breaks_the_meal_rule() -> None:
    # README: "an away-day has its evening meal". The meal's hour becomes informal time.
    plan = make_plan("away-day", changed(AWAY_DAY, (9, (60, "break", "informal"))))
    assert findings(plan) == [(("blocks",), "an away-day has an evening meal")]


def test_a_day_without_its_lunch_breaks_the_meal_rule() -> None:
    # README: "a day has its lunch" (and with no lunch there are no halves to count breaks in).
    plan = make_plan("day", changed(DAY, (6, (45, "break", "break"))))
    assert findings(plan) == [(("blocks",), "a day has a lunch")]


def test_a_meeting_with_no_meal_in_its_format_needs_none() -> None:
    plan = make_plan("six-weekly", SIX_WEEKLY)
    assert not any(block.kind == "meal" for block in plan.blocks)
    assert findings(plan) == []


def test_only_reflective_conversation_after_the_evening_meal() -> None:
    # README: after an away-day's evening meal "come only reflective conversations". Heard, seen,
    # respected covers the same factor as the conversation it replaces but is not one for the evening.
    rows = changed(AWAY_DAY, (11, (35, "activity", "heard-seen-respected")))
    plan = make_plan("away-day", rows)
    assert not library().activity("heard-seen-respected").evening
    assert findings(plan) == [
        (
            ("blocks", 11, "activity"),
            "heard-seen-respected does not suit the evening after a meal "
            "(choose reflective conversation)",
        )
    ]


def test_the_same_activity_is_fine_before_the_evening_meal_and_after_a_lunch() -> None:
    # Heard, seen, respected before the away-day's meal, where any activity may run ...
    rows = changed(AWAY_DAY, (8, (45, "activity", "heard-seen-respected")))
    rows.insert(8, (15, "activity", "fifteen-percent-solutions"))
    assert findings(make_plan("away-day", rows)) == []
    # ... and after a day's lunch, which is not an evening meal.
    day = changed(DAY, (7, (45, "activity", "heard-seen-respected")))
    assert findings(make_plan("day", day)) == []


def test_structured_work_after_the_evening_meal_is_at_most_an_hour() -> None:
    # 60 minutes (35 + 25) is the limit itself; five more minutes of conversation break it.
    at_limit = make_plan("away-day", AWAY_DAY)
    assert findings(at_limit) == []
    rows = changed(
        AWAY_DAY, (10, (29, "break", "informal")), (11, (36, "activity", AWAY_DAY[11][2]))
    )
    assert findings(make_plan("away-day", rows)) == [
        (
            ("blocks", 10, "minutes"),
            "61 minutes of structured work after the evening meal (at most 60); "
            "give the rest to informal time",
        )
    ]


def test_a_day_has_no_limit_on_work_after_its_lunch() -> None:
    # 45 + 90 + 30 = 165 minutes of work after lunch, which only an evening meal would forbid.
    plan = make_plan("day", DAY)
    meal = next(i for i, b in enumerate(plan.blocks) if b.kind == "meal")
    after = sum(b.minutes for b in plan.blocks[meal + 1 :] if b.kind != "break")
    assert after == 165
    assert findings(plan) == []


def test_render_refuses_an_evening_activity_that_is_not_reflective(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    rows = changed(AWAY_DAY, (11, (35, "activity", "heard-seen-respected")))
    path.write_text(to_yaml(make_plan("away-day", rows)), encoding="utf-8")
    result = cli("render", str(path), "--to", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    line, column = value_at(path, "blocks", 11, "activity")
    assert result.stderr.splitlines() == [
        "syslead: the plan breaks 1 rule:",
        f"{path}:{line}:{column}: blocks[11].activity: heard-seen-respected does not suit the evening "
        "after a meal (choose reflective conversation)",
    ]


def test_render_refuses_an_away_day_whose_meal_was_edited_out(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(to_yaml(make_plan("away-day", AWAY_DAY)), encoding="utf-8")
    data = yaml.safe_load(path.read_text())
    data["blocks"][9] |= {"kind": "break", "break_type": "informal", "locked": False}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = cli("render", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "syslead: the plan breaks 1 rule:",
        "{}:{}:{}: blocks: an away-day has an evening meal".format(path, *value_at(path, "blocks")),
    ]


def value_at(path: Path, *loc: str | int) -> tuple[int, int]:
    """The line and column (from 1) of the value at ``loc`` in a YAML file, from PyYAML's nodes."""
    node: yaml.Node = yaml.compose(path.read_text())
    for part in loc:
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(v for k, v in node.value if k.value == part)
    return int(node.start_mark.line) + 1, int(node.start_mark.column) + 1


# --- pacing: methods, long blocks, families, halves, stretches ---------------------------------


def test_a_six_weekly_meeting_holds_at_most_three_methods() -> None:
    rows = changed(SIX_WEEKLY, (2, (20, "activity", "troika-consulting")))
    rows.insert(3, (10, "activity", "helping-heuristics"))
    assert findings(make_plan("six-weekly", rows)) == [
        (
            ("blocks", 5, "activity"),
            "4 activities besides the opening and close; a six-weekly holds at most 3",
        )
    ]


def test_an_away_day_has_no_limit_on_methods() -> None:
    # Five methods in the reference away-day, none of them a fault.
    plan = make_plan("away-day", AWAY_DAY)
    assert sum(1 for b in plan.blocks if b.kind == "activity") == 5
    assert findings(plan) == []


def long_pair_rows(*middle: Row) -> list[Row]:
    """The away-day with its afternoon's last stretch (15:50 to 18:30, 160 minutes) replaced."""
    return [*AWAY_DAY[:6], *middle, *AWAY_DAY[9:]]


def test_two_long_blocks_need_a_break_between_them() -> None:
    # README: "no two blocks of 75 minutes or more run without a break between them". Two such
    # blocks also make a stretch of more than 90 minutes, so both rules speak, each once.
    rows = long_pair_rows(
        (75, "activity", "fixed-budget-rehearsal"),
        (10, "activity", "check-in-check-out"),
        (75, "activity", "what-i-need-from-you"),
    )
    assert findings(make_plan("away-day", rows)) == [
        (
            ("blocks", 8, "minutes"),
            "160 minutes of work without a break by 18:30 (at most 90); add a break or shorten a block",
        ),
        (
            ("blocks", 8, "minutes"),
            "two blocks of 75 minutes or more with no break between them (blocks 7 and 9)",
        ),
    ]


def test_a_block_of_74_minutes_is_not_long() -> None:
    rows = long_pair_rows(
        (74, "activity", "fixed-budget-rehearsal"),
        (10, "activity", "check-in-check-out"),
        (76, "activity", "what-i-need-from-you"),
    )
    assert findings(make_plan("away-day", rows)) == [
        (
            ("blocks", 8, "minutes"),
            "160 minutes of work without a break by 18:30 (at most 90); add a break or shorten a block",
        )
    ]


def test_a_break_between_two_long_blocks_is_enough() -> None:
    rows = long_pair_rows(
        (75, "activity", "fixed-budget-rehearsal"),
        (10, "break", "break"),
        (75, "activity", "what-i-need-from-you"),
    )
    assert findings(make_plan("away-day", rows)) == []


def test_no_two_activities_do_the_same_work() -> None:
    # README: "no two do the same work (naming power and power mapping, say)". Naming power twice
    # is also an activity used twice; each later one is told which block it repeats (block 3).
    rows = changed(
        AWAY_DAY,
        (4, (40, "activity", "naming-power")),
        (8, (60, "activity", "power-mapping")),
    )
    plan = make_plan("away-day", rows, focus=["conflict", "personal-contact"])
    assert findings(plan) == [
        (("blocks", 4, "activity"), "'naming-power' is already used at block 3; no activity twice"),
        (
            ("blocks", 4, "activity"),
            "naming-power does the same work as block 3 (both of the 'power' family); keep one",
        ),
        (
            ("blocks", 8, "activity"),
            "power-mapping does the same work as block 3 (both of the 'power' family); keep one",
        ),
    ]


def test_a_day_has_a_break_in_each_half() -> None:
    # README: "a day has its lunch and a break in each half". Arrival refreshments and informal
    # time are not breaks between work; a break typed as nothing at all is a short break.
    no_morning = changed(DAY, (3, (15, "break", "arrival")))
    assert findings(make_plan("day", no_morning)) == [
        (("blocks", 0, "kind"), "the morning has no break (it needs one)")
    ]
    one_afternoon_break = changed(DAY, (8, (15, "break", "informal")))
    assert findings(make_plan("day", one_afternoon_break)) == []
    no_afternoon = changed(one_afternoon_break, (10, (15, "break", "free-time")))
    assert findings(make_plan("day", no_afternoon)) == [
        (("blocks", 7, "kind"), "the afternoon has no break (it needs one)")
    ]
    untyped = changed(DAY, (3, (15, "break", None)), (8, (15, "break", None)))
    assert findings(make_plan("day", untyped)) == []


def test_an_away_day_needs_no_break_in_each_half() -> None:
    # The afternoon-and-evening has no break after its meal, and needs none.
    plan = make_plan("away-day", AWAY_DAY)
    meal = next(i for i, b in enumerate(plan.blocks) if b.kind == "meal")
    assert not any(b.break_type == "break" for b in plan.blocks[meal:])
    assert findings(plan) == []


def test_a_break_at_least_every_90_minutes() -> None:
    # Without the break at 14:40, the opening, naming power and the case study run 125 minutes.
    # The count starts again after a report, so the stretch is reported once.
    rows = changed(AWAY_DAY, (3, None))
    rows.insert(4, (25, "activity", "nine-whys"))
    rows = changed(rows, (6, (75, "activity", "fixed-budget-rehearsal")))
    assert findings(make_plan("away-day", rows, focus=["conflict"])) == [
        (
            ("blocks", 3, "minutes"),
            "125 minutes of work without a break by 15:20 (at most 90); add a break or shorten a block",
        )
    ]


def test_exactly_90_minutes_of_work_is_allowed() -> None:
    plan = make_plan("day", DAY)
    assert (plan.blocks[9].minutes, plan.blocks[8].kind, plan.blocks[10].kind) == (
        90,
        "break",
        "break",
    )
    assert findings(plan) == []


# --- each activity in its place: durations, group sizes, roles, the focus ----------------------


@pytest.mark.parametrize(
    ("minutes", "finding"),
    [
        (24, "naming-power runs 25 to 55 minutes, not 24"),
        (25, None),
        (55, None),
        (56, "naming-power runs 25 to 55 minutes, not 56"),
    ],
)
def test_each_activity_runs_within_its_own_duration_range(
    minutes: int, finding: str | None
) -> None:
    # Naming power (25 to 55 minutes) late in the afternoon, the break before it taking up the
    # difference; TRIZ does the early conflict work instead.
    rows = changed(
        AWAY_DAY,
        (2, (40, "activity", "triz")),
        (7, (75 - minutes, "break", "break")),
        (8, (minutes, "activity", "naming-power")),
    )
    plan = make_plan("away-day", rows, focus=["conflict", "personal-contact"])
    expected = [] if finding is None else [(("blocks", 8, "minutes"), finding)]
    assert findings(plan) == expected


@pytest.mark.parametrize(
    ("participants", "finding"),
    [
        (2, "troika-consulting suits 3 to 200 people, not 2"),
        (3, None),
        (200, None),
    ],
)
def test_each_activity_suits_the_group_size(participants: int, finding: str | None) -> None:
    plan = make_plan("six-weekly", SIX_WEEKLY, participants=participants)
    expected = [] if finding is None else [(("blocks", 2, "activity"), finding)]
    assert findings(plan) == expected


def test_an_activity_too_small_for_the_group() -> None:
    # Unsticking actions runs for at most 60 people.
    rows = changed(SIX_WEEKLY, (2, (30, "activity", "unsticking-actions")))
    expected = [(("blocks", 2, "activity"), "unsticking-actions suits 2 to 60 people, not 61")]
    assert findings(make_plan("six-weekly", rows, participants=60)) == []
    assert findings(make_plan("six-weekly", rows, participants=61)) == expected


def test_each_block_holds_an_activity_of_its_own_role() -> None:
    rows = changed(
        SIX_WEEKLY,
        (0, (20, "opening", "check-in-check-out")),
        (5, (20, "close", "opening-six-weekly")),
    )
    plan = make_plan("six-weekly", rows, focus=["conflict"])
    assert findings(plan) == [
        (
            ("blocks", 0, "activity"),
            "check-in-check-out is an activity activity, not one for a opening block",
        ),
        (
            ("blocks", 5, "activity"),
            "opening-six-weekly is an opening activity, not one for a close block",
        ),
    ]
    swapped = changed(SIX_WEEKLY, (1, (35, "activity", "close-key-messages")))
    assert findings(make_plan("six-weekly", swapped, focus=["personal-contact"])) == [
        (
            ("blocks", 1, "activity"),
            "close-key-messages is an close activity, not one for a activity block",
        )
    ]


def test_every_focus_factor_has_an_activity() -> None:
    # Without What I need from you (altruism and conflict) nothing between the opening and the
    # close of an away-day covers altruism: the opening and close do not count there.
    rows = changed(AWAY_DAY, (8, (60, "activity", "four-player-model")))
    assert findings(make_plan("away-day", rows)) == [
        (("focus",), "no activity in the plan covers the focus factor 'altruism'")
    ]
    # Without the conversation after the meal, only the opening covers personal contact.
    evening = changed(AWAY_DAY, (11, (35, "activity", "cascade-the-future")))
    assert findings(make_plan("away-day", evening)) == [
        (("focus",), "no activity in the plan covers the focus factor 'personal-contact'")
    ]


def test_a_six_weekly_meeting_counts_its_opening_and_close_towards_the_focus() -> None:
    # Fifteen percent solutions (altruism) in place of troika consulting (personal contact and
    # altruism): the six-weekly opening still covers personal contact, and there it counts.
    rows = changed(SIX_WEEKLY, (2, (30, "activity", "fifteen-percent-solutions")))
    assert findings(make_plan("six-weekly", rows)) == []
    # With the opening's and close's factors (personal contact, shared purpose, long term) alone,
    # conflict and altruism are not covered.
    bare = [
        (20, "opening", "opening-six-weekly"),
        (65, "activity", "our-shared-work"),
        (15, "break", "break"),
        (60, "activity", "min-specs"),
        (20, "close", "close-six-weekly"),
    ]
    assert findings(make_plan("six-weekly", bare)) == [
        (("focus",), "no activity in the plan covers the focus factor 'conflict'"),
        (("focus",), "no activity in the plan covers the focus factor 'altruism'"),
    ]


def test_a_case_study_block_covers_its_case_within_the_focus() -> None:
    # Canterbury speaks to long term, shared purpose, personal contact and altruism; within a focus
    # on altruism the block covers altruism alone, and retime works that out from the library.
    plan = make_plan("away-day", AWAY_DAY, focus=["altruism", "conflict"])
    canterbury = plan.model_copy(
        update={
            "blocks": [
                b.model_copy(update={"case_study": "canterbury", "factors": []})
                if b.activity == "case-study-discussion"
                else b
                for b in plan.blocks
            ]
        }
    )
    retimed, issues = retime(canterbury, library())
    assert issues == []
    assert retimed.blocks[4].factors == ["altruism"]
    # A case outside the focus covers its own factors; an unknown case, the activity's.
    for case, factors in [
        ("living-longer-living-better", ["long-term", "shared-purpose"]),
        ("no-such-case", list(library().activity("case-study-discussion").factors)),
    ]:
        blocks = [
            b.model_copy(update={"case_study": case}) if i == 4 else b
            for i, b in enumerate(plan.blocks)
        ]
        again, _ = retime(plan.model_copy(update={"blocks": blocks}), library())
        assert again.blocks[4].factors == factors


# --- the blocks themselves: times, kinds, the opening and the close ----------------------------


def test_the_blocks_run_without_gaps_from_start_to_end() -> None:
    plan = make_plan("six-weekly", SIX_WEEKLY)
    blocks = list(plan.blocks)
    blocks[0] = blocks[0].model_copy(update={"start": "14:05"})  # 14:05-14:20 is not 20 minutes
    blocks[2] = blocks[2].model_copy(update={"start": "15:00", "end": "15:30"})  # a gap, overlap
    blocks[5] = blocks[5].model_copy(update={"end": "17:05"})
    broken = plan.model_copy(update={"blocks": blocks})
    assert findings(broken) == [
        (("blocks", 0, "start"), "the first block starts at 14:05, not at 14:00"),
        (("blocks", 5, "end"), "the last block ends at 17:05, not at 17:00"),
        (("blocks", 0, "minutes"), "14:05-14:20 is not 20 minutes"),
        (("blocks", 2, "start"), "a gap or overlap: the previous block ends at 14:55"),
        (("blocks", 3, "start"), "a gap or overlap: the previous block ends at 15:30"),
        (("blocks", 5, "minutes"), "16:40-17:05 is not 20 minutes"),
    ]


def test_work_blocks_name_an_activity_and_breaks_do_not() -> None:
    plan = make_plan("six-weekly", SIX_WEEKLY)
    blocks = list(plan.blocks)
    blocks[2] = blocks[2].model_copy(
        update={"activity": None, "factors": ["personal-contact", "altruism"]}
    )
    blocks[3] = blocks[3].model_copy(update={"activity": "nine-whys"})
    assert findings(plan.model_copy(update={"blocks": blocks})) == [
        (("blocks", 2, "activity"), "a block of kind activity needs an activity id"),
        (("blocks", 3, "activity"), "a break block has no activity (found 'nine-whys')"),
        (("blocks", 3, "activity"), "nine-whys is an activity activity, not one for a break block"),
        # A block with no activity covers nothing, whatever factors it lists.
        (("focus",), "no activity in the plan covers the focus factor 'altruism'"),
    ]


def test_a_plan_opens_with_purpose_and_closes_with_key_messages() -> None:
    rows = [SIX_WEEKLY[1], SIX_WEEKLY[0], *SIX_WEEKLY[2:4], SIX_WEEKLY[5], SIX_WEEKLY[4]]
    assert findings(make_plan("six-weekly", rows)) == [
        (("blocks", 0, "kind"), "a plan opens with an opening block (purpose and principles)"),
        (("blocks", 5, "kind"), "a plan ends with a close block (key messages, next meeting)"),
    ]


def test_an_away_day_and_a_day_open_with_arrival_refreshments() -> None:
    # Without the arrival the opening comes first, and the longer first break keeps the times.
    for fmt, rows, article in (("away-day", AWAY_DAY, "an away-day"), ("day", DAY, "a day")):
        without = changed(rows, (0, None), (3, (30, "break", "break")))
        plan = make_plan(fmt, without)
        assert plan.blocks[0].kind == "opening"
        assert findings(plan) == [
            (
                ("blocks", 0, "kind"),
                f"{article} starts with arrival refreshments (a break block with break_type: "
                "arrival) before the opening",
            )
        ]


def test_a_six_weekly_meeting_may_open_after_an_arrival() -> None:
    rows = changed(SIX_WEEKLY, (1, (25, "activity", "naming-power")))
    with_arrival = [(10, "break", "arrival"), *rows]
    assert findings(make_plan("six-weekly", with_arrival)) == []
    # The opening must come straight after the arrival, not later.
    late = [(10, "break", "arrival"), rows[1], rows[0], *rows[2:]]
    assert findings(make_plan("six-weekly", late)) == [
        (("blocks", 1, "kind"), "a plan opens with an opening block (purpose and principles)")
    ]


def test_a_plan_of_one_arrival_block_breaks_the_shape_rules() -> None:
    plan = make_plan("six-weekly", [(180, "break", "arrival")], focus=["conflict"])
    assert findings(plan) == [
        (("blocks", 0, "kind"), "a plan opens with an opening block (purpose and principles)"),
        (("blocks", 0, "kind"), "a plan ends with a close block (key messages, next meeting)"),
        (("focus",), "no activity in the plan covers the focus factor 'conflict'"),
    ]


# --- retime: the clock worked out again from the minutes ---------------------------------------


def with_minutes(plan: Plan, **minutes: int) -> Plan:
    """The plan with some blocks' minutes changed by hand (``b3=50``), their times left stale."""
    blocks = list(plan.blocks)
    for name, value in minutes.items():
        index = int(name[1:])
        blocks[index] = blocks[index].model_copy(update={"minutes": value})
    return plan.model_copy(update={"blocks": blocks})


def times(plan: Plan) -> list[tuple[str, str]]:
    return [(b.start, b.end) for b in plan.blocks]


def test_retime_moves_every_block_after_an_edit_but_not_the_meal() -> None:
    plan = make_plan("away-day", AWAY_DAY)
    # Five minutes from the case study to the rehearsal: everything between moves, nothing else.
    retimed, issues = retime(with_minutes(plan, b4=35, b6=90), library())
    assert issues == []
    expected = times(plan)
    expected[4:7] = [("14:55", "15:30"), ("15:30", "15:45"), ("15:45", "17:15")]
    assert times(retimed) == expected


@pytest.mark.parametrize(
    ("opening", "finding"),
    [
        (
            50,
            "the blocks before 'Evening meal' (locked at 18:30) end at 18:35, 5 minutes after it; "
            "shorten earlier blocks by 5 minutes",
        ),
        (
            38,
            "the blocks before 'Evening meal' (locked at 18:30) end at 18:23, 7 minutes before it; "
            "lengthen earlier blocks by 7 minutes",
        ),
    ],
)
def test_retime_keeps_the_meal_where_it_is(opening: int, finding: str) -> None:
    plan = make_plan("away-day", AWAY_DAY)
    retimed, issues = retime(with_minutes(plan, b1=opening), library())
    assert issues == [Issue(("blocks", 9, "start"), finding)]
    # The meal and everything after it keep their times; the blocks before it move.
    assert times(retimed)[9:] == times(plan)[9:]
    assert retimed.blocks[8].end == to_clock(18 * 60 + 30 + opening - 45)


def test_retime_reports_an_end_before_or_at_the_start() -> None:
    for end in ("14:00", "13:59"):
        plan = make_plan("six-weekly", SIX_WEEKLY, end=end)
        assert retime(plan, library()) == (
            plan,
            [
                Issue(
                    ("end",),
                    f"the end {end} is not after the start 14:00 (a session starts and ends "
                    "on the same day)",
                )
            ],
        )


def test_retime_reports_an_overrun_and_an_underrun_against_the_end() -> None:
    plan = make_plan("six-weekly", SIX_WEEKLY)
    _, over = retime(with_minutes(plan, b4=70), library())
    assert over == [
        Issue(
            ("end",),
            "the blocks end at 17:10, 10 minutes after the plan's end at 17:00 (an overrun); "
            "shorten blocks by 10 minutes or move the end",
        )
    ]
    short, under = retime(with_minutes(plan, b4=45), library())
    assert under == [
        Issue(
            ("end",),
            "the blocks end at 16:45, 15 minutes before the plan's end at 17:00; lengthen blocks "
            "by 15 minutes or move the end",
        )
    ]
    assert short.blocks[-1].end == "16:45"


def test_retime_stops_at_midnight() -> None:
    plan = make_plan("away-day", AWAY_DAY)
    # The informal time running to one in the morning: the blocks after it are not laid out.
    retimed, issues = retime(with_minutes(plan, b10=330), library())
    assert issues == [
        Issue(("blocks", 10, "minutes"), "the blocks run past midnight", "past-midnight")
    ]
    assert len(retimed.blocks) == 11
    assert times(retimed)[10] == ("19:30", "01:00")
    # Exactly to midnight is an overrun, not past midnight.
    to_midnight, issues = retime(with_minutes(plan, b12=205), library())
    assert issues == [
        Issue(
            ("end",),
            "the blocks end at 00:00, 180 minutes after the plan's end at 21:00 (an overrun); "
            "shorten blocks by 180 minutes or move the end",
        )
    ]
    assert times(to_midnight)[12] == ("20:35", "00:00")


def test_retime_takes_titles_and_factors_from_the_library() -> None:
    plan = make_plan("six-weekly", SIX_WEEKLY)
    blocks = list(plan.blocks)
    blocks[2] = blocks[2].model_copy(update={"activity": "helping-heuristics", "title": "stale"})
    blocks[3] = blocks[3].model_copy(update={"title": "Tea, and a walk"})
    blocks[4] = blocks[4].model_copy(update={"activity": "our-shared-wrk", "title": "Ours"})
    retimed, issues = retime(plan.model_copy(update={"blocks": blocks}), library())
    helping = library().activity("helping-heuristics")
    assert (retimed.blocks[2].title, retimed.blocks[2].factors) == (
        helping.title,
        list(helping.factors),
    )
    assert retimed.blocks[3].title == "Tea, and a walk"  # a break keeps the title typed for it
    # An unknown id is reported where it was typed, and the block keeps what it had.
    assert (retimed.blocks[4].title, retimed.blocks[4].factors) == (
        "Ours",
        ["shared-purpose", "long-term"],
    )
    assert len(issues) == 1
    assert issues[0].loc == ("blocks", 4, "activity")
    assert issues[0].code == "rule"
    assert issues[0].message.startswith("no playbook entry has the id 'our-shared-wrk'")


# --- the paper's moves an edit may drop, with a warning ----------------------------------------


def warnings_for(fmt: str, rows: list[Row], **fields: Any) -> list[str]:
    return commitment_warnings(make_plan(fmt, rows, **fields), library())


NO_POWER = "conflict is in focus but no block names the power in the room"
NO_REHEARSAL = (
    "conflict is in focus but no block rehearses the fixed-budget conflict "
    "(set rehearsal: false in the plan to leave it out on purpose)"
)


def test_an_edit_that_drops_the_naming_of_power_is_warned_about() -> None:
    rows = changed(AWAY_DAY, (2, (40, "activity", "triz")))
    assert warnings_for("away-day", rows) == [NO_POWER]
    assert warnings_for("away-day", rows, focus=["altruism"]) == []


def test_an_edit_that_drops_the_rehearsal_is_warned_about_unless_left_out_on_purpose() -> None:
    rows = changed(AWAY_DAY, (6, (85, "activity", "role-reversal")))
    assert warnings_for("away-day", rows) == [NO_REHEARSAL]
    assert warnings_for("away-day", rows, rehearsal=False) == []
    assert warnings_for("day", changed(DAY, (9, (90, "activity", "role-reversal")))) == [
        NO_REHEARSAL
    ]
    neither = changed(rows, (2, (40, "activity", "triz")))
    assert warnings_for("away-day", neither) == [NO_POWER, NO_REHEARSAL]
    assert warnings_for("away-day", neither, focus=["long-term"]) == []


def test_the_rehearsal_comes_after_the_power_is_named() -> None:
    swapped = changed(AWAY_DAY, (2, AWAY_DAY[6]), (6, AWAY_DAY[2]))
    assert warnings_for("away-day", swapped) == [
        "the fixed-budget rehearsal runs before the power in the room is named"
    ]
    # Named first and again later: the first naming is the one that counts.
    again = changed(AWAY_DAY, (8, (60, "activity", "naming-power")))
    assert warnings_for("away-day", again) == []


def test_a_six_weekly_meeting_with_conflict_in_focus_does_one_of_the_two() -> None:
    assert warnings_for("six-weekly", SIX_WEEKLY) == []
    rehearsal = [
        SIX_WEEKLY[0],
        (65, "activity", "fixed-budget-rehearsal"),
        SIX_WEEKLY[3],
        SIX_WEEKLY[4],
        SIX_WEEKLY[5],
    ]
    assert warnings_for("six-weekly", rehearsal) == []
    neither = changed(SIX_WEEKLY, (1, (35, "activity", "triz")))
    expected = (
        "conflict is in focus but no block names the power in the room or rehearses the "
        "fixed-budget conflict"
    )
    assert warnings_for("six-weekly", neither) == [expected]
    assert warnings_for("six-weekly", neither, focus=["personal-contact"]) == []


def test_an_edit_that_drops_the_cascade_or_the_live_issue_is_warned_about() -> None:
    no_cascade = changed(SIX_WEEKLY, (5, (20, "close", "check-in-check-out")))
    assert warnings_for("six-weekly", no_cascade) == [
        "the close no longer agrees the key messages each leader takes back"
    ]
    ends_with_a_break = changed(SIX_WEEKLY, (5, (20, "break", "break")))
    assert warnings_for("six-weekly", ends_with_a_break) == []
    issue = "Winter discharge delays"
    assert warnings_for("six-weekly", SIX_WEEKLY, issues=[issue]) == [
        "the plan names a live issue but no block works on it"
    ]
    worked = changed(SIX_WEEKLY, (4, (60, "activity", "our-shared-work", {"issue": issue})))
    assert warnings_for("six-weekly", worked, issues=[issue]) == []


# --- edges: a minute either way, midnight, the first and last blocks ---------------------------


def test_retime_says_one_minute_late_or_early_as_it_is() -> None:
    plan = make_plan("away-day", AWAY_DAY)
    _, late = retime(with_minutes(plan, b1=46), library())
    assert late == [
        Issue(
            ("blocks", 9, "start"),
            "the blocks before 'Evening meal' (locked at 18:30) end at 18:31, 1 minutes after it; "
            "shorten earlier blocks by 1 minutes",
        )
    ]
    _, over = retime(with_minutes(plan, b12=26), library())
    assert over == [
        Issue(
            ("end",),
            "the blocks end at 21:01, 1 minutes after the plan's end at 21:00 (an overrun); "
            "shorten blocks by 1 minutes or move the end",
        )
    ]


def test_a_block_that_starts_at_midnight_starts_at_00_00() -> None:
    # The conversation after the meal runs 20:00 to midnight; the close would start at 00:00.
    plan = make_plan("away-day", AWAY_DAY)
    retimed, issues = retime(with_minutes(plan, b11=240, b12=20), library())
    assert issues == [
        Issue(("blocks", 12, "minutes"), "the blocks run past midnight", "past-midnight")
    ]
    assert times(retimed)[11:] == [("20:00", "00:00"), ("00:00", "00:20")]


def test_an_arrival_and_an_opening_alone_open_the_plan_properly() -> None:
    plan = make_plan(
        "six-weekly",
        [(10, "break", "arrival"), (30, "opening", "opening-six-weekly")],
        focus=["personal-contact"],
    )
    assert findings(plan) == [
        (("blocks", 1, "kind"), "a plan ends with a close block (key messages, next meeting)")
    ]


def test_work_straight_after_the_evening_meal_counts_towards_its_hour() -> None:
    rows = changed(
        AWAY_DAY,
        (10, (40, "activity", "person-behind-the-role")),
        (11, (25, "break", "informal")),
    )
    assert findings(make_plan("away-day", rows)) == [
        (
            ("blocks", 10, "minutes"),
            "65 minutes of structured work after the evening meal (at most 60); "
            "give the rest to informal time",
        )
    ]


def test_a_plan_that_starts_with_a_long_block() -> None:
    rows = [
        (75, "activity", "fixed-budget-rehearsal"),
        (10, "break", "break"),
        (75, "activity", "our-shared-work"),
        (5, "break", "break"),
        (15, "close", "close-six-weekly"),
    ]
    plan = make_plan("six-weekly", rows, focus=["conflict"])
    assert findings(plan) == [
        (("blocks", 0, "kind"), "a plan opens with an opening block (purpose and principles)")
    ]


def test_a_first_stretch_of_exactly_90_minutes_is_allowed() -> None:
    # 20 + 40 + 30 from 14:00, with no arrival before it.
    rows = changed(
        SIX_WEEKLY, (1, (40, "activity", "naming-power")), (4, (55, "activity", "our-shared-work"))
    )
    assert findings(make_plan("six-weekly", rows)) == []


def test_after_a_long_stretch_is_reported_the_count_starts_again() -> None:
    # 45 + 40 + 40 = 125 minutes by 15:20 (reported), then the rehearsal's 90 with no break
    # before it: a new stretch of exactly 90, which is allowed.
    rows = [
        AWAY_DAY[0],
        AWAY_DAY[1],
        AWAY_DAY[2],
        AWAY_DAY[4],
        (90, "activity", "fixed-budget-rehearsal"),
        (20, "break", "break"),
        (80, "activity", "what-i-need-from-you"),
        *AWAY_DAY[9:],
    ]
    assert findings(make_plan("away-day", rows)) == [
        (
            ("blocks", 3, "minutes"),
            "125 minutes of work without a break by 15:20 (at most 90); add a break or shorten a block",
        )
    ]


def test_each_half_of_a_day_counts_its_own_breaks() -> None:
    # A short morning whose only break comes just before lunch, and an afternoon with none.
    before_lunch = [
        (15, "break", "arrival"),  # 10:30
        (45, "opening", "opening-purpose-and-principles"),  # 10:45
        (40, "activity", "naming-power"),  # 11:30
        (20, "break", "break"),  # 12:10
        (45, "meal", None),  # 12:30
        (45, "activity", "person-behind-the-role"),  # 13:15
        (15, "break", "informal"),
        (90, "activity", "fixed-budget-rehearsal"),
        (15, "break", "informal"),
        (30, "close", "close-key-messages"),  # to 16:30
    ]
    plan = make_plan("day", before_lunch, start="10:30", focus=["conflict", "personal-contact"])
    assert findings(plan) == [(("blocks", 5, "kind"), "the afternoon has no break (it needs one)")]
    # The afternoon's only break just after lunch is enough.
    after_lunch = [
        *DAY[:7],
        (15, "break", "break"),  # 13:15
        (90, "activity", "fixed-budget-rehearsal"),
        (15, "break", "informal"),
        (45, "activity", "person-behind-the-role"),
        (30, "close", "close-key-messages"),  # to 16:30
    ]
    assert findings(make_plan("day", after_lunch)) == []


def test_a_format_that_asks_for_two_breaks_a_half_counts_them() -> None:
    day = library().session_format("day")
    stricter = Library(
        entries={**library().entries, "day": day.model_copy(update={"breaks_per_half": 2})}
    )
    # The reference day has one break in the morning and two in the afternoon.
    assert [(i.loc, i.message) for i in check_plan(make_plan("day", DAY), stricter)] == [
        (("blocks", 0, "kind"), "the morning has no break (it needs one)")
    ]


def test_an_unknown_activity_does_not_stop_the_checks_of_later_blocks() -> None:
    plan = make_plan("away-day", changed(AWAY_DAY, (2, (40, "activity", "triz"))))
    blocks = list(plan.blocks)
    blocks[2] = blocks[2].model_copy(
        update={"activity": "canterbury"}
    )  # a case study, not an activity
    blocks[11] = blocks[11].model_copy(update={"activity": "heard-seen-respected"})
    assert findings(plan.model_copy(update={"blocks": blocks})) == [
        (
            ("blocks", 11, "activity"),
            "heard-seen-respected does not suit the evening after a meal "
            "(choose reflective conversation)",
        )
    ]


def test_a_rehearsal_first_in_the_plan_without_naming_power() -> None:
    rows = [(85, "activity", "fixed-budget-rehearsal"), *AWAY_DAY[7:]]
    assert warnings_for("away-day", rows) == [NO_POWER]


def test_a_rehearsal_with_no_naming_of_power_anywhere_in_a_long_plan() -> None:
    # However many blocks come before the rehearsal, it is not "before" a naming that never comes.
    rows = [
        *[(1, "break", "break")] * 70,
        (85, "activity", "fixed-budget-rehearsal"),
        *AWAY_DAY[9:],
    ]
    assert warnings_for("away-day", rows) == [NO_POWER]
    # Nor is a naming of power with no rehearsal after it, wherever it falls.
    late = [*[(1, "break", "break")] * 70, (40, "activity", "naming-power"), *AWAY_DAY[9:]]
    assert warnings_for("away-day", late, rehearsal=False) == []


def test_one_block_that_names_power_and_rehearses_is_not_a_rehearsal_before_the_naming() -> None:
    # A library of one's own may hold an activity that makes both moves; it runs neither first.
    both = (
        library()
        .activity("naming-power")
        .model_copy(update={"moves": ["name-power", "budget-rehearsal"]})
    )
    own = Library(entries={**library().entries, "naming-power": both})
    rows = changed(AWAY_DAY, (6, (85, "activity", "role-reversal")))
    assert commitment_warnings(make_plan("away-day", rows), own) == []
