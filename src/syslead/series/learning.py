"""What was recorded shapes what comes next, and why.

For the session being planned, only what sessions before it recorded counts, so a session already
held keeps its plan whatever is recorded later:

- a conflict recorded at the session before puts conflict in the focus and gives the plan a block
  that returns to it (the live issue's block, carrying the conflict as its issue);
- actions past their date at this session's date (and not done by then) give a review block;
- the latest assessment before this session adds its lowest factor to the focus, room allowing;
- across a programme of six or more sessions, naming the power in the room comes in the first
  three sessions and the fixed-budget rehearsal comes at least once.

Each choice comes with a reason in words, which the plan carries and the run sheet prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from syslead.library.models import FACTOR_IDS, Move
from syslead.planning.plan import Plan
from syslead.series.programme import Series, SeriesSession

PROGRAMME_MOVES_FROM = 6
"""A programme of at least this many sessions holds the paper's conflict moves across it."""
MAX_SIX_WEEKLY_FOCUS = 3
"""A three-hour meeting takes at most three factors in focus."""


@dataclass
class Guidance:
    """What a session's plan is asked for beyond its own entry in the series file."""

    focus: list[str]
    returns_to: str | None = None
    review: list[str] = field(default_factory=list)
    require: list[Move] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _quote(text: str) -> str:
    return f"\u201c{text}\u201d"


def _factor_name(factor: str) -> str:
    return factor.replace("-", " ")


def overdue_actions(series: Series, session: SeriesSession) -> list[str]:
    """The actions agreed before ``session``, due before its date and not done by then."""
    found = []
    for earlier in series.sessions:
        if earlier.number >= session.number:
            break
        for action in earlier.record.actions:
            if (
                action.due is not None
                and action.due < session.date
                and not action.done_by(session.date)
            ):
                found.append(f"{action.id}: {action.owner}: {action.text} (due {action.due})")
    return found


def _moves_held(plans: Sequence[Plan], library_moves: Mapping[str, Sequence[str]]) -> set[str]:
    return {
        move
        for plan in plans
        for block in plan.blocks
        if block.activity
        for move in library_moves.get(block.activity, [])
    }


def guidance(
    series: Series,
    session: SeriesSession,
    earlier_plans: Sequence[Plan],
    library_moves: Mapping[str, Sequence[str]],
) -> Guidance:
    """What the records of the sessions before ``session`` ask of its plan, with reasons."""
    found = Guidance(focus=list(session.focus))
    _conflict(series, session, found)
    _assessment(series, session, found)
    overdue = overdue_actions(series, session)
    if overdue:
        found.review = overdue
        ids = ", ".join(text.split(":", 1)[0] for text in overdue)
        found.reasons.append(
            f"A review of overdue actions opens the work because {ids} "
            f"{'was' if len(overdue) == 1 else 'were'} due before {session.date} and not done."
        )
    _programme_moves(series, session, earlier_plans, library_moves, found)
    _questionnaire(series, session, found)
    return found


def assessment_sessions(count: int) -> list[int]:
    """The sessions at which the self-assessment is suggested: the first, the middle, the last."""
    return sorted({1, (count + 1) // 2, count})


def _questionnaire(series: Series, session: SeriesSession, found: Guidance) -> None:
    """Suggest the five-factor questionnaire at the first, middle and last sessions."""
    count = len(series.sessions)
    if count < 2 or session.number not in assessment_sessions(count):
        return
    which = {1: "the first", count: "the last"}.get(session.number, "the middle")
    found.reasons.append(
        f"This is {which} session of {count}: ask members to fill in the five-factor "
        "self-assessment (syslead assess questionnaire) at it, and store the summary with "
        "syslead series assess, so that the programme can see how the factors move."
    )


def _conflict(series: Series, session: SeriesSession, found: Guidance) -> None:
    before = next((s for s in series.sessions if s.number == session.number - 1), None)
    if before is None or not before.record.conflicts:
        return
    conflict = before.record.conflicts[0]
    what = f"session {before.number} recorded: {_quote(conflict)}"
    found.returns_to = what
    if "conflict" in found.focus:
        found.reasons.append(f"A block returns to the conflict {what}.")
    else:
        found.focus.append("conflict")
        found.reasons.append(f"Conflict is in focus, and a block returns to it, because {what}.")
    for other in before.record.conflicts[1:]:
        found.reasons.append(
            f"Session {before.number} also recorded {_quote(other)}: name it in the opening and "
            "agree when the group will return to it."
        )


def _assessment(series: Series, session: SeriesSession, found: Guidance) -> None:
    assessed = [s for s in series.sessions if s.number < session.number and s.assessment]
    if not assessed:
        return
    held = assessed[-1]
    latest = held.assessment
    if latest is None:  # pragma: no cover - the sessions were chosen for having one
        return
    scored = [f for f in latest.factors if f.mean is not None]
    if not scored:
        return
    lowest = min(scored, key=lambda f: (f.mean or 0.0, FACTOR_IDS.index(f.factor)))
    why = (
        f"the assessment at session {held.number} gave {_factor_name(lowest.factor)} the lowest "
        f"mean ({lowest.mean:.2f} of 5)"
    )
    if lowest.factor in found.focus:
        found.reasons.append(f"{_factor_name(lowest.factor).capitalize()} stays in focus: {why}.")
        return
    if session.format == "six-weekly" and len(found.focus) >= MAX_SIX_WEEKLY_FOCUS:
        found.reasons.append(
            f"{why[0].upper()}{why[1:]}; this meeting has no room for another factor, so raise it "
            "in the opening."
        )
        return
    found.focus.append(lowest.factor)
    found.reasons.append(f"{_factor_name(lowest.factor).capitalize()} is in focus because {why}.")


def _programme_moves(
    series: Series,
    session: SeriesSession,
    earlier: Sequence[Plan],
    library_moves: Mapping[str, Sequence[str]],
    found: Guidance,
) -> None:
    if len(series.sessions) < PROGRAMME_MOVES_FROM:
        return
    held = _moves_held(earlier, library_moves)
    if "name-power" not in held and session.number == min(3, len(series.sessions)):
        found.require.append("name-power")
        found.reasons.append(
            "Naming the power in the room comes now: the paper's groups named power early, and "
            "no earlier session of this programme has done it."
        )
    remaining = [s for s in series.sessions if s.number >= session.number]
    conflict_later = any("conflict" in s.focus for s in remaining[1:])
    if (
        "budget-rehearsal" not in held
        and "name-power" in held
        and ("conflict" in found.focus or not conflict_later)
    ):
        found.require.append("budget-rehearsal")
        found.reasons.append(
            "The fixed-budget rehearsal comes now: power has been named, and the programme has "
            "not yet rehearsed a credible conflict."
        )
