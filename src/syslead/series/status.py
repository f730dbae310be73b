"""Where a programme stands: dates, focus, factor coverage and open actions by owner.

:func:`series_status` gives a :class:`SeriesStatus`, which ``syslead series status`` prints as
tables (:mod:`syslead.series.view`) or, with ``--to json``, dumps in the shape docs/formats.md
describes: the fields below, in this order, with dates as YYYY-MM-DD.
"""

from __future__ import annotations

import datetime as dt
import json

from pydantic import BaseModel, ConfigDict

from syslead.library.models import FACTOR_IDS
from syslead.series.programme import Series, SeriesSession


class StatusModel(BaseModel):
    """Base for the status models: made from a series, never edited."""

    model_config = ConfigDict(frozen=True)


class SessionStatus(StatusModel):
    """One session: when, what it covers, and how much it has recorded."""

    number: int
    date: dt.date
    format: str
    focus: list[str]
    recorded: bool
    key_messages: int
    actions: int


class OpenAction(StatusModel):
    """An action not yet done, with the session that agreed it."""

    id: str
    session: int
    text: str
    due: dt.date | None
    overdue: bool


class CoverageGap(StatusModel):
    """Five consecutive sessions, from ``from_session`` on, that leave these factors out."""

    from_session: int
    missing: list[str]


class MemberAttendance(StatusModel):
    """Which of the recorded sessions a member attended."""

    name: str
    organisation: str
    attended: list[int]
    missed: list[int]


class OrganisationAbsence(StatusModel):
    """An organisation that sent nobody to two or more recorded sessions running."""

    organisation: str
    sessions: list[int]


class FactorPoint(StatusModel):
    """One factor's mean and spread at one assessment."""

    factor: str
    mean: float | None
    sd: float | None
    respondents: int


class AssessmentPoint(StatusModel):
    """The summary of the self-assessment taken at one session."""

    session: int
    date: dt.date
    respondents: int
    factors: list[FactorPoint]


def assessment_points(series: Series) -> list[AssessmentPoint]:
    """Every stored assessment, in session order."""
    return [
        AssessmentPoint(
            session=s.number,
            date=s.date,
            respondents=s.assessment.respondents,
            factors=[
                FactorPoint(factor=f.factor, mean=f.mean, sd=f.sd, respondents=f.respondents)
                for f in s.assessment.factors
            ],
        )
        for s in series.sessions
        if s.assessment is not None
    ]


class PairsProgress(StatusModel):
    """How far the pairs between sessions have got: recorded, scheduled and the best possible."""

    cross_pairs: int
    """Pairs of members from different organisations."""
    held: int
    """Sessions held so far (those with something recorded)."""
    met: int
    """Cross-organisation pairs recorded as having met (series record --met)."""
    met_share: float
    scheduled_share: float
    """The share the schedule gives by the last session held."""
    best_share: float
    """The best share any schedule could give by the last session held."""


class SeriesStatus(StatusModel):
    """The whole programme's status (the JSON of ``syslead series status``)."""

    id: str
    title: str
    timezone: str
    sessions: list[SessionStatus]
    next_session: int | None
    coverage: dict[str, list[int]]
    """For each factor in the paper's order, the sessions that focus on it."""
    coverage_gaps: list[CoverageGap]
    open_actions: dict[str, list[OpenAction]]
    """Open actions by owner, owners in alphabetical order."""
    attendance: list[MemberAttendance] = []
    organisations_absent: list[OrganisationAbsence] = []
    pairs: PairsProgress | None = None
    assessments: list[AssessmentPoint] = []

    def to_json(self) -> str:
        """The status as indented JSON."""
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False)


def coverage_gaps(series: Series) -> list[CoverageGap]:
    """Runs of five consecutive sessions that leave a factor out."""
    gaps = []
    for start in range(max(0, len(series.sessions) - 4)):
        window = series.sessions[start : start + 5]
        covered = {f for s in window for f in s.focus}
        missing = [f for f in FACTOR_IDS if f not in covered]
        if missing:
            gaps.append(CoverageGap(from_session=window[0].number, missing=missing))
    return gaps


def open_actions(series: Series, today: dt.date | None = None) -> dict[str, list[OpenAction]]:
    """The actions not yet done, by owner; overdue when due before ``today`` (if given)."""
    owners: dict[str, list[OpenAction]] = {}
    for session in series.sessions:
        for action in session.record.actions:
            if action.done:
                continue
            overdue = today is not None and action.due is not None and action.due < today
            owners.setdefault(action.owner, []).append(
                OpenAction(
                    id=action.id or "",
                    session=session.number,
                    text=action.text,
                    due=action.due,
                    overdue=overdue,
                )
            )
    return {owner: owners[owner] for owner in sorted(owners)}


def session_status(session: SeriesSession) -> SessionStatus:
    """One session's line of the status."""
    return SessionStatus(
        number=session.number,
        date=session.date,
        format=session.format,
        focus=list(session.focus),
        recorded=session.held,
        key_messages=len(session.record.key_messages),
        actions=len(session.record.actions),
    )


def attendance(series: Series) -> list[MemberAttendance]:
    """Each member's attendance over the sessions whose attendance was recorded."""
    taken = [s for s in series.sessions if s.record.attended]
    rows = []
    for member in series.members:
        key = " ".join(member.name.split()).casefold()
        went = [
            s.number
            for s in taken
            if key in {" ".join(a.split()).casefold() for a in s.record.attended}
        ]
        rows.append(
            MemberAttendance(
                name=member.name,
                organisation=member.organisation,
                attended=went,
                missed=[s.number for s in taken if s.number not in went],
            )
        )
    return rows


def organisations_absent(series: Series) -> list[OrganisationAbsence]:
    """Organisations that sent nobody to two or more consecutive sessions with attendance taken."""
    rows = attendance(series)
    taken = [s.number for s in series.sessions if s.record.attended]
    found = []
    for organisation in dict.fromkeys(m.organisation for m in series.members):
        present = {n for r in rows if r.organisation == organisation for n in r.attended}
        run: list[int] = []
        longest: list[int] = []
        for number in taken:
            run = [*run, number] if number not in present else []
            if len(run) > len(longest):
                longest = run
        if len(longest) >= 2:
            found.append(OrganisationAbsence(organisation=organisation, sessions=longest))
    return found


def pairs_progress(series: Series) -> PairsProgress | None:
    """The share of cross-organisation pairs met, beside the schedule's and the best possible."""
    from syslead.series.pairs import best_by_round, cross_pairs, met_pairs, series_rounds

    cross = cross_pairs(series.members)
    if not cross:
        return None
    held = sum(1 for s in series.sessions if s.held)
    scheduled: set[frozenset[str]] = set()
    for r in series_rounds(series)[:held]:
        scheduled |= r.pairs() & cross
    met = met_pairs(series)
    return PairsProgress(
        cross_pairs=len(cross),
        held=held,
        met=len(met),
        met_share=round(len(met) / len(cross), 3),
        scheduled_share=round(len(scheduled) / len(cross), 3),
        best_share=round(best_by_round(series.members, held) / len(cross), 3),
    )


def series_status(series: Series, today: dt.date | None = None) -> SeriesStatus:
    """Dates, focus, coverage, open actions by owner, attendance, pairs and assessments."""
    upcoming = next((s for s in series.sessions if not s.held), None)
    return SeriesStatus(
        id=series.id,
        title=series.title,
        timezone=series.timezone,
        sessions=[session_status(s) for s in series.sessions],
        next_session=upcoming.number if upcoming else None,
        coverage={f: [s.number for s in series.sessions if f in s.focus] for f in FACTOR_IDS},
        coverage_gaps=coverage_gaps(series),
        open_actions=open_actions(series, today),
        attendance=attendance(series),
        organisations_absent=organisations_absent(series),
        pairs=pairs_progress(series),
        assessments=assessment_points(series),
    )
