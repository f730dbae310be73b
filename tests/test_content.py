"""The built-in playbooks say what is true wherever each activity can sit.

The planner places an activity in the daytime of an away-day or a day away, after the evening
meal of an away-day (only an activity marked ``evening: true``), or in a six-weekly meeting, and
scales every duration to fit. So the text printed for a placement (through
:func:`syslead.planning.placement.text_for`) never names a time of day that the placement
contradicts, never refers to a next day (every plan is one day), and never counts minutes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from syslead.library.loader import load_library
from syslead.library.models import FACTOR_IDS, Activity, Placement, SessionFormat
from syslead.planning.placement import text_for

LIBRARY = load_library()
ACTIVITIES = LIBRARY.activities
PLAYBOOKS = Path(__file__).resolve().parents[1] / "playbooks"

DAY_WORDS = ("evening", "tonight", "dinner", "meal", "afternoon", "morning", "lunch")
AFTER_MEAL_WORDS = ("morning", "lunch")
"""After the evening meal of an away-day, the evening and the afternoon before it are both true."""
NEVER = re.compile(r"\b(tomorrow|next day|overnight)\b", re.IGNORECASE)
MINUTES = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|"
    r"forty-five|sixty|ninety)[- ]minutes?\b",
    re.IGNORECASE,
)
GENERAL_WATCH_FOR = re.compile(r"stuck.*entrenched|entrenched.*repeat", re.IGNORECASE)


def placements(activity: Activity) -> list[Placement]:
    """Every placement the activity can take in a plan."""
    found: list[Placement] = []
    if {"away-day", "day"} & set(activity.formats):
        found.append("daytime")
    if activity.evening and "away-day" in activity.formats:
        found.append("after-meal")
    if "six-weekly" in activity.formats:
        found.append("six-weekly")
    return found


def placed_texts(activity: Activity, placement: Placement) -> list[tuple[str, str]]:
    """(field, text) for every text printed for the activity in this placement."""
    text = text_for(activity, placement)
    fixed = [
        ("summary", activity.summary),
        ("purpose", activity.purpose),
        ("configuration", activity.configuration),
        ("room", activity.room),
        *((f"steps[{i}]", step.text) for i, step in enumerate(activity.steps)),
    ]
    placed = [
        ("facilitator_notes", text.facilitator_notes),
        *((f"prompts[{i}]", t) for i, t in enumerate(text.prompts)),
        *((f"debrief[{i}]", t) for i, t in enumerate(text.debrief)),
        *((f"watch_for[{i}]", t) for i, t in enumerate(text.watch_for)),
        *((f"variants[{i}]", t) for i, t in enumerate(text.variants)),
    ]
    return fixed + placed


CASES = [
    pytest.param(activity, placement, id=f"{activity.id}@{placement}")
    for activity in ACTIVITIES
    for placement in placements(activity)
]


@pytest.mark.parametrize(("activity", "placement"), CASES)
def test_no_time_of_day_the_placement_contradicts(activity: Activity, placement: Placement) -> None:
    words = AFTER_MEAL_WORDS if placement == "after-meal" else DAY_WORDS
    pattern = re.compile(rf"\b({'|'.join(words)})s?\b", re.IGNORECASE)
    wrong = [
        f"{field}: {match.group(0)!r}"
        for field, text in placed_texts(activity, placement)
        for match in pattern.finditer(text)
    ]
    assert not wrong, f"{activity.id} in {placement} speaks of {wrong}"


@pytest.mark.parametrize(("activity", "placement"), CASES)
def test_no_next_day_and_no_minute_counts(activity: Activity, placement: Placement) -> None:
    wrong = [
        f"{field}: {match.group(0)!r}"
        for field, text in placed_texts(activity, placement)
        for match in [*NEVER.finditer(text), *MINUTES.finditer(text)]
    ]
    assert not wrong, f"{activity.id} in {placement}: {wrong}"


@pytest.mark.parametrize("activity", ACTIVITIES, ids=lambda a: a.id)
def test_watch_for_leaves_the_general_line_to_the_run_sheet(activity: Activity) -> None:
    lines = list(activity.watch_for) + [
        line for text in activity.by_placement.values() for line in text.watch_for or []
    ]
    assert not [line for line in lines if GENERAL_WATCH_FOR.search(line)]


def test_every_placement_text_is_for_a_placement_the_activity_can_take() -> None:
    wrong = [
        f"{a.id}: {placement}"
        for a in ACTIVITIES
        for placement in a.by_placement
        if placement not in placements(a)
    ]
    assert not wrong


def test_each_activity_can_be_placed_somewhere() -> None:
    assert all(placements(a) for a in ACTIVITIES)


def test_after_meal_activities_are_short_enough_for_the_evening() -> None:
    away_day = LIBRARY.session_format("away-day")
    assert isinstance(away_day, SessionFormat)
    limit = away_day.max_after_meal_minutes
    long = [a.id for a in ACTIVITIES if a.evening and a.duration.min > 35]
    assert not long
    assert limit >= 60
    close = LIBRARY.activity("close-key-messages")
    assert (close.duration.min, close.duration.default, close.duration.max) == (20, 30, 45)
    assert LIBRARY.activity("conversation-cafe").duration.min <= 30


def test_every_factor_has_a_case_study() -> None:
    cases = LIBRARY.case_studies()
    for factor in FACTOR_IDS:
        matching = [c.id for c in cases if factor in c.factors]
        assert matching, f"no case study for {factor}"
        assert set(LIBRARY.factor(factor).case_studies) <= {c.id for c in cases}
        assert set(matching) <= set(LIBRARY.factor(factor).case_studies), factor


def test_every_case_study_brings_the_case_home() -> None:
    for case in LIBRARY.case_studies():
        questions = " ".join(case.discussion_questions).lower()
        assert re.search(r"\b(we|us|our)\b", questions), case.id
        assert "our equivalent" in questions, case.id


MOVES = {
    "naming-power": ["name-power"],
    "fixed-budget-rehearsal": ["budget-rehearsal"],
    "close-key-messages": ["cascade"],
    "close-six-weekly": ["cascade"],
    "opening-six-weekly": ["review"],
    "live-issue": ["live-issue", "shared-business"],
    "our-shared-work": ["shared-business"],
    "case-study-discussion": ["case-study"],
}
USES = {
    "naming-power": ["power-sheet"],
    "power-mapping": ["power-sheet"],
    "fixed-budget-rehearsal": ["budget-brief", "observation-sheet"],
    "four-player-model": ["observation-sheet"],
}


@pytest.mark.parametrize(("activity_id", "moves"), MOVES.items())
def test_signature_moves(activity_id: str, moves: list[str]) -> None:
    assert set(moves) <= set(LIBRARY.activity(activity_id).moves)


@pytest.mark.parametrize(("activity_id", "tools"), USES.items())
def test_tools_used(activity_id: str, tools: list[str]) -> None:
    assert set(tools) <= set(LIBRARY.activity(activity_id).uses)


def test_every_move_has_an_activity() -> None:
    made = {move for a in ACTIVITIES for move in a.moves}
    assert made >= {m for moves in MOVES.values() for m in moves}


def test_families_pair_near_duplicates() -> None:
    assert LIBRARY.activity("naming-power").family == "power"
    assert LIBRARY.activity("power-mapping").family == "power"
    families: dict[str, list[str]] = {}
    for a in ACTIVITIES:
        if a.family:
            families.setdefault(a.family, []).append(a.id)
    assert all(len(ids) >= 2 for ids in families.values()), families


def test_closes_cascade_to_someone_by_a_date() -> None:
    for close_id in ("close-key-messages", "close-six-weekly"):
        close = LIBRARY.activity(close_id)
        steps = " ".join(step.text for step in close.steps).lower()
        for needed in ("key message", "to whom", "by when", "next meeting", "check-out"):
            assert needed in steps, f"{close_id} does not mention {needed!r}"


def test_the_new_activities() -> None:
    live = LIBRARY.activity("live-issue")
    assert live.arc == "decide"
    assert set(live.formats) == {"away-day", "day", "six-weekly"}
    assert (live.duration.min, live.duration.default) == (40, 60)
    assert live.duration.max >= 90
    ours = LIBRARY.activity("our-shared-work")
    assert ours.formats == ["six-weekly"]
    assert ours.lead == "Chair"
    case = LIBRARY.activity("case-study-discussion")
    assert set(case.factors) == set(FACTOR_IDS)
    assert case.arc == "explore"
    assert case.planner


def test_formats() -> None:
    away = LIBRARY.session_format("away-day")
    assert (away.arrival_minutes, away.max_after_meal_minutes) == (15, 60)
    six = LIBRARY.session_format("six-weekly")
    assert (six.max_methods, six.business_share) == (3, 0.34)
    day = LIBRARY.session_format("day")
    assert (day.start, day.end, day.arrival_minutes, day.breaks_per_half) == (
        "09:30",
        "16:30",
        15,
        1,
    )
    assert day.meal is not None
    assert not day.meal.evening
    assert (day.meal.title, day.meal.start, day.meal.minutes) == ("Lunch", "12:30", 45)
    away_only = [a.id for a in ACTIVITIES if a.formats == ["away-day"]]
    assert not away_only, f"activities that would suit a day away too: {away_only}"


def test_materials_per_person_are_counted() -> None:
    loose = [
        f"{a.id}: {m}"
        for a in ACTIVITIES
        for m in a.materials
        if isinstance(m, str) and re.search(r"\b(per|each|every) (person|pair|table)\b", m)
    ]
    assert not loose


def test_no_playbook_calls_the_paper_the_seed_paper() -> None:
    offenders = [
        str(path.relative_to(PLAYBOOKS))
        for path in sorted(PLAYBOOKS.rglob("*"))
        if path.is_file() and "seed paper" in path.read_text(encoding="utf-8").lower()
    ]
    assert not offenders
