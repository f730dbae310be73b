"""Planning a series: each session around what earlier ones used and recorded, and what it reviews.

The plans are worked out again, deterministically, whenever they are needed; a session is planned
from the series file and the records of the sessions before it only (see
:mod:`syslead.series.learning`), so a session already held keeps its plan.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from syslead.errors import SysleadError
from syslead.library.loader import Library
from syslead.library.models import FACTOR_IDS
from syslead.planning.plan import Plan, PlanModel, PlanRequest
from syslead.planning.planner import STANDING_MOVES, plan_session
from syslead.series.learning import Guidance, guidance
from syslead.series.pairs import seatings, series_rounds
from syslead.series.programme import Action, Series, SeriesSession


def session_request(
    series: Series,
    session: SeriesSession,
    avoid: Sequence[str],
    guide: Guidance | None = None,
) -> PlanRequest:
    """The plan request for one session of the series (with what earlier records ask of it)."""
    start, end = session.start, session.end
    if session.format == "six-weekly" and start is None and end is None:
        start, end = series.time.split("-")
    following = next((s for s in series.sessions if s.number == session.number + 1), None)
    extra: dict[str, object] = {"focus": session.focus}
    if guide is not None:
        extra = {
            "focus": guide.focus,
            "returns_to": guide.returns_to,
            "review": guide.review,
            "require": guide.require,
            "reasons": guide.reasons,
        }
    return PlanRequest(
        format=session.format,
        date=session.date,
        start=start,
        end=end,
        participants=series.participants,
        organisations=series.organisations,
        title=f"{series.title}: session {session.number} of {len(series.sessions)}",
        seed=series.seed,
        avoid=sorted(set(avoid)),
        next_meeting=following.date if following else None,
        **extra,
    )


def plan_series(series: Series, library: Library, upto: int | None = None) -> list[Plan]:
    """Plan every session (or those up to ``upto``), each around what earlier ones used and recorded.

    An activity is avoided while some other activity for each of its factors is still unused, and
    always once used twice; what earlier sessions recorded shapes the focus and adds blocks (see
    :mod:`syslead.series.learning`). When the plan that records ask for cannot be made, the
    session is planned as the file has it, and says so.
    """
    moves = {a.id: list(a.moves) for a in library.activities}
    plans: list[Plan] = []
    used: list[str] = []
    for session in series.sessions[: upto or len(series.sessions)]:
        avoid = _still_avoidable(used, library, series.participants, session.format)
        guide = guidance(series, session, plans, moves)
        try:
            plan = _plan_one(library, series, session, avoid, guide)
        except SysleadError as err:
            raise SysleadError(
                f"session {session.number} ({session.date}): {err.message}", field=err.field
            ) from None
        plans.append(plan)
        used += [
            b.activity
            for b in plan.blocks
            if b.kind == "activity"
            and b.activity
            and not set(moves.get(b.activity, [])) & STANDING_MOVES
        ]
    return plans


def _plan_one(
    library: Library, series: Series, session: SeriesSession, avoid: list[str], guide: Guidance
) -> Plan:
    plain = session_request(series, session, avoid)
    if not (guide.reasons or guide.require or guide.review or guide.returns_to):
        return plan_session(library, plain)
    try:
        return plan_session(library, session_request(series, session, avoid, guide))
    except SysleadError:
        note = (
            "What earlier sessions recorded asked for more than this meeting's time allows, so "
            "it is planned as the series file has it: " + " ".join(guide.reasons)
        )
        return plan_session(library, plain.model_copy(update={"reasons": [note]}))


def _still_avoidable(
    used: Sequence[str], library: Library, participants: int, session_format: str
) -> list[str]:
    """The used activities to avoid: those used twice, and those of factors with unused ones."""
    eligible = [
        a
        for a in library.activities
        if a.role == "activity"
        and a.planner
        and session_format in a.formats
        and a.group_size.min <= participants <= a.group_size.max
    ]
    used_set = set(used)
    twice = {a for a in used_set if used.count(a) >= 2}
    exhausted = {f for f in FACTOR_IDS if all(a.id in used_set for a in eligible if f in a.factors)}
    return sorted(
        a
        for a in used_set
        if a in twice or not any(f in exhausted for f in library.activity(a).factors)
    )


class Review(PlanModel):
    """What a session opens by reviewing, and what its sheets carry from the programme.

    Judged at the session's own date, so a session already held keeps the review it had: an
    action done after it still shows as open there.
    """

    open_actions: list[tuple[int, Action]] = Field(default_factory=list)
    done_actions: list[tuple[int, Action]] = Field(default_factory=list)
    overdue: list[str] = Field(default_factory=list, description="Ids of the overdue actions.")
    key_messages: list[tuple[int, str]] = Field(default_factory=list)
    recall: list[str] = Field(
        default_factory=list, description="The last session's key messages, to ask about."
    )
    conflicts: list[tuple[int, str]] = Field(default_factory=list)
    pairs: list[list[str]] = Field(
        default_factory=list, description="Partners to meet before the next session."
    )
    resting: list[str] = Field(default_factory=list)
    tables: list[list[str]] = Field(default_factory=list, description="Seating by name.")

    @property
    def empty(self) -> bool:
        """Nothing to review (the first session, or nothing recorded) and nothing to carry."""
        return not (
            self.open_actions
            or self.done_actions
            or self.key_messages
            or self.conflicts
            or self.pairs
            or self.tables
        )


def _actions_at(series: Series, number: int) -> dict[str, object]:
    """The actions agreed before session ``number``: open, done and overdue at its date."""
    day = series.session(number).date
    actions = [
        (s.number, a) for s in series.sessions if s.number < number for a in s.record.actions
    ]
    still = [(n, a) for n, a in actions if not a.done_by(day)]
    return {
        "open_actions": still,
        "done_actions": [(n, a) for n, a in actions if a.done_by(day)],
        "overdue": [a.id or "" for _, a in still if a.due is not None and a.due < day],
    }


def _contact_at(series: Series, number: int) -> dict[str, object]:
    """Session ``number``'s partners and tables (none without named members)."""
    rounds = series_rounds(series)
    tables = seatings(series)
    if not rounds:
        return {}
    return {
        "pairs": [list(g) for g in rounds[number - 1].groups],
        "resting": list(rounds[number - 1].resting),
        "tables": [list(t) for t in tables[number - 1].tables],
    }


def review_for(series: Series, number: int) -> Review:
    """Actions, key messages and conflicts recorded before ``number``; its pairs and tables."""
    earlier = [s for s in series.sessions if s.number < number]
    return Review.model_validate(
        {
            **_actions_at(series, number),
            "key_messages": [(s.number, m) for s in earlier for m in s.record.key_messages],
            "recall": list(earlier[-1].record.key_messages) if earlier else [],
            "conflicts": [(s.number, c) for s in earlier for c in s.record.conflicts],
            **_contact_at(series, number),
        }
    )
