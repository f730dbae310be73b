"""The recurring programme: dates, rotation, no repeats, the calendar, the log, and concurrent writers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from syslead.errors import SysleadError
from syslead.library.loader import load_library
from syslead.library.models import FACTOR_IDS
from syslead.series.planned import plan_series, review_for
from syslead.series.programme import (
    new_series,
    parse_action,
    record,
    rotation_focus,
    session_dates,
)

from .conftest import Run

Cli = Callable[..., Run]
LONDON = ZoneInfo("Europe/London")


def make_series(cli: Cli, tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "series.yaml"
    result = cli(
        "series", "new", str(path), "--title", "Northshire leaders", "--start", "2027-02-05", *args
    )
    assert result.exit_code == 0, result.stderr
    return path


def test_dates_every_six_weeks_and_skips(tmp_path: Path) -> None:
    dates = session_dates(dt.date(2027, 1, 15), 6, 4, [dt.date(2027, 2, 26)])
    assert dates == [
        dt.date(2027, 1, 15),
        dt.date(2027, 3, 1),
        dt.date(2027, 4, 9),
        dt.date(2027, 5, 21),
    ]
    # A start on a Saturday moves to Monday; the rhythm stays anchored to the start.
    assert session_dates(dt.date(2027, 1, 16), 6, 2, []) == [
        dt.date(2027, 1, 18),
        dt.date(2027, 3, 1),
    ]


@settings(deadline=None)
@given(st.integers(min_value=5, max_value=30), st.sampled_from(["away-day", "six-weekly"]))
def test_any_five_consecutive_sessions_cover_every_factor(count: int, first: str) -> None:
    series = new_series(title="T", start=dt.date(2027, 1, 4), count=count, first_format=first)
    for start in range(count - 4):
        window = series.sessions[start : start + 5]
        assert {f for s in window for f in s.focus} == set(FACTOR_IDS)
    assert rotation_focus(0, "away-day") == list(FACTOR_IDS)


@pytest.mark.parametrize(("count", "participants"), [(8, 12), (12, 12), (10, 20)])
def test_no_activity_repeats_until_its_factor_is_used_up(count: int, participants: int) -> None:
    library = load_library()
    series = new_series(
        title="T", start=dt.date(2027, 1, 15), count=count, participants=participants
    )
    plans = plan_series(series, library)
    eligible = {
        fmt: [
            a
            for a in library.activities
            if a.role == "activity"
            and a.planner
            and fmt in a.formats
            and a.group_size.min <= participants <= a.group_size.max
        ]
        for fmt in ("away-day", "six-weekly")
    }
    used: list[str] = []
    for session, plan in zip(series.sessions, plans, strict=True):
        # The group's own business is a standing item, like the opening and close.
        mine = [
            b.activity
            for b in plan.blocks
            if b.kind == "activity"
            and b.activity
            and "shared-business" not in library.activity(b.activity).moves
        ]
        for activity_id in mine:
            if activity_id in used:
                factors = library.activity(activity_id).factors
                assert any(
                    all(a.id in used for a in eligible[session.format] if f in a.factors)
                    for f in factors
                ), (
                    f"session {session.number} repeats {activity_id} while its factors have unused activities"
                )
        used += mine


def test_series_new_file_and_errors(cli: Cli, tmp_path: Path) -> None:
    path = make_series(
        cli, tmp_path, "--count", "3", "--org", "Northshire Council", "--skip", "2027-03-19"
    )
    data = yaml.safe_load(path.read_text())
    assert [s["date"] for s in data["sessions"]] == ["2027-02-05", "2027-03-22", "2027-04-30"]
    assert data["sessions"][0]["format"] == "away-day"
    assert data["sessions"][1]["format"] == "six-weekly"
    again = cli("series", "new", str(path), "--title", "X", "--start", "2027-02-05")
    assert again.exit_code == 1
    assert "the file exists; use --force" in again.stderr
    for args, expected in [
        (["--start", "2027-13-01"], "--start: '2027-13-01' is not a date"),
        (
            ["--start", "2027-02-05", "--tz", "Mars/Olympus"],
            "--tz: unknown time zone 'Mars/Olympus'",
        ),
        (
            ["--start", "2027-02-05", "--time", "17:00-14:00"],
            "--time: the end of '17:00-14:00' is not after its start",
        ),
        (
            ["--start", "2027-02-05", "--every", "fortnightly"],
            "--every: 'fortnightly' is not a number of weeks",
        ),
        (["--start", "2027-02-05", "--count", "0"], "--count: expected from 1 to 100 sessions"),
    ]:
        result = cli("series", "new", str(tmp_path / "other.yaml"), "--title", "X", *args)
        assert result.exit_code == 1, args
        assert expected in result.stderr
        assert not (tmp_path / "other.yaml").exists()


def test_calendar_has_the_right_local_times_across_clock_changes(cli: Cli, tmp_path: Path) -> None:
    import icalendar
    import recurring_ical_events

    path = make_series(cli, tmp_path, "--count", "8")
    out = tmp_path / "out"
    result = cli("series", "plan", str(path), "--out-dir", str(out))
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical((out / "calendar.ics").read_bytes())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = recurring_ical_events.of(calendar).between(dt.date(2027, 1, 1), dt.date(2028, 1, 1))
    assert len(events) == 8
    series = yaml.safe_load(path.read_text())
    offsets = set()
    for event, session in zip(
        sorted(events, key=lambda e: e["DTSTART"].dt), series["sessions"], strict=True
    ):
        start = event["DTSTART"].dt
        assert start.date().isoformat() == session["date"]
        local = start.astimezone(LONDON)
        expected = dt.time(13, 0) if session["format"] == "away-day" else dt.time(14, 0)
        assert local.time() == expected
        assert event["DTEND"].dt.astimezone(LONDON).time() == (
            dt.time(21, 0) if session["format"] == "away-day" else dt.time(17, 0)
        )
        offsets.add(local.utcoffset())
        assert event["UID"].endswith(f"-session-{session['number']}@syslead")
    # The series runs from February (GMT) through summer (BST) to November (GMT again).
    assert offsets == {dt.timedelta(0), dt.timedelta(hours=1)}


def test_planning_again_keeps_uids_and_bytes(cli: Cli, tmp_path: Path) -> None:
    path = make_series(cli, tmp_path, "--count", "3")
    assert cli("series", "plan", str(path), "--out-dir", str(tmp_path / "a")).exit_code == 0
    assert cli("series", "plan", str(path), "--out-dir", str(tmp_path / "b")).exit_code == 0
    for file in (tmp_path / "a").rglob("*"):
        if file.is_file():
            assert (
                file.read_bytes()
                == (tmp_path / "b" / file.relative_to(tmp_path / "a")).read_bytes()
            )
    refused = cli("series", "plan", str(path), "--out-dir", str(tmp_path / "a"))
    assert refused.exit_code == 1
    assert "already exist" in refused.stderr


def test_record_next_and_status(cli: Cli, tmp_path: Path) -> None:
    path = make_series(cli, tmp_path, "--count", "4")
    result = cli(
        "series",
        "record",
        str(path),
        "--session",
        "1",
        "--key-message",
        "We talk about one Northshire pound",
        "--action",
        "Council CEO: draft the joint letter [due 2027-03-01]",
        "--action",
        "ICB chair: share the winter figures",
        "--conflict",
        "Who funds winter pressures",
        "--attended",
        "Council CEO",
    )
    assert result.exit_code == 0, result.stderr
    series = yaml.safe_load(path.read_text())
    log = series["sessions"][0]["record"]
    assert log["actions"][0] == {
        "id": "A1",
        "owner": "Council CEO",
        "text": "draft the joint letter",
        "due": "2027-03-01",
        "done": False,
    }
    nxt = cli("series", "next", str(path))
    assert nxt.exit_code == 0, nxt.stderr
    assert "session 2 of 4" in nxt.stdout
    assert "## Since last time" in nxt.stdout
    assert "draft the joint letter" in nxt.stdout
    assert (
        "Who funds winter pressures" not in nxt.stdout
    )  # conflicts are for the facilitator's sheet
    out = tmp_path / "next"
    assert cli("series", "next", str(path), "--out-dir", str(out)).exit_code == 0
    assert "Who funds winter pressures" in (out / "facilitator.md").read_text()
    status = json.loads(cli("series", "status", str(path), "--to", "json").stdout)
    assert status["next_session"] == 2
    assert sorted(status["open_actions"]) == ["Council CEO", "ICB chair"]
    assert status["coverage_gaps"] == []
    assert "Open actions by owner" in cli("series", "status", str(path)).stdout


def test_record_errors(cli: Cli, tmp_path: Path) -> None:
    path = make_series(cli, tmp_path, "--count", "2")
    before = path.read_text()
    cases = [
        (
            ["--session", "3", "--key-message", "x"],
            "--session 3 is out of range: this series has sessions 1 to 2",
        ),
        (
            ["--session", "1", "--action", "no owner here"],
            "expected 'OWNER: WHAT [due YYYY-MM-DD]'",
        ),
        (["--session", "1", "--action", "A: b [due soon]"], "'soon' is not a date"),
        (["--session", "1"], "nothing to record"),
        (["--session", "1", "--key-message", "  "], "--key-message: expected some text"),
        (["--session", "1", "--action", "Bob:   "], "expected 'OWNER: WHAT [due YYYY-MM-DD]'"),
    ]
    for args, expected in cases:
        result = cli("series", "record", str(path), *args)
        assert result.exit_code == 1
        assert expected in result.stderr
    assert path.read_text() == before


def test_an_edited_invalid_series_names_its_line(cli: Cli, tmp_path: Path) -> None:
    path = make_series(cli, tmp_path, "--count", "3")
    text = path.read_text().replace("format: six-weekly", "format: fortnightly", 1)
    path.write_text(text)
    result = cli("series", "status", str(path))
    assert result.exit_code == 1
    line = text.splitlines().index("  format: fortnightly") + 1
    assert (
        f"{path}:{line}:11: sessions[1].format: input should be 'away-day', 'six-weekly' or 'day'"
        in result.stderr
    )
    dates = (
        path.read_text()
        .replace("format: fortnightly", "format: six-weekly")
        .replace("2027-03-19", "2027-01-01")
    )
    path.write_text(dates)
    result = cli("series", "status", str(path))
    assert result.exit_code == 1
    line = dates.splitlines().index("  date: '2027-01-01'") + 1
    assert (
        f"{path}:{line}:9: sessions[1].date: session 2 (2027-01-01) is not after session 1"
        in result.stderr
    )
    renumbered = dates.replace("2027-01-01", "2027-03-19").replace("- number: 3", "- number: 4")
    path.write_text(renumbered)
    result = cli("series", "status", str(path))
    line = renumbered.splitlines().index("- number: 4") + 1
    assert (
        f"{path}:{line}:11: sessions[2].number: sessions are numbered 1, 2, 3... in order; expected 3, found 4"
        in result.stderr
    )


def test_review_and_record_are_pure() -> None:
    series = new_series(title="T", start=dt.date(2027, 1, 15), count=3)
    updated = record(series, 1, key_messages=["one"], actions=[parse_action("A: b")])
    assert series.sessions[0].record.empty
    again = record(updated, 1, key_messages=["two"])
    assert again.sessions[0].record.key_messages == ["one", "two"]
    assert len(review_for(again, 2).open_actions) == 1
    assert review_for(again, 1).empty
    with pytest.raises(SysleadError):
        record(series, 9, key_messages=["x"])


def test_concurrent_records_lose_nothing(cli: Cli, tmp_path: Path) -> None:
    path = make_series(cli, tmp_path, "--count", "2")
    env = {**os.environ, "SYSLEAD_CACHE_DIR": str(tmp_path / "cache")}
    writers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "syslead",
                "series",
                "record",
                str(path),
                "--session",
                str(1 + i % 2),
                "--key-message",
                f"message {i}",
                "--action",
                f"Owner {i}: task {i}",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(12)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    series = yaml.safe_load(path.read_text())
    messages = [m for s in series["sessions"] for m in s["record"]["key_messages"]]
    assert sorted(messages) == sorted(f"message {i}" for i in range(12))
    owners = [a["owner"] for s in series["sessions"] for a in s["record"]["actions"]]
    assert sorted(owners) == sorted(f"Owner {i}" for i in range(12))
    assert not list(tmp_path.glob(".series.yaml.*.tmp"))


def test_reschedule_refuses_a_skip_date(cli: Cli, tmp_path: Path) -> None:
    path = make_series(cli, tmp_path, "--count", "3", "--skip", "2027-04-09")
    result = cli("series", "reschedule", str(path), "--session", "3", "--date", "2027-04-09")
    assert result.exit_code == 1
    assert "a day the group cannot meet" in result.stderr
    weekend = cli("series", "reschedule", str(path), "--session", "3", "--date", "2027-05-01")
    assert weekend.exit_code == 0
    assert "Saturday" in weekend.stderr


def test_reschedule_moves_a_session_and_updates_the_calendar(cli: Cli, tmp_path: Path) -> None:
    import icalendar

    path = make_series(cli, tmp_path, "--count", "3")
    assert cli("series", "plan", str(path), "--out-dir", str(tmp_path / "before")).exit_code == 0
    result = cli(
        "series",
        "reschedule",
        str(path),
        "--session",
        "2",
        "--date",
        "2027-03-26",
        "--time",
        "09:30-12:30",
    )
    assert result.exit_code == 0, result.stderr
    series = yaml.safe_load(path.read_text())
    assert series["sessions"][1]["date"] == "2027-03-26"
    assert series["sessions"][1]["revision"] == 1
    assert "revision" not in series["sessions"][0]
    assert cli("series", "plan", str(path), "--out-dir", str(tmp_path / "after")).exit_code == 0

    def events(folder: str) -> dict[str, icalendar.Event]:
        cal = icalendar.Calendar.from_ical((tmp_path / folder / "calendar.ics").read_bytes())
        return {str(e["UID"]): e for e in cal.walk("VEVENT")}

    before, after = events("before"), events("after")
    assert before.keys() == after.keys()  # the same events, updated rather than duplicated
    moved = next(uid for uid in after if uid.endswith("-session-2@syslead"))
    assert after[moved]["SEQUENCE"] > before[moved]["SEQUENCE"]
    assert after[moved]["DTSTAMP"].dt > before[moved]["DTSTAMP"].dt
    assert after[moved]["DTSTART"].dt.astimezone(LONDON).time() == dt.time(9, 30)
    # Planning again into the old folder points out the pack for the old date.
    again = cli("series", "plan", str(path), "--out-dir", str(tmp_path / "before"), "--force")
    assert "session-02-2027-03-19" in again.stderr  # the old pack is pointed out, not left silently
    clash = cli("series", "reschedule", str(path), "--session", "2", "--date", "2027-01-01")
    assert clash.exit_code == 1
    assert "is not after session 1" in clash.stderr
    before_refusals = path.read_text()
    morning = cli(
        "series",
        "reschedule",
        str(path),
        "--session",
        "1",
        "--date",
        "2027-02-05",
        "--time",
        "09:00-12:00",
    )
    assert morning.exit_code == 1
    assert "an away-day runs into the evening" in morning.stderr
    assert path.read_text() == before_refusals  # nothing written
