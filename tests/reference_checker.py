"""An independent checker of a plan, written from the rules README states, not from the code's own.

It reads a plan as its JSON twin (a plain dict, as ``plan-session --to json`` prints it) and the
built-in playbooks straight from their YAML files, and imports nothing from ``syslead.planning``:
a fault in the planner or in its rule module cannot hide itself by being repeated here. Each rule
below quotes the README sentence it checks. ``check`` returns one line per broken rule; an empty
list means the plan keeps every rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PLAYBOOKS = Path(__file__).resolve().parent.parent / "playbooks"

Plan = Mapping[str, Any]
Block = Mapping[str, Any]

WORK = ("opening", "activity", "close")
"""Blocks that are work: everything but breaks (arrival, free and informal time too) and meals."""
MAX_WORK_RUN = 90  # "there is a break or a meal at least every 90 minutes"
EARLIEST_EVENING_MEAL = 17 * 60  # "an away-day's meal stays in the evening, at 17:00 or later"
AFTER_MEAL_WORK = 60  # "at most 60 minutes of structured work" after an away-day's meal
LONG_BLOCK = 75  # "no two blocks of 75 minutes or more run without a break between them"
SIX_WEEKLY_METHODS = 3  # "at most three methods besides its opening and close"


@cache
def entries(folder: str) -> dict[str, dict[str, Any]]:
    """The built-in entries of one kind (activities, case studies), by id, read from their YAML."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((PLAYBOOKS / folder).glob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[entry["id"]] = entry
    return found


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def is_work(block: Block) -> bool:
    return block["kind"] in WORK


def check(plan: Plan) -> list[str]:
    """Every rule the plan breaks, one line each."""
    problems: list[str] = []
    for rule in (
        _timing,
        _pacing,
        _long_blocks,
        _ends,
        _meals,
        _activities,
        _coverage,
        _moves,
    ):
        problems += list(rule(plan))
    return problems


def _timing(plan: Plan) -> Iterator[str]:
    """ "the blocks run without gaps from the start to the end" (and each block's minutes are its
    clock time)."""
    blocks = plan["blocks"]
    if blocks[0]["start"] != plan["start"]:
        yield f"the first block starts at {blocks[0]['start']}, not at {plan['start']}"
    if blocks[-1]["end"] != plan["end"]:
        yield f"the last block ends at {blocks[-1]['end']}, not at {plan['end']}"
    for before, after in itertools.pairwise(blocks):
        if before["end"] != after["start"]:
            yield f"a gap or overlap between {before['end']} and {after['start']}"
    for block in blocks:
        length = minutes(block["end"]) - minutes(block["start"])
        if not 0 < length == block["minutes"]:
            yield f"{block['title']}: {block['minutes']} minutes but runs {length}"


def _pacing(plan: Plan) -> Iterator[str]:
    """ "there is a break or a meal at least every 90 minutes"."""
    run = 0
    for block in plan["blocks"]:
        run = run + block["minutes"] if is_work(block) else 0
        if run > MAX_WORK_RUN:
            yield f"{run} minutes of work without a break, ending with {block['title']}"


def _long_blocks(plan: Plan) -> Iterator[str]:
    """ "no two blocks of 75 minutes or more run without a break between them"."""
    last_long: Block | None = None
    for block in plan["blocks"]:
        if not is_work(block):
            last_long = None
        elif block["minutes"] >= LONG_BLOCK:
            if last_long is not None:
                yield f"{last_long['title']} and {block['title']} run without a break between them"
            last_long = block


def _ends(plan: Plan) -> Iterator[str]:
    """ "an away-day or a day opens with arrival refreshments"; "the session opens with purpose and
    the working principles and closes with the key messages and the next meeting"."""
    blocks = plan["blocks"]
    arrives = blocks[0]["kind"] == "break" and blocks[0].get("break_type") == "arrival"
    if plan["format"] in ("away-day", "day") and not arrives:
        yield f"{plan['format']} does not open with arrival refreshments"
    work = [b for b in blocks if is_work(b)]
    activities = entries("activities")
    if not work or work[0]["kind"] != "opening":
        yield "the first work is not the opening"
    elif activities[work[0]["activity"]].get("role") != "opening":
        yield f"{work[0]['activity']} is not an opening"
    if blocks[-1]["kind"] != "close":
        yield "the session does not end with the close"
    elif activities[blocks[-1]["activity"]].get("role") != "close":
        yield f"{blocks[-1]['activity']} is not a close"
    for kind in ("opening", "close"):
        count = sum(1 for b in blocks if b["kind"] == kind)
        if count != 1:
            yield f"{count} blocks of kind {kind}, not one"


def _meals(plan: Plan) -> Iterator[str]:
    """ "an away-day has its evening meal, after which come only reflective conversations and at
    most 60 minutes of structured work (the rest is informal time together); a day has its lunch
    and a break in each half"; a six-weekly meeting has no meal."""
    blocks = plan["blocks"]
    meals = [i for i, b in enumerate(blocks) if b["kind"] == "meal"]
    if plan["format"] == "six-weekly":
        if meals:
            yield "a six-weekly meeting with a meal"
        return
    if len(meals) != 1:
        yield f"{plan['format']} has {len(meals)} meals, not one"
        return
    meal = meals[0]
    if plan["format"] == "day":
        for half, part in (("morning", blocks[:meal]), ("afternoon", blocks[meal + 1 :])):
            if not any(b["kind"] == "break" and b.get("break_type") == "break" for b in part):
                yield f"the {half} of a day has no break"
        return
    if minutes(blocks[meal]["start"]) < EARLIEST_EVENING_MEAL:
        yield f"the evening meal starts at {blocks[meal]['start']}, before 17:00"
    after = blocks[meal + 1 :]
    structured = sum(b["minutes"] for b in after if is_work(b))
    if structured > AFTER_MEAL_WORK:
        yield f"{structured} minutes of structured work after the meal"
    activities = entries("activities")
    for block in after:
        if block["kind"] == "activity":
            activity = activities[block["activity"]]
            if not activity.get("evening") or activity["energy"] == "high":
                yield f"{block['title']} after the meal is not a reflective conversation"
        elif block["kind"] == "break" and block.get("break_type") != "informal":
            yield f"{block['title']} after the meal is not informal time"


def _activities(plan: Plan) -> Iterator[str]:
    """ "no activity appears twice and no two do the same work (naming power and power mapping,
    say); each runs within its own duration range and suits the group's size"; a six-weekly
    meeting "holds at most three methods besides its opening and close"."""
    activities = entries("activities")
    used = [b["activity"] for b in plan["blocks"] if b.get("activity")]
    for twice in sorted({a for a in used if used.count(a) > 1}):
        yield f"{twice} appears twice"
    families = [activities[a]["family"] for a in set(used) if activities[a].get("family")]
    for family in sorted({f for f in families if families.count(f) > 1}):
        yield f"two activities of the {family} family"
    for block in plan["blocks"]:
        if not block.get("activity"):
            if is_work(block):
                yield f"{block['title']} is work with no activity"
            continue
        activity = activities[block["activity"]]
        low, high = activity["duration"]["min"], activity["duration"]["max"]
        if not low <= block["minutes"] <= high:
            yield f"{block['activity']} runs {block['minutes']} minutes, outside {low}-{high}"
        smallest, largest = activity["group_size"]["min"], activity["group_size"]["max"]
        if not smallest <= plan["participants"] <= largest:
            yield f"{block['activity']} does not suit {plan['participants']} people"
    methods = sum(1 for b in plan["blocks"] if b["kind"] == "activity")
    if plan["format"] == "six-weekly" and methods > SIX_WEEKLY_METHODS:
        yield f"a six-weekly meeting with {methods} methods"


def _coverage(plan: Plan) -> Iterator[str]:
    """ "every focus factor has an activity" (a case-study block covers its case's factors; a
    six-weekly meeting, with so few methods, counts its opening and close)."""
    activities, cases = entries("activities"), entries("case-studies")
    counted = WORK if plan["format"] == "six-weekly" else ("activity",)
    covered: set[str] = set()
    for block in plan["blocks"]:
        if not block.get("activity"):
            continue
        own = set(activities[block["activity"]]["factors"])
        if block.get("case_study"):
            own = set(cases[block["case_study"]]["factors"])
        if not set(block["factors"]) <= own:
            yield f"{block['title']} claims factors it does not work on: {block['factors']}"
        if block["kind"] in counted:
            covered |= set(block["factors"]) & own
    for factor in plan["focus"]:
        if factor not in covered:
            yield f"no activity covers the focus factor {factor}"


def _moves(plan: Plan) -> Iterator[str]:
    """The paper's moves: "when conflict is in focus, an away-day or a day names the power in the
    room before any other conflict work, and then rehearses the fixed-budget conflict ... (unless
    --no-rehearsal); a six-weekly meeting does one of the two; every close agrees the key messages
    ...; an away-day or a day discusses one of the five case studies, matched to the focus; a
    six-weekly meeting keeps at least a third of its time for the group's own shared business
    ..., up to the 90 minutes one block may run".
    A move that no activity for the group can make may be left out when the plan says so."""
    activities = entries("activities")
    blocks = [b for b in plan["blocks"] if b.get("activity")]

    def makes(move: str) -> list[int]:
        return [
            i for i, b in enumerate(blocks) if move in activities[b["activity"]].get("moves", [])
        ]

    notes = " ".join(plan.get("notes", [])).lower()

    def missing(move: str, word: str) -> Iterator[str]:
        if not makes(move) and word not in notes:
            yield f"no block makes the move {move}, and the plan does not say why"

    if "cascade" not in activities[blocks[-1]["activity"]].get("moves", []):
        yield from missing("cascade", "key messages")
    six_weekly = plan["format"] == "six-weekly"
    if "conflict" in plan["focus"] and six_weekly:
        if not (makes("name-power") or makes("budget-rehearsal")) and "power" not in notes:
            yield "a six-weekly meeting on conflict neither names power nor rehearses"
    elif "conflict" in plan["focus"]:
        yield from missing("name-power", "power")
        power = makes("name-power")
        conflict = [i for i, b in enumerate(blocks) if "conflict" in b["factors"]]
        if power and conflict and conflict[0] < power[0]:
            yield "conflict work comes before the power in the room is named"
        if plan.get("rehearsal", True):
            yield from missing("budget-rehearsal", "rehearsal")
            rehearsal = makes("budget-rehearsal")
            if power and rehearsal and rehearsal[0] < power[0]:
                yield "the rehearsal comes before the power in the room is named"
    if not six_weekly:
        yield from missing("case-study", "case-study")
        for i in makes("case-study"):
            case = entries("case-studies").get(blocks[i].get("case_study") or "")
            if case is None:
                yield "the case-study block names no case study"
            elif not set(case["factors"]) & set(plan["focus"]):
                yield f"the case study {case['id']} does not match the focus"
    else:
        yield from missing("shared-business", "shared business")
        business = sum(blocks[i]["minutes"] for i in makes("shared-business"))
        window = minutes(plan["end"]) - minutes(plan["start"])
        if makes("shared-business") and 3 * business < min(window, 3 * 90):
            yield f"{business} minutes of shared business is less than a third of {window}"
