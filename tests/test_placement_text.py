"""What is printed for a block never contradicts where it sits: its clock, its minutes, its format.

Many random plans are printed (the run sheet and the exercise cards, the two documents that carry
an activity's notes, prompts, debrief, watch-for and variants) and every block's printed text is read
against its placement: no evening words before an evening meal or in a daytime or six-weekly
session, no afternoon words after the meal, no "tomorrow" or "next day" in a one-day plan, and no
count of minutes other than the block's own. The plans are drawn in five seeded parts of the
hypothesis profile's size each (conftest.py): 125 plans by default, 1,000 with SYSLEAD_THOROUGH=1
(as CI runs the suite); the parts can run side by side.
"""

from __future__ import annotations

import random
import re
from functools import cache

import pytest

from syslead.documents.handouts import plan_document_md
from syslead.documents.templating import Environments, environments
from syslead.errors import PlanningError
from syslead.library.loader import Library, load_library
from syslead.library.models import FACTOR_IDS
from syslead.planning.placement import placement_of
from syslead.planning.plan import Block, Plan, PlanRequest, to_clock
from syslead.planning.planner import plan_session

from .conftest import examples

PARTS = 5

EVERYWHERE = re.compile(r"\b(tomorrow|next day|overnight|second day|day two)\b", re.I)
EVENING = re.compile(
    r"\b(evening|tonight|dinner|supper|after the meal|after the evening meal)\b", re.I
)
DAYTIME = re.compile(r"\b(this morning|this afternoon|lunch|before the meal)\b", re.I)
WORDS = {
    "five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
}
MINUTES = re.compile(r"\b(\d+|" + "|".join(WORDS) + r") minutes\b", re.I)
RUN_SHEET_BLOCK = re.compile(r"^### (\d\d:\d\d)-(\d\d:\d\d) ", re.M)
CARD = re.compile(r"^## ", re.M)


@cache
def library() -> Library:
    return load_library()


@cache
def env() -> Environments:
    return environments()


def random_requests(count: int, part: int = 0) -> list[PlanRequest]:
    rng = random.Random(20261130 + part)
    windows = {"away-day": (13 * 60, 21 * 60), "six-weekly": (14 * 60, 17 * 60), "day": (570, 990)}
    found = []
    for _ in range(count):
        fmt = rng.choice(list(windows))
        start, end = windows[fmt]
        shift = rng.choice([0, 0, -30, 30, 60])
        found.append(
            PlanRequest(
                format=fmt,  # type: ignore[arg-type]
                start=to_clock(start + shift),
                end=to_clock(end + shift + rng.choice([0, 0, -30, 30])),
                focus=rng.sample(FACTOR_IDS, rng.randint(0, 5)),
                participants=rng.randint(4, 40),
                seed=rng.randint(0, 10_000),
                rehearsal=rng.random() < 0.8,
                issues=["Winter discharge delays"] if rng.random() < 0.3 else [],
            )
        )
    return found


def contradictions(text: str, block: Block, plan: Plan) -> list[str]:
    """What in a block's printed text contradicts its placement, its minutes or the plan."""
    placement = placement_of(plan, block)
    found = [f"{m[0]!r} in a one-day plan" for m in EVERYWHERE.finditer(text)]
    if placement == "after-meal":
        found += [f"{m[0]!r} after the evening meal" for m in DAYTIME.finditer(text)]
    else:
        found += [f"{m[0]!r} in a {placement} block" for m in EVENING.finditer(text)]
    for m in MINUTES.finditer(text):
        said = m[1].lower()
        minutes = WORDS[said] if said in WORDS else int(said)
        if minutes != block.minutes:
            found.append(f"{m[0]!r} in a block of {block.minutes} minutes")
    return found


def run_sheet_sections(text: str) -> dict[str, str]:
    """Each block's section of the run sheet, by its start time."""
    body = text.split("\n## Run sheet\n", 1)[1]
    body = re.split(r"^## ", body, flags=re.M)[0]  # up to the appendices
    parts = RUN_SHEET_BLOCK.split(body)
    return {parts[i]: parts[i + 2] for i in range(1, len(parts) - 2, 3)}


def card_sections(text: str) -> dict[str, str]:
    """Each exercise card's text, by the clock time it gives."""
    sections = {}
    for part in CARD.split(text)[1:]:
        clock = re.search(r"^(\d\d:\d\d)-\d\d:\d\d, \d+ minutes", part, re.M)
        assert clock, part[:200]
        sections[clock[1]] = part
    return sections


def check_plan_text(plan: Plan) -> list[str]:
    lib = library()
    problems = []
    run_sheet = run_sheet_sections(plan_document_md("facilitator", plan, lib, env()))
    cards = card_sections(plan_document_md("cards", plan, lib, env()))
    for block in plan.blocks:
        if block.activity is None:
            continue
        for name, sections in (("run sheet", run_sheet), ("card", cards)):
            text = sections[block.start]
            for problem in contradictions(text, block, plan):
                problems.append(f"{plan.plan_id} {name} {block.start} {block.activity}: {problem}")
    return problems


@pytest.mark.parametrize("part", range(PARTS))
def test_printed_text_fits_every_block_of_many_random_plans(part: int) -> None:
    problems: list[str] = []
    planned = 0
    requests = random_requests(examples(), part)
    for request in requests:
        try:
            plan = plan_session(library(), request)
        except PlanningError:
            continue
        planned += 1
        problems += check_plan_text(plan)
    assert planned >= len(requests) * 0.8  # the sample is mostly plans, not refusals
    assert problems == []


def test_the_checker_catches_a_contradiction() -> None:
    plan = plan_session(library(), PlanRequest(format="six-weekly"))
    block = next(b for b in plan.blocks if b.kind == "activity")
    assert contradictions("Reflect on tonight's conversation.", block, plan)
    assert contradictions("Stop at 100 minutes.", block, plan)
    assert contradictions("Pick it up again tomorrow.", block, plan)
    assert contradictions(f"This block runs {block.minutes} minutes.", block, plan) == []
    away = plan_session(library(), PlanRequest())
    evening = next(b for b in away.blocks if placement_of(away, b) == "after-meal" and b.activity)
    assert contradictions("As we said this afternoon.", evening, away)
    assert contradictions("What did tonight's conversation change?", evening, away) == []
