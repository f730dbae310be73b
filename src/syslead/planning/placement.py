"""Where a block sits, and the text an activity prints there.

An activity's notes, prompts, debrief, watch-for and variants may differ by placement: the same
conversation reads differently at three in the afternoon, after an evening meal, or in a three-hour
meeting every six weeks. Whatever is printed for a block comes from :func:`text_for`, so it never
contradicts the block's clock time or the plan's format.
"""

from __future__ import annotations

from dataclasses import dataclass

from syslead.library.models import Activity, Placement
from syslead.planning.plan import Block, Plan


def placement_of(plan: Plan, block: Block) -> Placement:
    """``six-weekly`` in a six-weekly meeting; ``after-meal`` after an evening meal; else ``daytime``."""
    if plan.format == "six-weekly":
        return "six-weekly"
    meal_end = next(
        (b.end for b in plan.blocks if b.kind == "meal" and plan.format == "away-day"), None
    )
    if meal_end is not None and block.start >= meal_end:
        return "after-meal"
    return "daytime"


@dataclass(frozen=True)
class ActivityText:
    """The texts of an activity as printed for one placement."""

    facilitator_notes: str
    prompts: list[str]
    debrief: list[str]
    watch_for: list[str]
    variants: list[str]


def text_for(activity: Activity, placement: Placement) -> ActivityText:
    """The activity's own texts, with any that its ``by_placement`` gives for ``placement``."""
    override = activity.by_placement.get(placement)

    def pick(own: list[str], other: list[str] | None) -> list[str]:
        return list(own if other is None else other)

    if override is None:
        return ActivityText(
            activity.facilitator_notes,
            list(activity.prompts),
            list(activity.debrief),
            list(activity.watch_for),
            list(activity.variants),
        )
    return ActivityText(
        override.facilitator_notes or activity.facilitator_notes,
        pick(activity.prompts, override.prompts),
        pick(activity.debrief, override.debrief),
        pick(activity.watch_for, override.watch_for),
        pick(activity.variants, override.variants),
    )
