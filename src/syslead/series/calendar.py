"""The series as an RFC 5545 calendar, made with the icalendar library.

Each session is one event in the series' own time zone (with its VTIMEZONE), so that clock changes
are handled by the calendar application and the local start time is always the one planned. UIDs are
made from the series id and the session number, so importing the file again updates the events
rather than duplicating them. DTSTAMP is fixed by the series, so the same series gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from syslead.library.loader import Library
from syslead.planning.agenda import FORMAT_LABELS, factor_names
from syslead.planning.plan import Plan
from syslead.series.programme import Series


def session_uid(series: Series, number: int) -> str:
    """A UID that stays the same whenever the series is planned again."""
    return f"{series.id}-session-{number}@syslead"


def calendar_ics(series: Series, plans: Sequence[Plan], library: Library) -> bytes:
    """One VEVENT per planned session, with a VTIMEZONE for the series' zone."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(series.timezone)
    stamp = dt.datetime.combine(series.sessions[0].date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//syslead//system leadership series//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", series.title)
    cal.add("x-wr-timezone", series.timezone)
    for session, plan in zip(series.sessions, plans, strict=True):
        start = dt.datetime.combine(session.date, dt.time.fromisoformat(plan.start), tzinfo=zone)
        end = dt.datetime.combine(session.date, dt.time.fromisoformat(plan.end), tzinfo=zone)
        event = Event()
        event.add("uid", session_uid(series, session.number))
        # DTSTAMP rises with the revision, so a moved session is newer to every calendar.
        event.add("dtstamp", stamp + dt.timedelta(minutes=session.revision))
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add(
            "summary",
            f"{series.title}: session {session.number} ({FORMAT_LABELS[session.format].lower()})",
        )
        lines = [
            f"Focus: {factor_names(library, plan.focus)}.",
            "Agenda:",
            *[f"{b.start}-{b.end} {b.title}" for b in plan.blocks],
        ]
        if series.organisations:
            lines.insert(0, "Organisations: " + ", ".join(series.organisations) + ".")
        event.add("description", "\n".join(lines))
        if series.location:
            event.add("location", series.location)
        event.add("sequence", session.revision)
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    first = series.sessions[0].date
    last = series.sessions[-1].date
    cal.add_missing_timezones(
        first_date=first - dt.timedelta(days=366), last_date=last + dt.timedelta(days=366)
    )
    data = cal.to_ical()
    if not isinstance(data, bytes):  # icalendar's to_ical is untyped
        raise TypeError(f"icalendar wrote {type(data).__name__}, not bytes")
    return data
