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

    session: int
    text: str
    due: dt.date | None
    overdue: bool


class CoverageGap(StatusModel):
    """Five consecutive sessions, from ``from_session`` on, that leave these factors out."""

    from_session: int
    missing: list[str]


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
                    session=session.number, text=action.text, due=action.due, overdue=overdue
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
        recorded=not session.record.empty,
        key_messages=len(session.record.key_messages),
        actions=len(session.record.actions),
    )


def series_status(series: Series, today: dt.date | None = None) -> SeriesStatus:
    """Dates, focus, coverage and open actions by owner."""
    upcoming = next((s for s in series.sessions if s.record.empty), None)
    return SeriesStatus(
        id=series.id,
        title=series.title,
        timezone=series.timezone,
        sessions=[session_status(s) for s in series.sessions],
        next_session=upcoming.number if upcoming else None,
        coverage={f: [s.number for s in series.sessions if f in s.focus] for f in FACTOR_IDS},
        coverage_gaps=coverage_gaps(series),
        open_actions=open_actions(series, today),
    )
