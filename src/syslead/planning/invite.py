"""An invitation to one session: an RFC 5545 calendar with one event, made with icalendar.

The event is in the session's local time zone (Europe/London unless told otherwise) with its
VTIMEZONE, so a calendar shows the planned clock time on either side of a clock change. Its UID is
made from the plan id, so sending the invitation again after an edit updates the event rather than
adding a second one; DTSTAMP is fixed by the plan, so the same plan gives the same bytes. The
agenda is in the description, one block a line; the venue, when given, is the event's location.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syslead.errors import SysleadError, ref
from syslead.library.loader import Library
from syslead.planning.agenda import FORMAT_LABELS, factor_names, next_meeting_text
from syslead.planning.plan import Plan

DEFAULT_TIMEZONE = "Europe/London"


def invitation_uid(plan: Plan) -> str:
    """A UID that stays the same for the same plan id."""
    return f"{plan.plan_id}@syslead"


def invitation_text(plan: Plan, library: Library, venue: str | None = None) -> str:
    """The event's description: the facts, then the agenda, one block a line."""
    lines = [f"{FORMAT_LABELS.get(plan.format, plan.format)}, {plan.start} to {plan.end}."]
    if venue:
        lines.append(f"Venue: {venue}.")
    if plan.organisations:
        lines.append("Organisations: " + ", ".join(plan.organisations) + ".")
    lines.append(f"Focus: {factor_names(library, plan.focus)}.")
    lines += ["", "Agenda:"]
    lines += [f"{b.start}-{b.end} {b.title}" for b in plan.blocks]
    lines += ["", f"Next meeting: {next_meeting_text(plan)}."]
    return "\n".join(lines)


def zone(name: str) -> ZoneInfo:
    """The named IANA time zone, or a SysleadError naming the timezone field."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SysleadError(
            f"{ref('timezone')}: {name!r} is not a time zone (expected a name such as Europe/London)"
        ) from None


def invitation_ics(
    plan: Plan,
    library: Library,
    venue: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> str:
    """The session as a calendar with one event, ready to send from any calendar application."""
    from icalendar import Calendar, Event

    if plan.date is None:
        raise SysleadError(
            f"{ref('date')}: an invitation needs the session's date (give {ref('date')} YYYY-MM-DD)"
        )
    tz = zone(timezone)
    start = dt.datetime.combine(plan.date, dt.time.fromisoformat(plan.start), tzinfo=tz)
    end = dt.datetime.combine(plan.date, dt.time.fromisoformat(plan.end), tzinfo=tz)
    cal = Calendar()
    cal.add("prodid", "-//syslead//system leadership session//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", invitation_uid(plan))
    event.add("dtstamp", dt.datetime.combine(plan.date, dt.time(0, 0), tzinfo=dt.timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", plan.title)
    event.add("description", invitation_text(plan, library, venue))
    if venue:
        event.add("location", venue)
    event.add("transp", "OPAQUE")
    event.add("status", "CONFIRMED")
    cal.add_component(event)
    cal.add_missing_timezones(
        first_date=plan.date - dt.timedelta(days=366), last_date=plan.date + dt.timedelta(days=366)
    )
    data = cal.to_ical()
    if not isinstance(data, bytes):  # icalendar's to_ical is untyped
        raise TypeError(f"icalendar wrote {type(data).__name__}, not bytes")
    return data.decode("utf-8")
