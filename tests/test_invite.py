"""The invitation to one session: parsed back with icalendar, its local start across a clock change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from icalendar import Calendar

from .conftest import Run

Cli = Callable[..., Run]
UTC = dt.timezone.utc


def invite(cli: Cli, *args: str) -> tuple[Calendar, Run]:
    result = cli("plan-session", *args, "--to", "ics")
    assert result.exit_code == 0, result.stderr
    return Calendar.from_ical(result.stdout), result


def only_event(calendar: Calendar) -> object:
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


@pytest.mark.parametrize(
    ("date", "utc_hour"),
    [
        ("2027-03-27", 13),  # the Saturday before the clocks go forward: GMT
        ("2027-03-28", 12),  # the Sunday they do (01:00 GMT): BST from then on
        ("2027-10-30", 12),  # the Saturday before they go back: BST
        ("2027-10-31", 13),  # the Sunday they do: GMT again
    ],
)
def test_the_local_start_holds_across_a_clock_change(cli: Cli, date: str, utc_hour: int) -> None:
    calendar, _ = invite(cli, "--date", date)
    event = only_event(calendar)
    start = event["DTSTART"].dt  # type: ignore[index]
    assert start.tzinfo is not None
    assert str(start.tzinfo) == "Europe/London"
    assert (start.hour, start.minute) == (13, 0)
    assert start.astimezone(UTC).hour == utc_hour
    assert event["DTEND"].dt.hour == 21  # type: ignore[index]
    zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/London"]


def test_the_invitation_carries_the_venue_the_agenda_and_a_stable_uid(
    cli: Cli, tmp_path: Path
) -> None:
    venue = "Northshire Hall; Room 2, <Level 1> {{ 7*7 }}"
    args = ("--date", "2027-01-15", "--org", "Northshire ICB", "--venue", venue)
    calendar, first = invite(cli, *args)
    _, second = invite(cli, *args)
    assert first.stdout == second.stdout  # the same plan, the same bytes
    event = only_event(calendar)
    plan_file = tmp_path / "plan.yaml"
    assert cli("plan-session", *args, "--to", "yaml", "-o", str(plan_file)).exit_code == 0
    plan = yaml.safe_load(plan_file.read_text())
    assert str(event["UID"]) == f"{plan['plan_id']}@syslead"  # type: ignore[index]
    assert str(event["LOCATION"]) == venue  # type: ignore[index]
    assert str(event["SUMMARY"]) == plan["title"]  # type: ignore[index]
    description = str(event["DESCRIPTION"])  # type: ignore[index]
    for block in plan["blocks"]:
        assert f"{block['start']}-{block['end']} {block['title']}" in description
    assert "Northshire ICB" in description
    # another seed is another plan: another UID
    other, _ = invite(cli, *args, "--seed", "2")
    assert str(only_event(other)["UID"]) != str(event["UID"])  # type: ignore[index]


def test_another_time_zone(cli: Cli) -> None:
    calendar, _ = invite(cli, "--date", "2027-07-01", "--timezone", "Europe/Dublin")
    start = only_event(calendar)["DTSTART"].dt  # type: ignore[index]
    assert start.utcoffset() == ZoneInfo("Europe/Dublin").utcoffset(start.replace(tzinfo=None))
    assert str(start.tzinfo) == "Europe/Dublin"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--date: an invitation needs the session's date"),
        (
            ("--date", "2027-01-15", "--timezone", "Mars/Olympus"),
            "--tz: 'Mars/Olympus' is not a time zone",
        ),
        (("--date", "2027-01-15", "--venue", "Hall\nTwo"), "--venue: a control character"),
    ],
)
def test_bad_invitations_say_why(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli("plan-session", *args, "--to", "ics")
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_a_dated_pack_has_its_invitation(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    args = ("--date", "2027-01-15", "--venue", "Northshire Hall", "--out-dir", str(out))
    assert cli("plan-session", *args).exit_code == 0
    event = only_event(Calendar.from_ical((out / "invite.ics").read_bytes()))
    assert str(event["LOCATION"]) == "Northshire Hall"  # type: ignore[index]
