"""The plan model: a timed agenda of contiguous blocks, as saved to YAML and JSON.

A plan is data a facilitator may edit by hand and render again, so it is validated as strictly as a
playbook (unknown fields are errors) and its clock times are derived from the blocks' minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from syslead.library.models import FORMAT_IDS, Clock, FactorId, FormatId, Id, Line, Move, Text
from syslead.planning.limits import MAX_PARTICIPANTS, MIN_PARTICIPANTS

BlockKind = Literal["opening", "activity", "break", "meal", "close"]
BreakType = Literal["break", "arrival", "free-time", "informal"]
"""What a break is for: a short break, arrival refreshments, free time before the evening meal, or
informal time after it (unstructured time together, which the paper values)."""
WORK_KINDS: frozenset[str] = frozenset({"opening", "activity", "close"})
"""Kinds of block that count as work; breaks and meals reset the 90-minute stretch."""


def to_minutes(clock: str) -> int:
    """``"13:30"`` as 810 minutes after midnight."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def to_clock(minutes: int) -> str:
    """810 as ``"13:30"``; times past midnight are not supported by the planner."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class PlanModel(BaseModel):
    """Base for the plan's models: unknown fields are errors."""

    # defer_build: a run that only plans builds the validators it uses (the request), not all of them.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Block(PlanModel):
    """One contiguous stretch of the agenda."""

    start: Clock
    end: Clock
    minutes: Annotated[int, Field(ge=1, le=24 * 60)]
    kind: BlockKind
    title: Text
    activity: Id | None = None
    factors: list[FactorId] = Field(default_factory=list)
    locked: bool = Field(
        default=False,
        description="A locked block (the meal) keeps its clock time when re-rendered.",
    )
    break_type: BreakType | None = Field(
        default=None, description="For a break: what it is for (default: a short break)."
    )
    issue: Line | None = Field(
        default=None, description="The group's own live issue that this block works on."
    )
    case_study: Id | None = Field(default=None, description="The case study this block discusses.")
    returns_to: Text | None = Field(
        default=None,
        description="What an earlier session recorded that this block returns to (a conflict).",
    )
    reviews: list[Text] = Field(
        default_factory=list, description="The overdue actions this block reviews."
    )

    @property
    def informal(self) -> bool:
        """Arrival, free or informal time: a break that is not a short pause between work."""
        return self.kind == "break" and self.break_type not in (None, "break")


class Plan(PlanModel):
    """A planned session."""

    schema_version: Literal[1, 2] = 2
    title: Line
    date: dt.date | None = None
    format: FormatId
    start: Clock
    end: Clock
    participants: Annotated[int, Field(ge=MIN_PARTICIPANTS, le=MAX_PARTICIPANTS)]
    organisations: list[Line] = Field(default_factory=list)
    focus: list[FactorId] = Field(min_length=1)
    seed: int
    plan_id: Text
    principles: Id | None = None
    next_meeting: dt.date | None = None
    issues: list[Line] = Field(
        default_factory=list,
        description="The group's own live issues, as the facilitator named them.",
    )
    rehearsal: bool = Field(
        default=True,
        description="False when the facilitator chose to leave out the fixed-budget rehearsal.",
    )
    notes: list[Text] = Field(
        default_factory=list,
        description="What the planner could not keep of its commitments, and why.",
    )
    reasons: list[Text] = Field(
        default_factory=list,
        description="Why the plan holds what it does, from what earlier sessions recorded.",
    )
    edited: bool = Field(
        default=False,
        description=(
            "Set by render when the plan differs from what its plan id rebuilds (a hand edit), "
            "so no document claims that the id rebuilds it."
        ),
    )
    blocks: list[Block] = Field(min_length=1)

    @field_validator("focus")
    @classmethod
    def _unique_focus(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a factor is listed more than once")
        return value


LATEST_DATE = dt.date(9000, 12, 31)
"""Far enough ahead for any programme, and far enough from the calendar's end for date arithmetic."""


class PlanRequest(PlanModel):
    """What a facilitator asks for; every field has a sensible default."""

    format: FormatId = "away-day"
    date: Annotated[dt.date, Field(le=LATEST_DATE)] | None = None
    start: Clock | None = None
    end: Clock | None = None
    meal: Clock | None = None
    focus: list[FactorId] = Field(default_factory=list)
    participants: Annotated[int, Field(ge=MIN_PARTICIPANTS, le=MAX_PARTICIPANTS)] = 12
    organisations: list[Line] = Field(default_factory=list)
    title: Line | None = None
    seed: int = 1
    avoid: list[Id] = Field(
        default_factory=list,
        description="Activities to use only when nothing else fits (those a series has already used).",
    )
    next_meeting: dt.date | None = Field(
        default=None, description="The next meeting's date, when known (default: six weeks on)."
    )
    issues: list[Line] = Field(
        default_factory=list, description="Live shared issues; one gets a decide-stage block."
    )
    rehearsal: bool = Field(
        default=True,
        description="Whether a plan with conflict in focus rehearses the fixed budget.",
    )
    returns_to: Text | None = Field(
        default=None,
        description="A conflict an earlier session recorded; a block returns to it.",
    )
    review: list[Text] = Field(
        default_factory=list,
        description="Overdue actions; a block reviews them (when an activity for it fits).",
    )
    require: list[Move] = Field(
        default_factory=list,
        description="Moves a programme asks of this session whatever its focus (power, rehearsal).",
    )
    reasons: list[Text] = Field(
        default_factory=list, description="Why the request is what it is; carried to the plan."
    )


__all__ = [
    "FORMAT_IDS",
    "WORK_KINDS",
    "Block",
    "BlockKind",
    "Plan",
    "PlanRequest",
    "to_clock",
    "to_minutes",
]
