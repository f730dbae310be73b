"""What a good plan is, as checks: used on every plan the planner makes and every plan re-rendered.

Each check returns issues located by field path (``("blocks", 3, "minutes")``), so that an edited
YAML plan's problems can be reported against the lines the facilitator typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from syslead.errors import SysleadError
from syslead.library.loader import Library
from syslead.library.models import Activity, CaseStudy, SessionFormat
from syslead.planning.plan import WORK_KINDS, Block, Plan, to_clock, to_minutes

IssueCode = Literal["rule", "past-midnight"]


@dataclass(frozen=True)
class Issue:
    """One rule a plan breaks, and where; ``code`` says which kind of issue it is, for callers."""

    loc: tuple[int | str, ...]
    message: str
    code: IssueCode = "rule"


def retime(plan: Plan, library: Library) -> tuple[Plan, list[Issue]]:
    """Recompute clock times from the blocks' minutes, keeping locked blocks where they are.

    Titles and factors of blocks that name an activity are refreshed from the library, so that
    swapping one activity id for another is the whole of the edit.
    """
    issues: list[Issue] = []
    if to_minutes(plan.end) <= to_minutes(plan.start):
        message = f"the end {plan.end} is not after the start {plan.start}"
        return plan, [Issue(("end",), message + " (a session starts and ends on the same day)")]
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
                if block.case_study is not None:
                    factors = _case_factors(plan, library, block.case_study, factors)
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
            issues.append(
                Issue(("blocks", i, "minutes"), "the blocks run past midnight", "past-midnight")
            )
            break
    end = to_minutes(plan.end)
    if cursor != end and not any(issue.code == "past-midnight" for issue in issues):
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


def _case_factors(plan: Plan, library: Library, case_id: str, own: list[str]) -> list[str]:
    """A case-study block covers the factors its case speaks to (within the focus, if any)."""
    case = library.entries.get(case_id)
    if not isinstance(case, CaseStudy):
        return own
    shared = [f for f in case.factors if f in plan.focus]
    return shared or list(case.factors)


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
    first = 1 if blocks[0].break_type == "arrival" and len(blocks) > 1 else 0
    if blocks[first].kind != "opening":
        issues.append(
            Issue(
                ("blocks", first, "kind"),
                "a plan opens with an opening block (purpose and principles)",
            )
        )
    if fmt.arrival_minutes and blocks[0].break_type != "arrival":
        issues.append(
            Issue(
                ("blocks", 0, "kind"),
                f"{_a(plan.format)} starts with arrival refreshments (a break block with "
                "break_type: arrival) before the opening",
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
    issues += _check_meal(plan, fmt)
    issues += _check_activities(plan, library)
    issues += check_pacing(plan, library)
    return issues


def _a(fmt: str) -> str:
    return f"an {fmt}" if fmt[0] in "aeiou" else f"a {fmt}"


LONG_BLOCK = 75
"""Two blocks this long or longer need a break between them."""


def check_pacing(plan: Plan, library: Library) -> list[Issue]:
    """The pacing rules: a short evening of structured work, few methods, no heavy pairs, families."""
    fmt = library.session_format(plan.format)
    return [
        *_check_after_meal(plan, fmt),
        *_check_methods(plan, fmt),
        *_check_long_pairs(plan),
        *_check_families(plan, library),
        *_check_halves(plan, fmt),
    ]


def _check_after_meal(plan: Plan, fmt: SessionFormat) -> list[Issue]:
    """At most so many minutes of structured work after an evening meal."""
    blocks = plan.blocks
    meal = next((i for i, b in enumerate(blocks) if b.kind == "meal"), None)
    if meal is None or fmt.meal is None or not fmt.meal.evening:
        return []
    structured = sum(b.minutes for b in blocks[meal + 1 :] if b.kind in WORK_KINDS)
    if structured <= fmt.max_after_meal_minutes:
        return []
    return [
        Issue(
            ("blocks", meal + 1, "minutes"),
            f"{structured} minutes of structured work after the evening meal (at most "
            f"{fmt.max_after_meal_minutes}); give the rest to informal time",
        )
    ]


def _check_methods(plan: Plan, fmt: SessionFormat) -> list[Issue]:
    """A short meeting holds few methods besides its opening and close."""
    methods = [i for i, b in enumerate(plan.blocks) if b.kind == "activity"]
    if fmt.max_methods is None or len(methods) <= fmt.max_methods:
        return []
    return [
        Issue(
            ("blocks", methods[fmt.max_methods], "activity"),
            f"{len(methods)} activities besides the opening and close; {_a(plan.format)} "
            f"holds at most {fmt.max_methods}",
        )
    ]


def _check_long_pairs(plan: Plan) -> list[Issue]:
    """No two long blocks with no break between them."""
    issues = []
    last_long: int | None = None
    for i, block in enumerate(plan.blocks):
        if block.kind not in WORK_KINDS:
            last_long = None
            continue
        if block.minutes < LONG_BLOCK:
            continue
        if last_long is not None:
            issues.append(
                Issue(
                    ("blocks", i, "minutes"),
                    f"two blocks of {LONG_BLOCK} minutes or more with no break between them "
                    f"(blocks {last_long + 1} and {i + 1})",
                )
            )
        last_long = i
    return issues


def _check_families(plan: Plan, library: Library) -> list[Issue]:
    """No two activities of one family (two that do the same work)."""
    issues = []
    families: dict[str, int] = {}
    for i, block in enumerate(plan.blocks):
        entry = library.entries.get(block.activity or "")
        if not isinstance(entry, Activity) or not entry.family:
            continue
        if entry.family in families:
            issues.append(
                Issue(
                    ("blocks", i, "activity"),
                    f"{entry.id} does the same work as block {families[entry.family] + 1} "
                    f"(both of the {entry.family!r} family); keep one",
                )
            )
        families.setdefault(entry.family, i)
    return issues


def _check_halves(plan: Plan, fmt: SessionFormat) -> list[Issue]:
    """A day split by lunch has a break in each half."""
    if not fmt.breaks_per_half:
        return []
    meal = next((i for i, b in enumerate(plan.blocks) if b.kind == "meal"), None)
    if meal is None:
        return []
    issues = []
    for name, part, where in (
        ("morning", plan.blocks[:meal], 0),
        ("afternoon", plan.blocks[meal + 1 :], meal + 1),
    ):
        breaks = sum(1 for b in part if b.kind == "break" and b.break_type in (None, "break"))
        if breaks < fmt.breaks_per_half:
            issues.append(
                Issue(("blocks", where, "kind"), f"the {name} has no break (it needs one)")
            )
    return issues


def commitment_warnings(plan: Plan, library: Library) -> list[str]:
    """The paper's moves a plan was made to hold and no longer does (after a hand edit).

    These are warnings, not errors: the facilitator stays in charge of the plan.
    """
    moves: list[tuple[int, str]] = []
    for i, block in enumerate(plan.blocks):
        entry = library.entries.get(block.activity or "")
        if isinstance(entry, Activity):
            moves += [(i, move) for move in entry.moves]
    where = {move: i for i, move in reversed(moves)}
    warnings = []
    if "conflict" in plan.focus:
        if plan.format == "six-weekly":
            if "name-power" not in where and "budget-rehearsal" not in where:
                warnings.append(
                    "conflict is in focus but no block names the power in the room or rehearses "
                    "the fixed-budget conflict"
                )
        else:
            if "name-power" not in where:
                warnings.append("conflict is in focus but no block names the power in the room")
            if plan.rehearsal and "budget-rehearsal" not in where:
                warnings.append(
                    "conflict is in focus but no block rehearses the fixed-budget conflict "
                    "(set rehearsal: false in the plan to leave it out on purpose)"
                )
            if where.get("budget-rehearsal", 10**6) < where.get("name-power", -1):
                warnings.append(
                    "the fixed-budget rehearsal runs before the power in the room is named"
                )
    close = plan.blocks[-1]
    entry = library.entries.get(close.activity or "")
    if isinstance(entry, Activity) and "cascade" not in entry.moves:
        warnings.append("the close no longer agrees the key messages each leader takes back")
    if plan.issues and not any(b.issue for b in plan.blocks):
        warnings.append("the plan names a live issue but no block works on it")
    return warnings


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


def _check_meal(plan: Plan, fmt: SessionFormat) -> list[Issue]:
    meals = [i for i, b in enumerate(plan.blocks) if b.kind == "meal"]
    if fmt.meal is not None and not meals:
        what = "an evening meal" if fmt.meal.evening else f"a {fmt.meal.title.lower()}"
        return [Issue(("blocks",), f"{_a(plan.format)} has {what}")]
    return []


def _check_activities(plan: Plan, library: Library) -> list[Issue]:
    issues = []
    seen: dict[str, int] = {}
    after_meal = False
    evening_meal = plan.format == "away-day"
    # A short meeting with few methods counts its opening and close towards the focus.
    counts_ends = library.session_format(plan.format).max_methods is not None
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
        if after_meal and evening_meal and not activity.evening:
            issues.append(
                Issue(
                    where,
                    f"{activity.id} does not suit the evening after a meal (choose reflective conversation)",
                )
            )
        if block.kind == "activity" or counts_ends:
            covered.update(block.factors)
    for factor in plan.focus:
        if factor not in covered:
            issues.append(
                Issue(("focus",), f"no activity in the plan covers the focus factor {factor!r}")
            )
    return issues
