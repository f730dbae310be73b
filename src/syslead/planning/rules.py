"""What a good plan is, as checks: used on every plan the planner makes and every plan re-rendered.

Each check returns issues located by field path (``("blocks", 3, "minutes")``), so that an edited
YAML plan's problems can be reported against the lines the facilitator typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from syslead.errors import SysleadError
from syslead.library.loader import Library
from syslead.library.models import Activity
from syslead.planning.plan import WORK_KINDS, Block, Plan, to_clock, to_minutes


@dataclass(frozen=True)
class Issue:
    """One rule a plan breaks, and where."""

    loc: tuple[int | str, ...]
    message: str


def retime(plan: Plan, library: Library) -> tuple[Plan, list[Issue]]:
    """Recompute clock times from the blocks' minutes, keeping locked blocks where they are.

    Titles and factors of blocks that name an activity are refreshed from the library, so that
    swapping one activity id for another is the whole of the edit.
    """
    issues: list[Issue] = []
    cursor = to_minutes(plan.start)
    blocks: list[Block] = []
    for i, block in enumerate(plan.blocks):
        if block.locked:
            fixed = to_minutes(block.start)
            if cursor != fixed:
                late = cursor - fixed
                what = f"{late} minutes after" if late > 0 else f"{-late} minutes before"
                fix = "shorten" if late > 0 else "lengthen"
                issues.append(
                    Issue(
                        ("blocks", i, "start"),
                        f"the blocks before '{block.title}' (locked at {block.start}) end at "
                        f"{to_clock(cursor)}, {what} it; {fix} earlier blocks by {abs(late)} minutes",
                    )
                )
                cursor = fixed
        title, factors = block.title, block.factors
        if block.activity is not None:
            try:
                activity = library.activity(block.activity)
            except SysleadError as err:
                issues.append(Issue(("blocks", i, "activity"), str(err)))
            else:
                title, factors = activity.title, list(activity.factors)
        blocks.append(
            block.model_copy(
                update={
                    "start": to_clock(cursor % (24 * 60)),
                    "end": to_clock((cursor + block.minutes) % (24 * 60)),
                    "title": title,
                    "factors": factors,
                }
            )
        )
        cursor += block.minutes
        if cursor > 24 * 60:
            issues.append(Issue(("blocks", i, "minutes"), "the blocks run past midnight"))
            break
    end = to_minutes(plan.end)
    if cursor != end and not any(issue.message.endswith("midnight") for issue in issues):
        over = cursor - end
        issues.append(
            Issue(
                ("end",),
                f"the blocks end at {to_clock(cursor % (24 * 60))}, "
                + (
                    f"{over} minutes after the plan's end at {plan.end} (an overrun); shorten blocks "
                    f"by {over} minutes or move the end"
                    if over > 0
                    else f"{-over} minutes before the plan's end at {plan.end}; lengthen blocks by "
                    f"{-over} minutes or move the end"
                ),
            )
        )
    return plan.model_copy(update={"blocks": blocks}), issues


def check_plan(plan: Plan, library: Library) -> list[Issue]:
    """Every rule of a good plan that this plan breaks (an empty list for a good plan)."""
    issues: list[Issue] = []
    blocks = plan.blocks
    fmt = library.session_format(plan.format)
    if blocks[0].start != plan.start:
        issues.append(
            Issue(
                ("blocks", 0, "start"),
                f"the first block starts at {blocks[0].start}, not at {plan.start}",
            )
        )
    if blocks[-1].end != plan.end:
        issues.append(
            Issue(
                ("blocks", len(blocks) - 1, "end"),
                f"the last block ends at {blocks[-1].end}, not at {plan.end}",
            )
        )
    for i, block in enumerate(blocks):
        if to_minutes(block.end) - to_minutes(block.start) != block.minutes:
            issues.append(
                Issue(
                    ("blocks", i, "minutes"),
                    f"{block.start}-{block.end} is not {block.minutes} minutes",
                )
            )
        if i and blocks[i - 1].end != block.start:
            issues.append(
                Issue(
                    ("blocks", i, "start"),
                    f"a gap or overlap: the previous block ends at {blocks[i - 1].end}",
                )
            )
        needs_activity = block.kind in WORK_KINDS
        if needs_activity and block.activity is None:
            issues.append(
                Issue(
                    ("blocks", i, "activity"), f"a block of kind {block.kind} needs an activity id"
                )
            )
        if not needs_activity and block.activity is not None:
            issues.append(
                Issue(
                    ("blocks", i, "activity"),
                    f"a {block.kind} block has no activity (found {block.activity!r})",
                )
            )
    if blocks[0].kind != "opening":
        issues.append(
            Issue(
                ("blocks", 0, "kind"), "a plan opens with an opening block (purpose and principles)"
            )
        )
    if blocks[-1].kind != "close":
        issues.append(
            Issue(
                ("blocks", len(blocks) - 1, "kind"),
                "a plan ends with a close block (key messages, next meeting)",
            )
        )
    issues += _check_stretches(blocks, fmt.max_work_minutes)
    issues += _check_meal(plan)
    issues += _check_activities(plan, library)
    return issues


def _check_stretches(blocks: list[Block], max_work: int) -> list[Issue]:
    issues = []
    run = 0
    for i, block in enumerate(blocks):
        if block.kind in WORK_KINDS:
            run += block.minutes
            if run > max_work:
                issues.append(
                    Issue(
                        ("blocks", i, "minutes"),
                        f"{run} minutes of work without a break by {block.end} "
                        f"(at most {max_work}); add a break or shorten a block",
                    )
                )
                run = 0  # report each long stretch once
        else:
            run = 0
    return issues


def _check_meal(plan: Plan) -> list[Issue]:
    meals = [i for i, b in enumerate(plan.blocks) if b.kind == "meal"]
    if plan.format == "away-day" and not meals:
        return [Issue(("blocks",), "an away-day has an evening meal")]
    return []


def _check_activities(plan: Plan, library: Library) -> list[Issue]:
    issues = []
    seen: dict[str, int] = {}
    after_meal = False
    covered: set[str] = set()
    for i, block in enumerate(plan.blocks):
        if block.kind == "meal":
            after_meal = True
            continue
        if block.activity is None:
            continue
        entry = library.entries.get(block.activity)
        if not isinstance(entry, Activity):
            continue  # reported by retime, or by the planner's own invariants
        activity: Activity = entry
        where = ("blocks", i, "activity")
        if block.activity in seen:
            issues.append(
                Issue(
                    where,
                    f"{block.activity!r} is already used at block {seen[block.activity] + 1}; no activity twice",
                )
            )
        seen.setdefault(block.activity, i)
        span = activity.duration
        if not span.min <= block.minutes <= span.max:
            issues.append(
                Issue(
                    ("blocks", i, "minutes"),
                    f"{activity.id} runs {span.min} to {span.max} minutes, not {block.minutes}",
                )
            )
        size = activity.group_size
        if not size.min <= plan.participants <= size.max:
            issues.append(
                Issue(
                    where,
                    f"{activity.id} suits {size.min} to {size.max} people, not {plan.participants}",
                )
            )
        expected_role = "activity" if block.kind == "activity" else block.kind
        if activity.role != expected_role:
            issues.append(
                Issue(
                    where,
                    f"{activity.id} is an {activity.role} activity, not one for a {block.kind} block",
                )
            )
        if after_meal and not activity.evening:
            issues.append(
                Issue(
                    where,
                    f"{activity.id} does not suit the evening after a meal (choose reflective conversation)",
                )
            )
        if block.kind == "activity":
            covered.update(activity.factors)
    for factor in plan.focus:
        if factor not in covered:
            issues.append(
                Issue(("focus",), f"no activity in the plan covers the focus factor {factor!r}")
            )
    return issues
