"""A recurring programme: an away session, then a meeting every six weeks, with a log of what each agreed.

Pure functions over the :class:`Series` model. The series file is meant to be read and edited by a
person, so it holds only what a person decides (dates, formats, focus, what was recorded); the plans
themselves are worked out again, deterministically, whenever they are needed.

Focus rotates so that any five consecutive sessions between them cover all five factors, and each
session is planned around the activities earlier sessions used, so that no activity comes back until
its factor's activities are used up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from syslead.errors import SysleadError, ref
from syslead.library.models import FACTOR_IDS, Clock, FactorId, FormatId, Line
from syslead.planning.limits import MAX_PARTICIPANTS, MIN_PARTICIPANTS
from syslead.planning.plan import LATEST_DATE, PlanModel, to_minutes

DEFAULT_TIMEZONE = "Europe/London"


SCHEMA_VERSION: Literal[2] = 2
"""Version 2 adds members, action ids and their history, pairs met and assessments; a version 1
file is read as it is and written back as version 2."""

EARLIEST_DATE = dt.date(1900, 1, 1)
"""The earliest date a series may use: far enough from the calendar's start for date arithmetic."""


def _check_timezone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except IsADirectoryError:
        raise ValueError(
            f"{name!r} is a region of the time-zone database, not a time zone "
            "(expected a zone in it, such as Europe/London)"
        ) from None
    except (ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        raise ValueError(
            f"unknown time zone {name!r} (expected an IANA name such as Europe/London)"
        ) from None
    return name


def _check_date(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            f"{value} is out of range (expected a date from {EARLIEST_DATE} to {LATEST_DATE})"
        )
    return value


SeriesDate = Annotated[dt.date, AfterValidator(_check_date)]
ACTION_ID = re.compile(r"^A[1-9][0-9]*$")


class Member(PlanModel):
    """A named member of the group and the organisation they come from."""

    name: Line
    organisation: Line


class Action(PlanModel):
    """Something a named person agreed to do; ``id`` (A1, A2...) stays the same for good."""

    id: Annotated[str, Field(pattern=ACTION_ID.pattern)] | None = None
    owner: Line
    text: Line
    due: dt.date | None = None
    done: bool = False
    done_on: dt.date | None = Field(default=None, description="When it was marked done.")
    note: Line | None = None

    def done_by(self, day: dt.date) -> bool:
        """Done on or before ``day`` (an action marked done without a date counts as always done)."""
        return self.done and (self.done_on is None or self.done_on <= day)


class Record(PlanModel):
    """What a session agreed, as recorded afterwards."""

    attended: list[Line] = Field(default_factory=list)
    key_messages: list[Line] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    conflicts: list[Line] = Field(default_factory=list)
    met: list[Annotated[list[Line], Field(min_length=2, max_length=3)]] = Field(
        default_factory=list,
        description="Who met between this session and the next, each as the names of a pair or trio.",
    )

    @property
    def empty(self) -> bool:
        """Nothing has been recorded for the session yet."""
        return not (
            self.attended or self.key_messages or self.actions or self.conflicts or self.met
        )


class FactorSummary(PlanModel):
    """One factor's figures from an assessment (never the raw answers)."""

    factor: FactorId
    mean: float | None = None
    sd: float | None = None
    min: float | None = None
    max: float | None = None
    respondents: Annotated[int, Field(ge=0)] = 0


class GroupSummary(PlanModel):
    """One organisation's figures (or "other organisations", pooled to keep answers private)."""

    organisation: Line
    pooled: bool = False
    respondents: Annotated[int, Field(ge=0)]
    factors: list[FactorSummary]


class Assessment(PlanModel):
    """The per-factor summary of a self-assessment taken at a session."""

    respondents: Annotated[int, Field(ge=0)]
    min_group: Annotated[int, Field(ge=2)] = 3
    factors: list[FactorSummary]
    by_organisation: list[GroupSummary] = Field(default_factory=list)


class SeriesSession(PlanModel):
    """One meeting of the programme."""

    number: Annotated[int, Field(ge=1)]
    date: SeriesDate
    format: FormatId
    focus: list[FactorId] = Field(min_length=1)
    start: Clock | None = None
    end: Clock | None = None
    revision: Annotated[int, Field(ge=0)] = Field(
        default=0,
        description="How many times the session has been moved; calendars take the highest as newest.",
    )
    record: Record = Field(default_factory=Record)
    assessment: Assessment | None = None

    @property
    def held(self) -> bool:
        """Something was recorded for the session (its log or an assessment)."""
        return not self.record.empty or self.assessment is not None


class Series(PlanModel):
    """A recurring programme and its log."""

    schema_version: Literal[1, 2] = SCHEMA_VERSION
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]{4,64}$")] = Field(
        description="Keeps calendar entries stable when the series is planned again."
    )
    title: Line
    timezone: Annotated[str, Field(min_length=1)] = DEFAULT_TIMEZONE
    every_weeks: Annotated[int, Field(ge=1, le=52)] = 6
    time: Annotated[str, Field(min_length=1)] = "14:00-17:00"
    participants: Annotated[int, Field(ge=MIN_PARTICIPANTS, le=MAX_PARTICIPANTS)] = 12
    organisations: list[Line] = Field(default_factory=list)
    members: list[Member] = Field(default_factory=list)
    location: Line | None = None
    seed: int = 1
    skip: list[dt.date] = Field(default_factory=list)
    sessions: list[SeriesSession] = Field(min_length=1)

    @model_validator(mode="after")
    def _action_ids(self) -> Series:
        # Actions recorded before ids existed (schema version 1) take the next free ids, in order.
        actions = [a for s in self.sessions for a in s.record.actions]
        taken = [int(a.id[1:]) for a in actions if a.id]
        following = max(taken, default=0)
        for action in actions:
            if action.id is None:
                following += 1
                action.id = f"A{following}"
        return self

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return _check_timezone(value)

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        if not re.fullmatch(r"\d\d:\d\d-\d\d:\d\d", value):
            raise ValueError(
                f"{value!r} is not a time range (expected HH:MM-HH:MM, such as 14:00-17:00)"
            )
        start, end = value.split("-")
        for clock in (start, end):
            hours, minutes = clock.split(":")
            if int(hours) > 23 or int(minutes) > 59:
                raise ValueError(f"{clock!r} is not a clock time (expected HH:MM-HH:MM, 24-hour)")
        if to_minutes(end) <= to_minutes(start):
            raise ValueError(f"the end of {value!r} is not after its start")
        return value

    @model_validator(mode="after")
    def _sessions_in_order(self, info: ValidationInfo) -> Series:
        # A file reader checks this itself, to point at the session's own line (order_issues).
        if not (info.context or {}).get("order_checked_by_caller"):
            issues = order_issues(self)
            if issues:
                raise ValueError(issues[0][1])
        return self

    def session(self, number: int) -> SeriesSession:
        """The session with this number, or a SysleadError naming the range."""
        if not 1 <= number <= len(self.sessions):
            raise SysleadError(
                f"{ref('session')} {number} is out of range: this series has sessions 1 to {len(self.sessions)}"
            )
        return self.sessions[number - 1]


def order_issues(series: Series) -> list[tuple[tuple[int | str, ...], str]]:
    """Sessions out of number or date order, each with the field path to point at."""
    issues: list[tuple[tuple[int | str, ...], str]] = []
    for index, session in enumerate(series.sessions):
        if session.number != index + 1:
            issues.append(
                (
                    ("sessions", index, "number"),
                    f"sessions are numbered 1, 2, 3... in order; expected {index + 1}, found {session.number}",
                )
            )
    for index in range(1, len(series.sessions)):
        before, after = series.sessions[index - 1], series.sessions[index]
        if after.date <= before.date:
            issues.append(
                (
                    ("sessions", index, "date"),
                    f"session {after.number} ({after.date}) is not after session {before.number} ({before.date})",
                )
            )
    return issues


# --- making a series ------------------------------------------------------------------------------


def parse_every(text: str) -> int:
    """``6w``, ``6``, ``6 weeks`` as a number of weeks."""
    match = re.fullmatch(r"\s*(\d+)\s*(w|wk|wks|week|weeks)?\s*", text.lower())
    if not match or not 1 <= int(match[1]) <= 52:
        raise SysleadError(
            f"{ref('every')}: {text!r} is not a number of weeks (expected for example 6w)"
        )
    return int(match[1])


def move_off(day: dt.date, skip: Sequence[dt.date]) -> dt.date:
    """The day itself, or if it is skipped or a weekend, the next weekday that is not skipped."""
    blocked = set(skip)
    if day not in blocked and day.weekday() < 5:
        return day
    day += dt.timedelta(days=1)
    while day in blocked or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def session_dates(
    start: dt.date, every_weeks: int, count: int, skip: Sequence[dt.date]
) -> list[dt.date]:
    """The meeting dates: every ``every_weeks`` from ``start``, each moved off skipped days.

    A moved meeting does not move the ones after it: the rhythm stays anchored to the start.
    """
    dates: list[dt.date] = []
    for k in range(count):
        day = move_off(start + dt.timedelta(weeks=every_weeks * k), skip)
        if dates and day <= dates[-1]:
            day = move_off(dates[-1] + dt.timedelta(days=1), skip)
        dates.append(day)
    return dates


def rotation_focus(index: int, session_format: str) -> list[str]:
    """The focus of the session at ``index`` (0-based).

    An away session works on all five factors, as the paper urges. Shorter meetings take two factors
    each in the paper's order, moving on by one each time: the first six-weekly meeting takes
    factors 1 and 2, the next 2 and 3, then 3 and 4, 4 and 5, 5 and 1, and round again. So any five
    consecutive sessions cover all five factors. :func:`new_series` counts ``index`` from the
    first six-weekly meeting.
    """
    if session_format == "away-day":
        return list(FACTOR_IDS)
    first = index % len(FACTOR_IDS)
    return [FACTOR_IDS[first], FACTOR_IDS[(first + 1) % len(FACTOR_IDS)]]


def series_id(title: str, start: dt.date) -> str:
    """A stable id from what the series was created with."""
    words = "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:40].strip("-") or "series"
    digest = hashlib.sha256(f"{title}|{start.isoformat()}".encode()).hexdigest()[:8]
    return f"{words}-{digest}"


def new_series(
    *,
    title: str,
    start: dt.date,
    every_weeks: int = 6,
    count: int = 8,
    time: str = "14:00-17:00",
    first_format: str = "away-day",
    timezone: str = DEFAULT_TIMEZONE,
    organisations: Sequence[str] = (),
    participants: int = 12,
    skip: Sequence[dt.date] = (),
    seed: int = 1,
    location: str | None = None,
    members: Sequence[Member] = (),
) -> Series:
    """A new series: dates, formats and a rotating focus for every session."""
    from pydantic import ValidationError

    if not 1 <= count <= 100:
        raise SysleadError(f"{ref('count')}: expected from 1 to 100 sessions, got {count}")
    if start > LATEST_DATE:
        raise SysleadError(
            f"{ref('start')}: {start} is too far ahead (expected a date before {LATEST_DATE})"
        )
    if start < EARLIEST_DATE:
        raise SysleadError(
            f"{ref('start')}: {start} is too long ago (expected a date from {EARLIEST_DATE} on)"
        )
    last = start + dt.timedelta(weeks=every_weeks * (count - 1))
    if last > LATEST_DATE - dt.timedelta(days=30):
        raise SysleadError(
            f"{ref('count')}: {count} sessions every {every_weeks} weeks from {start} would run past "
            f"{LATEST_DATE}; start earlier or plan fewer sessions"
        )
    dates = session_dates(start, every_weeks, count, skip)
    names = [m.name.casefold() for m in members]
    twice = sorted({m.name for m in members if names.count(m.name.casefold()) > 1})
    if twice:
        raise SysleadError(f"{ref('members')}: {', '.join(twice)} is named more than once")
    organisations = list(dict.fromkeys([*organisations, *(m.organisation for m in members)]))
    sessions = []
    for index, day in enumerate(dates):
        session_format = first_format if index == 0 else "six-weekly"
        sessions.append(
            {
                "number": index + 1,
                "date": day,
                "format": session_format,
                "focus": rotation_focus(
                    index if first_format != "away-day" else index - 1, session_format
                ),
            }
        )
    try:
        return Series.model_validate(
            {
                "id": series_id(title, start),
                "title": title,
                "timezone": timezone,
                "every_weeks": every_weeks,
                "time": time,
                "participants": participants,
                "organisations": organisations,
                "members": [m.model_dump() for m in members],
                "location": location,
                "seed": seed,
                "skip": sorted(set(skip)),
                "sessions": sessions,
            }
        )
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        field = ".".join(str(p) for p in first["loc"]) or "series"
        option = ref(field) if field.isidentifier() else field
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SysleadError(f"{option}: {message[:1].lower()}{message[1:]}") from None


def parse_member(text: str) -> Member:
    """``'Asha Patel=Northshire ICB'`` as a Member."""
    name, sep, organisation = text.partition("=")
    if not sep or not name.strip() or not organisation.strip() or "=" in organisation:
        raise SysleadError(
            f"{ref('members')} {text!r}: expected 'NAME=ORGANISATION', such as 'Asha Patel=Northshire ICB'"
        )
    return Member(name=name, organisation=organisation)


# --- planning ---------------------------------------------------------------------------------


# --- recording -------------------------------------------------------------------------------


ACTION = re.compile(
    r"^\s*(?P<owner>[^:]+?)\s*:\s*(?P<text>.+?)\s*(?:\[\s*due\s+(?P<due>[^\]]*?)\s*\])?\s*$",
    re.IGNORECASE,
)


def parse_action(text: str) -> Action:
    """``'Chief executive, council: draft the joint letter [due 2027-03-01]'`` as an Action."""
    match = ACTION.match(text)
    if not match or not match["owner"].strip() or not match["text"].strip():
        raise SysleadError(f"{ref('actions')} {text!r}: expected 'OWNER: WHAT [due YYYY-MM-DD]'")
    due = None
    if match["due"] is not None:
        try:
            due = dt.date.fromisoformat(match["due"])
        except ValueError:
            raise SysleadError(
                f"{ref('actions')} {text!r}: {match['due']!r} is not a date (expected YYYY-MM-DD)"
            ) from None
    return Action(owner=match["owner"], text=match["text"], due=due)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def member_named(series: Series, name: str, option: str) -> Member:
    """The member called ``name`` (case and spacing aside), or an error with the closest names."""
    import difflib

    for member in series.members:
        if _key(member.name) == _key(name):
            return member
    names = [m.name for m in series.members]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    listed = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
    raise SysleadError(
        f"{option} {name!r}: not a member of this series{hint} (members: {listed}; add one to "
        "the members list of the series file)"
    )


def parse_met(series: Series, text: str) -> list[str]:
    """``'Asha Patel=Ben Ode'`` (or three names for a trio) as the members' names."""
    parts = [p.strip() for p in text.split("=")]
    if not 2 <= len(parts) <= 3 or not all(parts):
        raise SysleadError(
            f"{ref('met')} {text!r}: expected 'NAME=NAME' (or 'NAME=NAME=NAME' for a trio)"
        )
    if not series.members:
        raise SysleadError(
            f"{ref('met')}: this series names no members; add them with series new {ref('members')} or in the file"
        )
    names = [member_named(series, part, f"{ref('met')}").name for part in parts]
    if len({_key(n) for n in names}) < len(names):
        raise SysleadError(f"{ref('met')} {text!r}: names the same member twice")
    return names


def _next_action_id(series: Series) -> int:
    taken = [int(a.id[1:]) for s in series.sessions for a in s.record.actions if a.id]
    return max(taken, default=0) + 1


def record(
    series: Series,
    number: int,
    *,
    key_messages: Sequence[str] = (),
    actions: Sequence[Action] = (),
    conflicts: Sequence[str] = (),
    attended: Sequence[str] = (),
    met: Sequence[Sequence[str]] = (),
) -> Series:
    """The series with these notes added to a session's record; nothing already recorded is lost.

    New actions take the next free ids; with members named, attendance names members.
    """
    for option, texts in (
        (f"{ref('key_messages')}", key_messages),
        (f"{ref('conflicts')}", conflicts),
        (f"{ref('attended')}", attended),
    ):
        if any(not text.strip() for text in texts):
            raise SysleadError(f"{option}: expected some text, got an empty value")
    if series.members:
        attended = [member_named(series, name, f"{ref('attended')}").name for name in attended]
    session = series.session(number)
    before = session.record
    following = _next_action_id(series)
    numbered = [a.model_copy(update={"id": f"A{following + i}"}) for i, a in enumerate(actions)]
    known = {tuple(sorted(map(_key, group))) for group in before.met}
    merged = Record(
        attended=before.attended + [a for a in dict.fromkeys(attended) if a not in before.attended],
        key_messages=before.key_messages + list(key_messages),
        actions=before.actions + numbered,
        conflicts=before.conflicts + list(conflicts),
        met=before.met + [list(g) for g in met if tuple(sorted(map(_key, g))) not in known],
    )
    return replace_session(series, number, record=merged)


def replace_session(series: Series, number: int, **update: object) -> Series:
    """The series with fields of one session replaced."""
    sessions = [s.model_copy(update=update) if s.number == number else s for s in series.sessions]
    return series.model_copy(update={"sessions": sessions})


def reference_issues(series: Series) -> list[tuple[tuple[int | str, ...], str]]:
    """Names, ids and pairs a file refers to that do not exist, each with the path to point at."""
    issues: list[tuple[tuple[int | str, ...], str]] = []
    members = {_key(m.name) for m in series.members}
    seen: set[str] = set()
    for index, member in enumerate(series.members):
        if _key(member.name) in seen:
            issues.append((("members", index, "name"), f"{member.name!r} is listed twice"))
        seen.add(_key(member.name))
    ids: set[str] = set()
    for s_index, session in enumerate(series.sessions):
        where: tuple[int | str, ...] = ("sessions", s_index, "record")
        for a_index, action in enumerate(session.record.actions):
            if action.id in ids:
                issues.append(
                    ((*where, "actions", a_index, "id"), f"action id {action.id} is used twice")
                )
            ids.add(action.id or "")
        for i, name in enumerate(session.record.attended if series.members else []):
            if _key(name) not in members:
                issues.append(((*where, "attended", i), f"{name!r} is not a member of this series"))
        for i, group in enumerate(session.record.met):
            for name in group:
                if _key(name) not in members:
                    issues.append(((*where, "met", i), f"{name!r} is not a member of this series"))
    return issues


def reschedule(series: Series, number: int, day: dt.date, time: str | None = None) -> Series:
    """The series with one session moved (and its revision raised, so calendars update it)."""
    session = series.session(number)
    try:
        _check_date(day)
    except ValueError as err:
        raise SysleadError(f"{ref('date')}: {err}") from None
    update: dict[str, object] = {"date": day, "revision": session.revision + 1}
    if time is not None:
        match = re.fullmatch(r"(\d\d:\d\d)-(\d\d:\d\d)", time)
        if not match or to_minutes(match[2]) <= to_minutes(match[1]):
            raise SysleadError(
                f"{ref('time')}: {time!r} is not a time range (expected HH:MM-HH:MM, such as 14:00-17:00)"
            )
        update["start"], update["end"] = match[1], match[2]
    sessions = [s.model_copy(update=update) if s.number == number else s for s in series.sessions]
    moved = series.model_copy(update={"sessions": sessions})
    issues = order_issues(moved)
    if issues:
        raise SysleadError(f"{ref('date')} {day}: {issues[0][1]}")
    return moved


def next_session(series: Series) -> SeriesSession:
    """The first session with nothing recorded yet."""
    for session in series.sessions:
        if not session.held:
            return session
    raise SysleadError(
        "every session of this series has a record; add sessions to the file to go on"
    )
