"""The planner's parts, each with figures worked out by hand.

The property tests (test_planner_properties.py, test_method.py) read whole plans; these pin the
pieces a plan is made of, so that a change to one of them shows here by name: how long an activity
may run, what a layout costs, how long a segment's content is estimated to run, the order along the
arc, the moves a request commits to, where the meal goes, what a plan records of its request, and
what the planner says when it leaves a move out or cannot plan at all.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from functools import cache
from pathlib import Path

import pytest

from syslead.errors import PlanningError
from syslead.library.loader import Library, load_library
from syslead.library.models import Activity, CaseStudy
from syslead.planning.plan import PlanRequest, to_clock, to_minutes
from syslead.planning.planner import (
    Piece,
    Segment,
    Span,
    _cap_stretches,
    _case_for,
    _Choosing,
    _distribute,
    _estimate,
    _layout_cost,
    _meal_time,
    _ordered,
    _prepare,
    _score,
    activity_span,
    plan_session,
    wanted_moves,
)

from .conftest import WriteTree

ALL_FIVE = ["shared-purpose", "personal-contact", "conflict", "altruism", "long-term"]
BUILTIN = Path(__file__).resolve().parents[1] / "playbooks"


@cache
def library() -> Library:
    return load_library()


def activity(activity_id: str) -> Activity:
    return library().activity(activity_id)


def with_duration(activity_id: str, low: int, default: int, high: int) -> Activity:
    base = activity(activity_id)
    duration = base.duration.model_copy(update={"min": low, "default": default, "max": high})
    return base.model_copy(update={"duration": duration})


# --- how long an activity may run --------------------------------------------------------------


@pytest.mark.parametrize(
    ("activity_id", "max_work", "least", "span"),
    [
        ("naming-power", 90, 0, Span(25, 40, 55)),  # its own range, 25 to 55, preferring 40
        ("naming-power", 90, 30, Span(30, 40, 55)),  # a longer minimum asked for
        ("fixed-budget-rehearsal", 90, 0, Span(60, 90, 90)),  # 60 to 120, capped at 90
        ("fishbanks", 90, 0, Span(90, 90, 90)),  # 90 to 170: only 90 fits in a stretch
        ("fishbanks", 80, 0, Span(80, 80, 80)),  # at least 90, but a stretch holds 80
        ("one-two-four-all", 90, 0, Span(8, 10, 20)),  # 12 preferred, rounded to 10
        ("troika-consulting", 90, 0, Span(20, 30, 45)),
    ],
)
def test_an_activity_runs_within_its_range_capped_by_a_stretch(
    activity_id: str, max_work: int, least: int, span: Span
) -> None:
    assert activity_span(activity(activity_id), max_work, least) == span


def test_a_preferred_length_is_rounded_to_five_minutes_only_within_the_range() -> None:
    # 13 rounds to 15, beyond the most (14); 12 rounds to 10, below the least (11); 17 to 15.
    assert activity_span(with_duration("nine-whys", 12, 13, 14), 90) == Span(12, 13, 14)
    assert activity_span(with_duration("nine-whys", 11, 12, 14), 90) == Span(11, 12, 14)
    assert activity_span(with_duration("nine-whys", 10, 17, 30), 90) == Span(10, 15, 30)
    assert activity_span(with_duration("nine-whys", 15, 17, 30), 90) == Span(15, 15, 30)
    assert activity_span(with_duration("nine-whys", 10, 17, 15), 90) == Span(10, 15, 15)


# --- what a layout costs -----------------------------------------------------------------------


def test_the_cost_of_a_layout_worked_by_hand() -> None:
    opening = Piece("opening", Span(30, 45, 60), minutes=50)  # 5 from its preferred 45
    work = Piece("activity", Span(25, 40, 55), minutes=40)  # exactly its preferred length
    pieces = [
        Piece("break", Span(15, 15, 15), break_type="arrival", minutes=15),  # costs nothing
        opening,
        Piece("break", Span(10, 15, 20), break_type="break", minutes=20),  # 5 from the usual 15
        work,
        Piece("break", Span(0, 0, 45), break_type="free-time", minutes=45),  # 15 over 30 minutes
    ]
    # A break straight after the opening costs twice BREAK_COST (12): 24 + 5 + 5 + 15 = 49.
    assert _layout_cost(pieces, 15) == 49
    evening = [
        Piece("break", Span(10, 10, 120), break_type="informal", minutes=50),  # 10 over lo + 30
        Piece("activity", Span(25, 35, 50), minutes=30),  # 5 short
        Piece("break", Span(5, 15, 20), break_type="break", minutes=10),  # 5 short of 15
        Piece("close", Span(20, 30, 45), minutes=30),
    ]
    # A close straight after a break costs 24 too: 24 + 10 + 5 + 5 = 44.
    assert _layout_cost(evening, 15) == 44
    # Informal time up to 30 minutes beyond its least, and free time up to 30, cost nothing.
    easy = [
        Piece("break", Span(10, 10, 120), break_type="informal", minutes=40),
        Piece("break", Span(0, 0, 45), break_type="free-time", minutes=30),
    ]
    assert _layout_cost(easy, 15) == 0
    assert _layout_cost([opening], 15) == 5
    assert _layout_cost([Piece("close", Span(20, 30, 45), minutes=20)], 15) == 10


# --- how long a segment's content is estimated to run ------------------------------------------


def test_a_segment_estimate_worked_by_hand() -> None:
    opening = activity("opening-purpose-and-principles")  # 30 to 60, preferring 45
    chosen = [activity("naming-power"), activity("fixed-budget-rehearsal")]  # 40 and 90 preferred
    segment = Segment(0, 400, head=opening)
    # 45 + 40 + 90 = 175 minutes of work: two stretches of at most 90, so one break of 15.
    assert _estimate(segment, chosen, 90, 15, {}) == 190
    # At their least, 30 + 25 + 60 = 115: still two stretches.
    assert _estimate(segment, chosen, 90, 15, {}, shortest=True) == 130
    # A longer least for naming power (50): 30 + 50 + 60 = 140, and one break.
    assert _estimate(segment, chosen, 90, 15, {"naming-power": 50}, shortest=True) == 155
    # 90 minutes exactly is one stretch, with no break.
    assert _estimate(Segment(0, 400), [activity("fixed-budget-rehearsal")], 90, 15, {}) == 90
    # A segment that needs two breaks has them, even when the work would need fewer.
    two = Segment(0, 400, head=opening, tail=activity("close-key-messages"), min_breaks=2)
    assert _estimate(two, [], 90, 15, {}) == 45 + 30 + 2 * 15


def test_activities_run_along_the_arc_and_demanding_work_first() -> None:
    names = [
        "close-key-messages",  # close, low
        "min-specs",  # decide, medium
        "fixed-budget-rehearsal",  # decide, high
        "heard-seen-respected",  # explore, low
        "triz",  # explore, high
        "wicked-questions",  # explore, medium
        "nine-whys",  # open, low
        "impromptu-networking",  # open, high
    ]
    assert [a.id for a in _ordered([activity(n) for n in names])] == [
        "impromptu-networking",
        "nine-whys",
        "triz",
        "wicked-questions",
        "heard-seen-respected",
        "fixed-budget-rehearsal",
        "min-specs",
        "close-key-messages",
    ]


# --- the moves a request commits to ------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_fields", "moves"),
    [
        ({}, ["name-power", "budget-rehearsal", "case-study"]),
        ({"format": "day"}, ["name-power", "budget-rehearsal", "case-study"]),
        ({"format": "six-weekly"}, ["name-power", "budget-rehearsal", "shared-business"]),
        ({"focus": ["altruism"]}, ["case-study"]),
        ({"rehearsal": False}, ["name-power", "case-study"]),
        ({"focus": ["altruism"], "require": ["name-power"]}, ["name-power", "case-study"]),
        (
            {"focus": ["altruism"], "require": ["budget-rehearsal"]},
            ["budget-rehearsal", "case-study"],
        ),
        (
            {"focus": ["altruism"], "require": ["budget-rehearsal"], "rehearsal": False},
            ["case-study"],
        ),
        (
            {"format": "six-weekly", "issues": ["Winter discharge delays"]},
            ["name-power", "budget-rehearsal", "live-issue", "shared-business"],
        ),
        ({"focus": ["altruism"], "returns_to": "Who pays"}, ["case-study", "live-issue"]),
        ({"focus": ["altruism"], "review": ["Send the figures"]}, ["review", "case-study"]),
    ],
)
def test_the_moves_a_request_commits_to(
    request_fields: dict[str, object], moves: list[str]
) -> None:
    request = PlanRequest.model_validate(request_fields)
    fmt = library().session_format(request.format)
    assert wanted_moves(request, fmt, request.focus or ALL_FIVE) == moves


# --- what a plan records of its request --------------------------------------------------------


def test_a_plan_records_its_request() -> None:
    request = PlanRequest(
        date=dt.date(2027, 1, 15),
        organisations=["City Council", "Acute Trust"],
        title="Winter together",
        seed=7,
        reasons=["The last session asked for it."],
        issues=["Winter discharge delays"],
    )
    plan = plan_session(library(), request)
    assert plan.title == "Winter together"
    assert plan.date == dt.date(2027, 1, 15)
    assert plan.next_meeting == dt.date(2027, 2, 26)  # six weeks on
    assert plan.organisations == ["City Council", "Acute Trust"]
    assert (plan.format, plan.start, plan.end, plan.participants) == (
        "away-day",
        "13:00",
        "21:00",
        12,
    )
    assert plan.focus == ALL_FIVE
    assert plan.seed == 7
    assert plan.plan_id == "AD-1300-2100-F12345-P12-S7-I1"
    assert plan.principles == "devon-principles"
    assert plan.issues == ["Winter discharge delays"]
    assert plan.rehearsal is True
    assert plan.notes == []
    assert plan.reasons == ["The last session asked for it."]
    assert [b.issue for b in plan.blocks if b.issue] == ["Winter discharge delays"]


@pytest.mark.parametrize(
    ("fmt", "title"),
    [
        ("away-day", "System leadership away session"),
        ("six-weekly", "System leadership meeting"),
        ("day", "System leadership day"),
    ],
)
def test_each_format_has_its_own_default_title_and_no_date(fmt: str, title: str) -> None:
    plan = plan_session(library(), PlanRequest(format=fmt))
    assert (plan.title, plan.date, plan.next_meeting) == (title, None, None)


def test_a_given_next_meeting_wins_over_six_weeks_on() -> None:
    request = PlanRequest(date=dt.date(2027, 1, 15), next_meeting=dt.date(2027, 3, 1))
    assert plan_session(library(), request).next_meeting == dt.date(2027, 3, 1)


def test_focus_given_twice_counts_once_in_the_order_given() -> None:
    plan = plan_session(library(), PlanRequest(focus=["conflict", "altruism", "conflict"]))
    assert plan.focus == ["conflict", "altruism"]
    assert plan.plan_id == "AD-1300-2100-F34-P12-S1"


# --- where the meal goes -----------------------------------------------------------------------


def meal_start(**fields: object) -> str:
    plan = plan_session(library(), PlanRequest.model_validate(fields))
    (meal,) = [b for b in plan.blocks if b.kind == "meal"]
    assert meal.locked
    return meal.start


def test_the_meal_at_its_usual_time_or_as_near_as_the_window_allows() -> None:
    assert meal_start() == "18:30"
    assert meal_start(format="day") == "12:30"
    assert meal_start(meal="19:00") == "19:00"
    # An away-day ending at 19:30 keeps 80 minutes after its hour-long meal (the close's 30 and
    # 50 more): the meal moves forward to 17:10.
    assert meal_start(start="12:00", end="19:30") == "17:10"
    # A day from 13:00 to 18:30 has its usual lunch time before its opening could finish (13:45),
    # so lunch goes in the middle: 13:00 + (330 - 45) // 2 = 15:22.
    assert meal_start(format="day", start="13:00", end="18:30") == "15:22"


# --- what a plan says when it leaves a move out -----------------------------------------------


def narrowed(write_tree: WriteTree, activity_id: str, group_size: str) -> Library:
    """The built-in library with one activity's group sizes narrowed."""
    path = BUILTIN / "activities" / f"{activity_id}.yaml"
    text = re.sub(r"group_size: .*", f"group_size: {group_size}", path.read_text())
    return load_library([write_tree({f"activities/{activity_id}.yaml": text})])


def test_a_move_no_activity_suits_is_left_out_with_a_note(write_tree: WriteTree) -> None:
    narrow = narrowed(write_tree, "naming-power", "{min: 6, max: 24}")
    plan = plan_session(narrow, PlanRequest(participants=4, focus=["conflict"]))
    assert plan.notes == [
        "Naming the power in the room is left out: no activity for it suits an away-day for "
        "4 people."
    ]
    assert "naming-power" not in [b.activity for b in plan.blocks]


def test_a_move_held_at_an_earlier_session_is_not_repeated() -> None:
    request = PlanRequest(focus=["conflict"], avoid=["naming-power", "fixed-budget-rehearsal"])
    plan = plan_session(library(), request)
    assert plan.notes == [
        "Naming the power in the room was held at an earlier session of this programme, so this "
        "session does not repeat it.",
        "The fixed-budget rehearsal was held at an earlier session of this programme, so this "
        "session does not repeat it.",
    ]
    used = [b.activity for b in plan.blocks]
    assert "naming-power" not in used
    assert "fixed-budget-rehearsal" not in used
    assert re.fullmatch(r"AD-1300-2100-F3-P12-S1-X[0-9a-f]{8}", plan.plan_id)


def test_a_standing_move_comes_back_at_every_session() -> None:
    # The group's own business is held again even though the programme used both activities
    # that hold it: a six-weekly meeting always keeps time for it, and says nothing of it.
    request = PlanRequest(format="six-weekly", avoid=["our-shared-work", "live-issue"])
    plan = plan_session(library(), request)
    assert {"our-shared-work", "live-issue"} & {b.activity for b in plan.blocks}
    assert plan.notes == []


def test_a_six_weekly_meeting_keeps_the_required_conflict_move() -> None:
    for move, activity_id in (
        ("name-power", "naming-power"),
        ("budget-rehearsal", "fixed-budget-rehearsal"),
    ):
        for seed in range(4):
            request = PlanRequest(format="six-weekly", seed=seed, require=[move])
            used = [b.activity for b in plan_session(library(), request).blocks]
            other = {"naming-power", "fixed-budget-rehearsal"} - {activity_id}
            assert activity_id in used
            assert not other & set(used)


def test_a_six_weekly_meeting_prefers_the_conflict_move_not_held_before() -> None:
    for seed in range(4):
        request = PlanRequest(format="six-weekly", seed=seed, avoid=["naming-power"])
        used = [b.activity for b in plan_session(library(), request).blocks]
        assert "fixed-budget-rehearsal" in used
        assert "naming-power" not in used


def test_the_seed_chooses_between_the_two_conflict_moves_of_a_six_weekly_meeting() -> None:
    chosen = set()
    for seed in range(12):
        used = [
            b.activity
            for b in plan_session(library(), PlanRequest(format="six-weekly", seed=seed)).blocks
        ]
        (move,) = {"naming-power", "fixed-budget-rehearsal"} & set(used)
        chosen.add(move)
    assert chosen == {"naming-power", "fixed-budget-rehearsal"}


# --- what the planner says when it cannot plan -------------------------------------------------


def refusal(library_: Library, request: PlanRequest) -> PlanningError:
    with pytest.raises(PlanningError) as caught:
        plan_session(library_, request)
    return caught.value


def test_no_opening_for_the_group_is_refused_with_the_sizes_that_would_do(
    write_tree: WriteTree,
) -> None:
    narrow = narrowed(write_tree, "opening-purpose-and-principles", "{min: 6, max: 40}")
    error = refusal(narrow, PlanRequest(participants=4))
    assert str(error) == (
        "no opening activity for an away-day suits a group of 4; the opening activities take "
        "these group sizes: opening-purpose-and-principles (6-40); change participants, or add "
        "an opening activity of your own with playbooks"
    )
    assert error.field == "participants"


def test_a_focus_factor_no_activity_can_cover_for_the_group_is_refused(
    write_tree: WriteTree,
) -> None:
    # Altruism's activities all narrowed to groups of 10 to 30, except the case study's, which
    # covers it only when its case does.
    files = {}
    for entry in library().activities:
        if "altruism" in entry.factors and entry.role == "activity":
            path = BUILTIN / "activities" / f"{entry.id}.yaml"
            text = re.sub(r"group_size: .*", "group_size: {min: 10, max: 30}", path.read_text())
            files[f"activities/{entry.id}.yaml"] = text
    narrow = load_library([write_tree(files)])
    error = refusal(narrow, PlanRequest(participants=4, focus=["altruism"], format="six-weekly"))
    assert str(error) == (
        "no activity for the factor 'altruism' suits a six-weekly for 4 people; its activities "
        "take groups of 10 to 30: change participants or drop focus altruism"
    )
    assert error.field == "participants"


NO_PLAN = "no plan covers shared-purpose, personal-contact, conflict, altruism, long-term in"


@pytest.mark.parametrize(
    ("request_fields", "field", "message"),
    [
        (
            {"start": "17:00", "end": "14:00"},
            "end",
            "the end 14:00 is not after the start 17:00 (sessions must start and end on the same "
            "day)",
        ),
        (
            {"meal": "16:00"},
            "meal",
            "meal 16:00 is too early: an away-day's meal is an evening meal, at 17:00 or later",
        ),
        (
            {"meal": "13:10"},
            "meal",
            "a meal at 13:10 leaves no room for the opening before it or the close after it; "
            "choose a time from 13:45 to 19:40",
        ),
        (
            {"format": "six-weekly", "meal": "15:00"},
            "meal",
            "meal 15:00: a six-weekly has no meal; give it only with format away-day or day",
        ),
        (
            {"start": "09:00", "end": "13:00"},
            "end",
            "an away-day runs into the evening, with its meal at 17:00 or later, but 09:00-13:00 "
            "would put the meal at 10:40; end at 19:20 or later, or use format day for a daytime "
            "session",
        ),
        # The first end a quarter of an hour later that works.
        (
            {"format": "six-weekly", "start": "14:00", "end": "16:00"},
            "end",
            f"{NO_PLAN} 14:00-16:00 (120 minutes) for 12 people: the window is too short; end "
            "16:15 would work (later), or use fewer focus factors",
        ),
        # Seven hours is too long for a six-weekly meeting's three methods: an earlier end works.
        (
            {"format": "six-weekly", "start": "09:00", "end": "16:00"},
            "end",
            f"{NO_PLAN} 09:00-16:00 (420 minutes) for 12 people: the window is too long for the "
            "activities that fit; end 14:30 would work (earlier), or use fewer focus factors",
        ),
        # A meeting that would need to run past midnight: no end that day works, and an end so
        # early that the window cannot hold the opening and close is not suggested either.
        (
            {"format": "six-weekly", "start": "22:00", "end": "23:00"},
            "end",
            f"{NO_PLAN} 22:00-23:00 (60 minutes) for 12 people; try a different window, fewer "
            "focus factors or another participants",
        ),
        # It would fit by exactly midnight (135 minutes), which is not a time on the same day.
        (
            {"format": "six-weekly", "start": "21:45", "end": "22:45"},
            "end",
            f"{NO_PLAN} 21:45-22:45 (60 minutes) for 12 people; try a different window, fewer "
            "focus factors or another participants",
        ),
        # A meal at 17:00 leaves exactly the arrival and the shortest opening before it (allowed),
        # but then no room for the committed work.
        (
            {"start": "16:15", "meal": "17:00"},
            "end",
            f"{NO_PLAN} 16:15-21:00 (285 minutes) for 12 people; try a different window, fewer "
            "focus factors or another participants",
        ),
    ],
)
def test_every_refusal_says_why_and_names_the_field_to_change(
    request_fields: dict[str, object], field: str, message: str
) -> None:
    error = refusal(library(), PlanRequest.model_validate(request_fields))
    assert (str(error), error.field) == (message, field)


def test_the_meal_may_sit_at_either_end_of_its_range() -> None:
    # From 17:00, the earliest evening meal, to 19:40, which leaves the shortest close (20).
    assert meal_start(meal="17:00") == "17:00"
    assert meal_start(meal="19:40") == "19:40"


# --- the meal's time, worked out by hand --------------------------------------------------------


def meal_at(fmt_id: str, start: str, end: str, before: int, after: int) -> str:
    fmt = library().session_format(fmt_id)
    close = activity("close-key-messages")  # preferring 30 minutes
    request = PlanRequest(format=fmt_id)
    return to_clock(
        _meal_time(request, fmt, to_minutes(start), to_minutes(end), before, after, close)
    )


def test_an_evening_meal_keeps_an_evening_after_it_when_it_can() -> None:
    # The evening kept after the meal: the close's preferred 30 minutes and 50 more, 80 in all.
    assert meal_at("away-day", "13:00", "21:00", 45, 20) == "18:30"  # as usual
    assert meal_at("away-day", "13:00", "19:30", 45, 20) == "17:10"  # 19:30 - 60 - 80
    # From 16:15 the opening is done at 17:00; ending at 19:20, 80 minutes after the meal would
    # put it at 17:00, which is just possible.
    assert meal_at("away-day", "16:15", "19:20", 45, 20) == "17:00"
    # Ending at 19:10 it is not (16:50): the meal keeps only the shortest close after it, 17:50.
    assert meal_at("away-day", "16:15", "19:10", 45, 20) == "17:50"


def test_a_lunch_near_its_usual_time_or_in_the_middle() -> None:
    assert meal_at("day", "09:30", "16:30", 45, 20) == "12:30"  # as usual
    # 12:30 is just possible when the opening ends then, or when only the close follows lunch.
    assert meal_at("day", "11:45", "16:30", 45, 20) == "12:30"
    assert meal_at("day", "09:30", "13:35", 45, 20) == "12:30"
    # Ending at 13:00 leaves no room for 12:30: lunch goes in the middle, 09:30 + (210 - 45) // 2.
    assert meal_at("day", "09:30", "13:00", 45, 20) == "10:52"
    # Starting at 11:50 the opening ends at 12:35: lunch in the middle, 11:50 + (280 - 45) // 2.
    assert meal_at("day", "11:50", "16:30", 45, 20) == "13:47"
    # A short day whose middle comes before the opening could finish: lunch after the opening.
    assert meal_at("day", "09:30", "11:30", 45, 20) == "10:15"


# --- the case study matched to the focus ---------------------------------------------------------


def test_the_case_study_speaks_to_the_focus() -> None:
    # Two cases speak to conflict (Leeds pound and Salford together, both also on altruism); the
    # block covers conflict alone.
    cases = set()
    for seed in range(6):
        plan = plan_session(library(), PlanRequest(focus=["conflict"], seed=seed))
        (block,) = [b for b in plan.blocks if b.case_study]
        cases.add(block.case_study)
        assert block.factors == ["conflict"]
    assert cases <= {"leeds-pound", "salford-together"}


def test_with_no_case_on_the_focus_any_case_is_discussed_for_what_it_covers() -> None:
    no_conflict = Library(
        entries={
            key: entry
            for key, entry in library().entries.items()
            if not (isinstance(entry, CaseStudy) and "conflict" in entry.factors)
        }
    )
    case, factors = _case_for(no_conflict, ["conflict"], random.Random(1))
    assert case is not None
    assert "conflict" not in case.factors
    assert factors == list(case.factors)
    no_cases = Library(
        entries={k: e for k, e in library().entries.items() if not isinstance(e, CaseStudy)}
    )
    assert _case_for(no_cases, ["conflict"], random.Random(1)) == (None, [])


# --- a six-weekly meeting's one conflict move ---------------------------------------------------


def test_a_six_weekly_meeting_without_the_rehearsal_names_power() -> None:
    for seed in range(6):
        request = PlanRequest(format="six-weekly", focus=["conflict"], rehearsal=False, seed=seed)
        used = [b.activity for b in plan_session(library(), request).blocks]
        assert "naming-power" in used
        assert "fixed-budget-rehearsal" not in used


def test_a_six_weekly_meeting_with_neither_conflict_move_possible_says_so(
    write_tree: WriteTree,
) -> None:
    files = {}
    for activity_id in ("naming-power", "fixed-budget-rehearsal"):
        path = BUILTIN / "activities" / f"{activity_id}.yaml"
        text = re.sub(r"group_size: .*", "group_size: {min: 6, max: 24}", path.read_text())
        files[f"activities/{activity_id}.yaml"] = text
    narrow = load_library([write_tree(files)])
    request = PlanRequest(format="six-weekly", focus=["conflict"], participants=4)
    assert plan_session(narrow, request).notes == [
        "Naming the power in the room is left out: no activity for it suits a six-weekly for "
        "4 people."
    ]


def test_overdue_actions_are_reviewed_in_one_block() -> None:
    # A series passes on overdue actions; the block that reviews them (unsticking actions, the
    # one activity that makes the review move) carries them, and no other block does.
    overdue = ["Send the figures to the ICB", "Book the venue"]
    for fmt in ("six-weekly", "away-day"):
        plan = plan_session(library(), PlanRequest(format=fmt, review=overdue))
        assert [(b.activity, b.reviews) for b in plan.blocks if b.reviews] == [
            ("unsticking-actions", overdue)
        ]


# --- how an attempt is scored -------------------------------------------------------------------


def test_an_attempt_is_scored_by_its_layout_its_breaks_and_work_off_the_focus() -> None:
    fmt = library().session_format("six-weekly")
    afternoon = [
        Piece("opening", Span(15, 20, 30), activity("opening-six-weekly"), minutes=20),
        Piece("break", Span(10, 15, 20), break_type="break", minutes=15),
        Piece("activity", Span(25, 40, 55), activity("naming-power"), minutes=40),
        Piece("activity", Span(20, 30, 45), activity("troika-consulting"), minutes=35),
    ]
    evening = [
        Piece("break", Span(10, 10, 60), break_type="informal", minutes=10),
        Piece("close", Span(15, 20, 30), activity("close-six-weekly"), minutes=20),
    ]
    # The afternoon: 24 for a break straight after the opening and 5 for troika's five extra
    # minutes; 12 for the one short break; 15 for troika, which is off a focus on conflict (the
    # opening does not count): 56. The evening: 24 for a close straight after a break (informal
    # time is a break too), and nothing for informal time within 30 minutes of its least.
    assert _score([afternoon, evening], fmt, {"conflict"}) == 56 + 24
    assert _score([evening], fmt, {"conflict"}) == 24
    assert _score([afternoon], fmt, {"conflict", "personal-contact"}) == 56 - 15


# --- bringing a stretch of work within its limit ------------------------------------------------


def test_a_stretch_three_minutes_over_is_cut_a_minute_at_a_time() -> None:
    # 40 + 53 = 93 preferred minutes in one stretch of at most 90: the three come off the piece
    # with most to spare above its least (53 - 20 = 33 against 40 - 25 = 15).
    pieces = [
        Piece("activity", Span(25, 40, 55), group=0),
        Piece("activity", Span(20, 53, 60), group=0),
    ]
    assert _cap_stretches(pieces, 90) == {0: 90}
    assert [p.minutes for p in pieces] == [40, 50]


def test_a_stretch_that_cannot_come_within_the_limit_is_refused() -> None:
    # Two pieces of at least 50 minutes each cannot make a stretch of 90.
    pieces = [
        Piece("activity", Span(50, 50, 60), group=0),
        Piece("activity", Span(50, 50, 60), group=0),
    ]
    assert _cap_stretches(pieces, 90) is None
    assert [p.minutes for p in pieces] == [50, 50]


def test_a_stretch_cut_by_single_minutes_when_fives_will_not_do() -> None:
    # 40 + 55 = 95 minutes, five over; neither piece has five minutes to spare (3 and 4), so the
    # minutes come off one at a time from whichever has more to spare (the first on a tie).
    pieces = [
        Piece("activity", Span(37, 40, 55), group=0),
        Piece("activity", Span(51, 55, 60), group=0),
    ]
    assert _cap_stretches(pieces, 90) == {0: 90}
    assert [p.minutes for p in pieces] == [38, 52]


def test_a_stretch_one_minute_over_that_cannot_shrink_is_refused() -> None:
    pieces = [
        Piece("activity", Span(46, 46, 60), group=0),
        Piece("activity", Span(45, 45, 60), group=0),
    ]
    assert _cap_stretches(pieces, 90) is None


def fixed_work(group: int) -> Piece:
    return Piece("activity", Span(30, 30, 30), group=group)


def test_breaks_take_up_the_time_work_cannot() -> None:
    def soft(piece: Piece) -> int:
        return piece.span.hi

    # Work fixed at 30 minutes either side of a break of 10 to 20 (15 preferred).
    longer = [fixed_work(0), Piece("break", Span(10, 15, 20), break_type="break"), fixed_work(1)]
    assert _distribute(longer, 80, 90, soft)
    assert [p.minutes for p in longer] == [30, 20, 30]
    shorter = [fixed_work(0), Piece("break", Span(10, 15, 20), break_type="break"), fixed_work(1)]
    assert _distribute(shorter, 70, 90, soft)
    assert [p.minutes for p in shorter] == [30, 10, 30]
    too_long = [fixed_work(0), Piece("break", Span(10, 15, 20), break_type="break"), fixed_work(1)]
    assert not _distribute(too_long, 81, 90, soft)
    # A stretch that cannot come within its limit cannot be distributed at all.
    over = [fixed_work(0), fixed_work(0), fixed_work(0), fixed_work(0)]
    assert not _distribute(over, 120, 90, soft)


def test_a_single_spare_minute_goes_to_a_break() -> None:
    pieces = [fixed_work(0), Piece("break", Span(10, 15, 20), break_type="break"), fixed_work(1)]
    assert _distribute(pieces, 76, 90, lambda piece: piece.span.hi)
    assert [p.minutes for p in pieces] == [30, 16, 30]


def test_short_layouts_cost_their_breaks_at_the_ends() -> None:
    opening = Piece("opening", Span(30, 45, 60), minutes=45)
    close = Piece("close", Span(20, 30, 45), minutes=30)
    brk = Piece("break", Span(10, 15, 20), break_type="break", minutes=15)
    assert _layout_cost([opening, brk], 15) == 24
    assert _layout_cost([brk, close], 15) == 24
    # Both at once: a break straight after the opening and straight before the close.
    assert _layout_cost([opening, brk, close], 15) == 48


def test_the_activities_on_the_focus_are_considered_first() -> None:
    prepared = _prepare(library(), PlanRequest(focus=["conflict"]))
    for seed in range(3):
        order = _Choosing(prepared, random.Random(seed), []).order
        on_focus = ["conflict" in a.factors for a in order]
        assert sorted(a.id for a in order) == sorted(a.id for a in prepared.pool)
        assert on_focus == sorted(on_focus, reverse=True)
        assert on_focus.count(True) == sum("conflict" in a.factors for a in prepared.pool) > 0


# --- one attempt's choice: what is used, which families are taken, what is covered -------------


def test_a_six_weekly_choice_starts_from_its_commitments_and_its_ends() -> None:
    # Without the rehearsal, a six-weekly meeting on all five factors commits to naming power and
    # the group's own business (our shared work). Its opening and close count towards the focus:
    # shared purpose from the opening, the close and our shared work; personal contact from the
    # opening; conflict from naming power; long term from the close and our shared work.
    prepared = _prepare(library(), PlanRequest(format="six-weekly", rehearsal=False))
    assert [a.id for a in prepared.segments[0].fixed] == ["naming-power", "our-shared-work"]
    choosing = _Choosing(prepared, random.Random(1), [])
    assert choosing.counts == {
        "shared-purpose": 3,
        "personal-contact": 1,
        "conflict": 1,
        "altruism": 0,
        "long-term": 2,
    }
    assert not choosing.covered()
    assert choosing.used == {"naming-power", "our-shared-work"}
    # The opening reviews, so no other review activity may join it; naming power takes its family.
    assert choosing.families == {"review", "power"}
    for taken in ("naming-power", "our-shared-work", "what-so-what-now-what", "power-mapping"):
        assert not choosing.free(activity(taken)), taken
    assert choosing.free(activity("triz"))
    choosing.take(prepared.segments[0], activity("triz"))
    assert not choosing.free(activity("triz"))
    assert not choosing.free(activity("pre-mortem"))  # the same family as TRIZ
    assert choosing.counts["conflict"] == 2
    choosing.take(prepared.segments[0], activity("fifteen-percent-solutions"))
    assert choosing.counts["altruism"] == 1
    assert choosing.covered()


def test_an_away_day_counts_only_what_runs_between_its_opening_and_close() -> None:
    prepared = _prepare(library(), PlanRequest(rehearsal=False))
    choosing = _Choosing(prepared, random.Random(1), [])
    # Naming power (conflict) and the case study (its case's factors within the focus).
    case = prepared.commitments.case_factors
    expected = {f: int(f == "conflict") + int(f in case) for f in ALL_FIVE}
    assert choosing.counts == expected


def test_a_close_of_a_family_keeps_that_family_out_of_the_evening() -> None:
    # A library whose close is of the 'failure' family (as TRIZ and pre-mortem are).
    close = activity("close-key-messages").model_copy(update={"family": "failure"})
    own = Library(entries={**library().entries, "close-key-messages": close})
    choosing = _Choosing(_prepare(own, PlanRequest()), random.Random(1), [])
    assert "failure" in choosing.families
    assert not choosing.free(activity("triz"))


def test_activities_a_series_has_used_are_chosen_only_when_nothing_else_fits() -> None:
    # The default away-day chooses what I need from you and the person behind the role; told
    # that a series used them already, it finds others for the same time.
    default = {b.activity for b in plan_session(library(), PlanRequest()).blocks}
    assert {"what-i-need-from-you", "person-behind-the-role"} <= default
    used = ["what-i-need-from-you", "person-behind-the-role"]
    again = {b.activity for b in plan_session(library(), PlanRequest(avoid=used)).blocks}
    assert not set(used) & again
