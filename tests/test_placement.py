"""Where a block sits, and the text an activity prints there (planning/placement.py).

README: every block is "worded for where the block sits (the same conversation reads differently at
three in the afternoon and after the evening meal)". These pin the three placements on plans whose
times are known, and which of an activity's texts each placement takes.
"""

from __future__ import annotations

from functools import cache

from syslead.library.loader import Library, load_library
from syslead.library.models import Activity, PlacementText
from syslead.planning.placement import ActivityText, placement_of, text_for
from syslead.planning.plan import Block, Plan


@cache
def library() -> Library:
    return load_library()


def block(start: str, end: str, kind: str = "activity") -> Block:
    minutes = int(end[:2]) * 60 + int(end[3:]) - int(start[:2]) * 60 - int(start[3:])
    return Block(start=start, end=end, minutes=minutes, kind=kind, title="A block")


def plan(fmt: str, blocks: list[Block]) -> Plan:
    return Plan(
        title="A plan",
        format=fmt,
        start=blocks[0].start,
        end=blocks[-1].end,
        participants=12,
        focus=["conflict"],
        seed=1,
        plan_id="hand-built",
        blocks=blocks,
    )


def test_after_an_evening_meal_from_the_minute_it_ends() -> None:
    before = block("17:30", "18:30")
    meal = block("18:30", "19:30", "meal")
    at_end = block("19:30", "20:00")
    later = block("20:00", "21:00", "close")
    away = plan("away-day", [before, meal, at_end, later])
    assert [placement_of(away, b) for b in away.blocks] == [
        "daytime",
        "daytime",
        "after-meal",
        "after-meal",
    ]


def test_a_lunch_is_not_an_evening_meal_and_a_six_weekly_meeting_is_its_own_placement() -> None:
    blocks = [block("12:00", "12:30"), block("12:30", "13:15", "meal"), block("13:15", "14:00")]
    day = plan("day", blocks)
    assert [placement_of(day, b) for b in day.blocks] == ["daytime"] * 3
    six = plan("six-weekly", [block("14:00", "15:00"), block("15:00", "17:00", "close")])
    assert [placement_of(six, b) for b in six.blocks] == ["six-weekly"] * 2
    no_meal = plan("away-day", [block("13:00", "20:00"), block("20:00", "21:00", "close")])
    assert [placement_of(no_meal, b) for b in no_meal.blocks] == ["daytime"] * 2


def own_text(activity: Activity) -> ActivityText:
    return ActivityText(
        activity.facilitator_notes,
        list(activity.prompts),
        list(activity.debrief),
        list(activity.watch_for),
        list(activity.variants),
    )


def test_an_activity_with_no_text_for_a_placement_prints_its_own() -> None:
    triz = library().activity("triz")
    assert triz.by_placement == {}
    for placement in ("daytime", "after-meal", "six-weekly"):
        assert text_for(triz, placement) == own_text(triz)


def test_a_placement_replaces_only_the_texts_it_gives() -> None:
    base = library().activity("triz")
    override = PlacementText(
        facilitator_notes="After the meal, keep it light.",
        prompts=["What would make this worse?"],
        debrief=[],
    )
    evening = base.model_copy(update={"by_placement": {"after-meal": override}})
    text = text_for(evening, "after-meal")
    assert text == ActivityText(
        "After the meal, keep it light.",
        ["What would make this worse?"],
        [],  # an empty list removes the debrief here
        list(base.watch_for),
        list(base.variants),
    )
    assert text_for(evening, "daytime") == own_text(base)
    # Notes left out keep the activity's own notes.
    quiet = base.model_copy(update={"by_placement": {"six-weekly": PlacementText()}})
    assert text_for(quiet, "six-weekly") == own_text(base)


def test_the_built_in_evening_conversation_reads_differently_after_the_meal() -> None:
    # The person behind the role has its own notes for the evening, and keeps its prompts.
    person = library().activity("person-behind-the-role")
    evening_notes = person.by_placement["after-meal"].facilitator_notes
    assert evening_notes is not None
    assert evening_notes != person.facilitator_notes
    assert text_for(person, "after-meal") == ActivityText(
        evening_notes,
        list(person.prompts),
        list(person.debrief),
        list(person.watch_for),
        list(person.variants),
    )
    assert text_for(person, "daytime") == own_text(person)
