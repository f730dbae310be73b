"""A programme's sessions: their dates, the documented order of the focus, the group's size in every
plan, and "today" from a fixed clock rather than the computer's."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from syslead.errors import SysleadError
from syslead.library.loader import Library, load_library
from syslead.series.actions import ledger, reference_day, state_of
from syslead.series.planned import plan_series, review_for, session_request
from syslead.series.programme import (
    Action,
    Member,
    Series,
    member_named,
    move_off,
    new_series,
    next_session,
    order_issues,
    parse_action,
    parse_every,
    parse_member,
    parse_met,
    record,
    reference_issues,
    replace_session,
    reschedule,
    rotation_focus,
    series_id,
    session_dates,
)
from syslead.series.status import open_actions, series_status

from .conftest import Run

Cli = Callable[..., Run]

SP, PC, CF = "shared-purpose", "personal-contact", "conflict"
AL, LT = "altruism", "long-term"
ALL = [SP, PC, CF, AL, LT]
"""The five factors in the order README numbers them (1 to 5)."""


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def new_file(cli: Cli, path: Path, *args: str) -> Run:
    return cli("series", "new", str(path), "--title", "Northshire", "--start", "2027-02-05", *args)


# --- The order of the focus -------------------------------------------------------------------


def test_the_focus_follows_the_documented_order_after_an_away_day(cli: Cli, tmp_path: Path) -> None:
    """README: an away-day works on all five factors; each six-weekly meeting then takes two, the
    first meeting factors 1 and 2, each next meeting moving on by one (5 wraps round to 1)."""
    path = tmp_path / "series.yaml"
    result = new_file(cli, path, "--count", "8")
    assert result.exit_code == 0, result.stderr
    # 2027-02-05 is a Friday; every six weeks (42 days) after it is a Friday too.
    assert result.stderr == "wrote " + str(path) + ": 8 sessions from 2027-02-05 to 2027-11-26\n"
    sessions = yaml.safe_load(path.read_text())["sessions"]
    assert [(s["number"], s["date"], s["format"], s["focus"]) for s in sessions] == [
        (1, "2027-02-05", "away-day", ALL),
        (2, "2027-03-19", "six-weekly", [SP, PC]),
        (3, "2027-04-30", "six-weekly", [PC, CF]),
        (4, "2027-06-11", "six-weekly", [CF, AL]),
        (5, "2027-07-23", "six-weekly", [AL, LT]),
        (6, "2027-09-03", "six-weekly", [LT, SP]),
        (7, "2027-10-15", "six-weekly", [SP, PC]),
        (8, "2027-11-26", "six-weekly", [PC, CF]),
    ]


def test_the_focus_follows_the_documented_order_from_a_first_six_weekly(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "series.yaml"
    result = new_file(cli, path, "--count", "6", "--first-format", "six-weekly")
    assert result.exit_code == 0, result.stderr
    sessions = yaml.safe_load(path.read_text())["sessions"]
    assert [(s["format"], s["focus"]) for s in sessions] == [
        ("six-weekly", [SP, PC]),
        ("six-weekly", [PC, CF]),
        ("six-weekly", [CF, AL]),
        ("six-weekly", [AL, LT]),
        ("six-weekly", [LT, SP]),
        ("six-weekly", [SP, PC]),
    ]


def test_rotation_focus_by_index() -> None:
    assert [rotation_focus(i, "six-weekly") for i in range(7)] == [
        [SP, PC],
        [PC, CF],
        [CF, AL],
        [AL, LT],
        [LT, SP],
        [SP, PC],
        [PC, CF],
    ]
    # An away-day (or a day) covers every factor wherever it falls.
    assert rotation_focus(3, "away-day") == ALL


def test_each_plan_takes_the_focus_the_series_file_gives(library: Library) -> None:
    """With nothing recorded, each session is planned on its own focus (as a person may edit it)."""
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=4)
    edited = series.model_copy(
        update={
            "sessions": [
                s.model_copy(update={"focus": [LT, CF]}) if s.number == 3 else s
                for s in series.sessions
            ]
        }
    )
    plans = plan_series(edited, library)
    assert [p.focus for p in plans] == [ALL, [SP, PC], [LT, CF], [CF, AL]]


# --- Dates ------------------------------------------------------------------------------------


def test_a_moved_meeting_never_lands_on_or_before_the_one_before_it() -> None:
    """Weekly from Monday 2027-01-04, the first six weekdays skipped: session 1 moves to Tuesday
    the 12th; session 2 (Monday the 11th, skipped) would move to the 12th too, so it takes the
    next free weekday, the 13th; session 3 keeps its own Monday, the 18th."""
    skip = [dt.date(2027, 1, d) for d in (4, 5, 6, 7, 8, 11)]
    assert session_dates(dt.date(2027, 1, 4), 1, 4, skip) == [
        dt.date(2027, 1, 12),
        dt.date(2027, 1, 13),
        dt.date(2027, 1, 18),
        dt.date(2027, 1, 25),
    ]


def test_move_off_weekends_and_skipped_days() -> None:
    friday, saturday, sunday = dt.date(2027, 1, 8), dt.date(2027, 1, 9), dt.date(2027, 1, 10)
    monday, tuesday = dt.date(2027, 1, 11), dt.date(2027, 1, 12)
    assert move_off(friday, []) == friday
    assert move_off(saturday, []) == monday
    assert move_off(sunday, []) == monday
    assert move_off(friday, [friday]) == monday
    assert move_off(friday, [friday, monday]) == tuesday
    assert move_off(monday, [friday]) == monday  # a skip elsewhere changes nothing


def test_every_is_read_in_weeks() -> None:
    assert [parse_every(t) for t in ("6w", "6", " 6 Weeks ", "1wk", "52wks", "3 week")] == [
        6,
        6,
        6,
        1,
        52,
        3,
    ]
    for text in ("0w", "53", "six", "6d", "-6", ""):
        with pytest.raises(SysleadError) as caught:
            parse_every(text)
        assert caught.value.message.endswith(
            f"{text!r} is not a number of weeks (expected for example 6w)"
        )


def test_series_new_every_and_skip_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    """Every four weeks from Friday 2027-02-05; 2027-03-05 is skipped (twice, to show it is kept
    once) so session 2 moves to Monday the 8th; session 3 stays on 2027-04-02."""
    path = tmp_path / "series.yaml"
    result = new_file(
        cli, path, "--every", "4w", "--count", "3",
        "--skip", "2027-03-05", "--skip", "2027-03-05",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(path.read_text())
    assert data["every_weeks"] == 4
    assert data["skip"] == ["2027-03-05"]
    assert [s["date"] for s in data["sessions"]] == ["2027-02-05", "2027-03-08", "2027-04-02"]
    refused = new_file(cli, tmp_path / "other.yaml", "--every", "fortnightly")
    assert refused.exit_code == 1
    assert "--every: 'fortnightly' is not a number of weeks" in refused.stderr
    assert not (tmp_path / "other.yaml").exists()


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("0", "--count: expected from 1 to 100 sessions, got 0"),
        ("101", "--count: expected from 1 to 100 sessions, got 101"),
    ],
)
def test_count_is_from_1_to_100(cli: Cli, tmp_path: Path, count: str, message: str) -> None:
    result = new_file(cli, tmp_path / "s.yaml", "--count", count)
    assert result.exit_code == 1
    assert message in result.stderr
    assert new_file(cli, tmp_path / "one.yaml", "--count", "1").exit_code == 0
    assert len(yaml.safe_load((tmp_path / "one.yaml").read_text())["sessions"]) == 1


# --- The group's size reaches every plan ------------------------------------------------------


@pytest.mark.parametrize("participants", [5, 30])
def test_every_session_is_planned_for_the_series_group(library: Library, participants: int) -> None:
    """The series' participants, not a default of 12, reach each session's plan, and every
    activity the planner chose works for a group that size."""
    series = new_series(
        title="Northshire",
        start=dt.date(2027, 2, 5),
        count=4,
        participants=participants,
        organisations=["Council", "Trust"],
        seed=3,
        time="13:30-16:30",
    )
    for session in series.sessions:
        request = session_request(series, session, ["naming-power"])
        following = session.number + 1
        assert request.participants == participants
        assert request.organisations == ["Council", "Trust"]
        assert request.seed == 3
        assert request.title == f"Northshire: session {session.number} of 4"
        assert request.date == session.date
        assert request.format == session.format
        assert request.focus == session.focus
        assert request.avoid == ["naming-power"]
        assert request.next_meeting == (
            series.sessions[following - 1].date if following <= 4 else None
        )
        # A six-weekly meeting takes the series' --time; the away-day keeps its own hours.
        window = ("13:30", "16:30") if session.format == "six-weekly" else (None, None)
        assert (request.start, request.end) == window
    plans = plan_series(series, library)
    assert [p.participants for p in plans] == [participants] * 4
    for plan in plans:
        for block in plan.blocks:
            if block.kind == "activity" and block.activity:
                size = library.activity(block.activity).group_size
                assert size.min <= participants <= size.max, (
                    f"{block.activity} is not for {participants} people"
                )


def test_series_participants_reach_the_next_session_on_the_command_line(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "series.yaml"
    made = new_file(cli, path, "--count", "3", "--participants", "30", "--org", "Council")
    assert made.exit_code == 0, made.stderr
    assert yaml.safe_load(path.read_text())["participants"] == 30
    first = cli("series", "next", str(path), "--to", "json")
    assert first.exit_code == 0, first.stderr
    plan = json.loads(first.stdout)
    assert (plan["participants"], plan["date"], plan["format"]) == (30, "2027-02-05", "away-day")
    recorded = cli("series", "record", str(path), "--session", "1", "--key-message", "One pound")
    assert recorded.exit_code == 0, recorded.stderr
    second = json.loads(cli("series", "next", str(path), "--to", "json").stdout)
    assert (second["participants"], second["date"], second["format"]) == (
        30,
        "2027-03-19",
        "six-weekly",
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ((), 4),  # the four members
        (("--participants", "12"), 12),  # said outright, even when it is the usual 12
        (("--participants", "20"), 20),
    ],
)
def test_members_set_the_group_size_unless_participants_says_otherwise(
    cli: Cli, tmp_path: Path, extra: tuple[str, ...], expected: int
) -> None:
    members = ["A Patel=ICB", "B Ode=Council", "C Lee=ICB", "D Rao=Trust"]
    path = tmp_path / "series.yaml"
    args = [x for m in members for x in ("--member", m)]
    result = new_file(cli, path, "--count", "2", *args, *extra)
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(path.read_text())["participants"] == expected
    assert new_file(cli, tmp_path / "plain.yaml", "--count", "2").exit_code == 0
    assert yaml.safe_load((tmp_path / "plain.yaml").read_text())["participants"] == 12


# --- Today, from a clock a test can set --------------------------------------------------------


def held_series(cli: Cli, tmp_path: Path) -> Path:
    """Two sessions (2027-02-05 and 2027-03-19), both held: "today" is the clock's date."""
    path = tmp_path / "series.yaml"
    assert new_file(cli, path, "--count", "2").exit_code == 0
    for session, action in (
        ("1", "Council CEO: draft the joint letter [due 2027-06-01]"),
        ("2", "ICB chair: share the winter figures"),
    ):
        result = cli("series", "record", str(path), "--session", session, "--action", action)
        assert result.exit_code == 0, result.stderr
    return path


@pytest.mark.parametrize(
    ("today", "overdue"),
    [("2027-05-31", False), ("2027-06-01", False), ("2027-06-02", True)],
)
def test_status_judges_overdue_by_the_clock_once_every_session_is_held(
    cli: Cli, tmp_path: Path, today: str, overdue: bool
) -> None:
    """Overdue means due before today: not on the day itself. SYSLEAD_TODAY sets the clock."""
    path = held_series(cli, tmp_path)
    env = {"SYSLEAD_TODAY": today}
    status = cli("series", "status", str(path), "--to", "json", env=env)
    assert (status.exit_code, status.stderr) == (0, "")
    data = json.loads(status.stdout)
    assert data["next_session"] is None
    assert data["open_actions"] == {
        "Council CEO": [
            {
                "id": "A1",
                "session": 1,
                "text": "draft the joint letter",
                "due": "2027-06-01",
                "overdue": overdue,
            }
        ],
        "ICB chair": [
            {
                "id": "A2",
                "session": 2,
                "text": "share the winter figures",
                "due": None,
                "overdue": False,
            }
        ],
    }
    listed = cli("series", "action", "list", str(path), "--to", "json", env=env)
    assert (listed.exit_code, listed.stderr) == (0, "")
    states = [(e["id"], e["state"]) for e in json.loads(listed.stdout)]
    assert states == [("A1", "overdue" if overdue else "open"), ("A2", "open")]


def test_today_option_wins_over_the_clock(cli: Cli, tmp_path: Path) -> None:
    path = held_series(cli, tmp_path)
    env = {"SYSLEAD_TODAY": "2027-12-31"}
    listed = cli("series", "action", "list", str(path), "--to", "json", "--today", "2027-01-01")
    assert listed.exit_code == 0, listed.stderr
    assert [e["state"] for e in json.loads(listed.stdout)] == ["open", "open"]
    both = cli("series", "status", str(path), "--to", "json", "--today", "2027-01-01", env=env)
    assert both.exit_code == 0, both.stderr
    assert json.loads(both.stdout)["open_actions"]["Council CEO"][0]["overdue"] is False
    late = json.loads(cli("series", "status", str(path), "--to", "json", env=env).stdout)
    assert late["open_actions"]["Council CEO"][0]["overdue"] is True


def test_a_session_still_to_come_is_the_day_to_judge_by_whatever_the_clock(
    cli: Cli, tmp_path: Path
) -> None:
    """Until every session is held, actions are judged at the session being prepared."""
    path = tmp_path / "series.yaml"
    assert new_file(cli, path, "--count", "3").exit_code == 0
    action = "Council CEO: draft the joint letter [due 2027-04-01]"
    assert cli("series", "record", str(path), "--session", "1", "--action", action).exit_code == 0
    # Session 2 (2027-03-19) is being prepared: the action is not yet due then, even if the
    # clock says 2030; with session 2 held, session 3 (2027-04-30) is later than its due date.
    for clock in ("2026-01-01", "2030-01-01"):
        out = cli(
            "series", "action", "list", str(path), "--to", "json", env={"SYSLEAD_TODAY": clock}
        )
        assert [e["state"] for e in json.loads(out.stdout)] == ["open"]
    assert (
        cli("series", "record", str(path), "--session", "2", "--key-message", "Hi").exit_code == 0
    )
    out = cli(
        "series", "action", "list", str(path), "--to", "json", env={"SYSLEAD_TODAY": "2026-01-01"}
    )
    assert [e["state"] for e in json.loads(out.stdout)] == ["overdue"]


def test_action_done_takes_the_clocks_day(cli: Cli, tmp_path: Path) -> None:
    path = held_series(cli, tmp_path)
    done = cli("series", "action", "done", str(path), "a1", env={"SYSLEAD_TODAY": "2027-05-20"})
    assert done.exit_code == 0, done.stderr
    assert done.stderr == f"A1 is done (2027-05-20) in {path}\n"
    action = yaml.safe_load(path.read_text())["sessions"][0]["record"]["actions"][0]
    assert (action["done"], action["done_on"]) == (True, "2027-05-20")
    # Judged on the day before it was done, it was still open (and, with the clock after its
    # due date, overdue); on the day itself and later, it is done.
    states = [
        json.loads(
            cli("series", "action", "list", str(path), "--to", "json", "--today", day).stdout
        )[0]["state"]
        for day in ("2027-05-19", "2027-05-20")
    ]
    assert states == ["open", "done"]


def test_a_clock_that_is_not_a_date_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = held_series(cli, tmp_path)
    for args in (
        ("series", "status", str(path)),
        ("series", "action", "list", str(path)),
        ("series", "action", "done", str(path), "A1"),
    ):
        result = cli(*args, env={"SYSLEAD_TODAY": "soon"})
        assert result.exit_code == 1
        assert "SYSLEAD_TODAY: 'soon' is not a date (expected YYYY-MM-DD)" in result.stderr
        assert result.stdout == ""
    assert yaml.safe_load(path.read_text())["sessions"][0]["record"]["actions"][0]["done"] is False


def test_the_domain_takes_today_as_a_parameter() -> None:
    """No function below the command line reads the clock: "today" is always passed in."""
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    due = Action(owner="Ann", text="write", due=dt.date(2027, 6, 1))
    series = record(series, 1, actions=[due])
    series = record(series, 2, key_messages=["done"])
    day = dt.date(2027, 6, 2)
    assert reference_day(series, day) == day
    assert [e.state for e in ledger(series, day)] == ["overdue"]
    assert state_of(series.sessions[0].record.actions[0], dt.date(2027, 6, 1)) == "open"
    assert open_actions(series, day)["Ann"][0].overdue is True
    assert open_actions(series, dt.date(2027, 6, 1))["Ann"][0].overdue is False
    assert open_actions(series)["Ann"][0].overdue is False  # no day given: nothing is overdue
    assert series_status(series, day).open_actions["Ann"][0].overdue is True
    assert series_status(series).open_actions["Ann"][0].overdue is False
    upcoming = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    assert reference_day(upcoming, day) == dt.date(2027, 2, 5)


# --- The series file's own checks, named by field ----------------------------------------------


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(SysleadError) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("14-17", "time: '14-17' is not a time range (expected HH:MM-HH:MM, such as 14:00-17:00)"),
        ("14:00-24:00", "time: '24:00' is not a clock time (expected HH:MM-HH:MM, 24-hour)"),
        ("14:60-17:00", "time: '14:60' is not a clock time (expected HH:MM-HH:MM, 24-hour)"),
        ("17:00-17:00", "time: the end of '17:00-17:00' is not after its start"),
    ],
)
def test_a_time_that_is_not_a_window_is_refused(time: str, message: str) -> None:
    assert refusal(lambda: new_series(title="T", start=dt.date(2027, 2, 5), time=time)) == message


def test_the_last_minutes_of_the_day_are_a_window() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), time="00:00-23:59")
    assert series.time == "00:00-23:59"


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        (
            "Europe",
            "'Europe' is a region of the time-zone database, not a time zone (expected a zone in "
            "it, such as Europe/London)",
        ),
        ("Mars/Olympus", "unknown time zone 'Mars/Olympus' (expected an IANA name"),
    ],
)
def test_a_time_zone_must_be_a_zone(zone: str, message: str) -> None:
    text = refusal(lambda: new_series(title="T", start=dt.date(2027, 2, 5), timezone=zone))
    assert text.startswith(f"timezone: {message}")


def test_a_member_named_twice_is_refused() -> None:
    members = [
        Member(name="Asha Patel", organisation="ICB"),
        Member(name="asha patel", organisation="Council"),
    ]
    text = refusal(lambda: new_series(title="T", start=dt.date(2027, 2, 5), members=members))
    assert text == "members: Asha Patel, asha patel is named more than once"


def test_organisations_come_from_the_list_then_the_members_once_each() -> None:
    series = new_series(
        title="T",
        start=dt.date(2027, 2, 5),
        organisations=["Trust", "ICB"],
        members=[Member(name="A", organisation="ICB"), Member(name="B", organisation="Council")],
    )
    assert series.organisations == ["Trust", "ICB", "Council"]


def test_sessions_are_numbered_from_one_and_out_of_range_is_named() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    assert [series.session(n).number for n in (1, 2)] == [1, 2]
    for number in (0, 3):
        assert refusal(lambda n=number: series.session(n)) == (
            f"session {number} is out of range: this series has sessions 1 to 2"
        )


def test_an_action_is_read_with_its_owner_text_and_due_date() -> None:
    assert parse_action("  Council CEO :  draft the letter  [ DUE 2027-03-01 ] ") == Action(
        owner="Council CEO", text="draft the letter", due=dt.date(2027, 3, 1)
    )
    assert parse_action("ICB: share the figures") == Action(owner="ICB", text="share the figures")
    assert refusal(lambda: parse_action("ICB: share [due 2027-02-30]")) == (
        "actions 'ICB: share [due 2027-02-30]': '2027-02-30' is not a date (expected YYYY-MM-DD)"
    )
    assert refusal(lambda: parse_action("share the figures")) == (
        "actions 'share the figures': expected 'OWNER: WHAT [due YYYY-MM-DD]'"
    )
    assert refusal(lambda: parse_action(" : share the figures")) == (
        "actions ' : share the figures': expected 'OWNER: WHAT [due YYYY-MM-DD]'"
    )


def with_members(count: int = 2) -> Series:
    people = [
        Member(name="Asha Patel", organisation="ICB"),
        Member(name="Ben Ode", organisation="Council"),
        Member(name="Cara Lee", organisation="ICB"),
    ]
    return new_series(title="T", start=dt.date(2027, 2, 5), count=count, members=people)


def test_recording_twice_keeps_one_of_each_attendance_and_pair() -> None:
    series = record(
        with_members(), 1, attended=["asha  patel", "Ben Ode"], met=[["Asha Patel", "Ben Ode"]]
    )
    series = record(series, 1, attended=["Asha Patel", "Cara Lee"], met=[["Ben Ode", "asha patel"]])
    log = series.session(1).record
    assert log.attended == ["Asha Patel", "Ben Ode", "Cara Lee"]
    assert log.met == [["Asha Patel", "Ben Ode"]]
    assert series.session(2).record.empty
    for field in ("key_messages", "conflicts", "attended"):
        assert refusal(lambda f=field: record(series, 1, **{f: ["ok", "  "]})) == (
            f"{field}: expected some text, got an empty value"
        )
    assert refusal(lambda: record(series, 1, attended=["Dan"])).startswith(
        "attended 'Dan': not a member of this series"
    )


def test_a_long_member_list_is_cut_short_in_a_refusal() -> None:
    people = [Member(name=f"Member {i:02d}", organisation="ICB") for i in range(1, 14)]
    series = new_series(title="T", start=dt.date(2027, 2, 5), members=people)
    text = refusal(lambda: member_named(series, "Nobody", "owner"))
    listed = ", ".join(f"Member {i:02d}" for i in range(1, 13))
    assert text == (
        f"owner 'Nobody': not a member of this series (members: {listed} ...; add one to the "
        "members list of the series file)"
    )
    # At most three close names, closest first.
    assert "did you mean 'Member 03' or 'Member 13' or 'Member 10'? (members:" in refusal(
        lambda: member_named(series, "Membr 03", "owner")
    )


def test_a_file_that_names_what_does_not_exist_is_located() -> None:
    series = with_members()
    log = series.session(1).record.model_copy(
        update={
            "attended": ["Dan Moss"],
            "met": [["Asha Patel", "Eve"]],
            "actions": [Action(id="A1", owner="x", text="y"), Action(id="A1", owner="x", text="z")],
        }
    )
    broken = replace_session(series, 1, record=log)
    broken = broken.model_copy(update={"members": [*series.members, series.members[0]]})
    assert reference_issues(broken) == [
        (("members", 3, "name"), "'Asha Patel' is listed twice"),
        (("sessions", 0, "record", "actions", 1, "id"), "action id A1 is used twice"),
        (("sessions", 0, "record", "attended", 0), "'Dan Moss' is not a member of this series"),
        (("sessions", 0, "record", "met", 0), "'Eve' is not a member of this series"),
    ]
    assert reference_issues(series) == []
    # Without members, attendance is free text: any name will do.
    free = record(new_series(title="T", start=dt.date(2027, 2, 5)), 1, attended=["Anyone"])
    assert reference_issues(free) == []


def test_reschedule_moves_one_session_and_raises_its_revision() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=3)
    moved = reschedule(series, 2, dt.date(2027, 3, 22), "09:30-12:30")
    session = moved.session(2)
    assert (session.date, session.start, session.end, session.revision) == (
        dt.date(2027, 3, 22),
        "09:30",
        "12:30",
        1,
    )
    assert reschedule(moved, 2, dt.date(2027, 3, 23)).session(2).revision == 2
    assert [s.date for s in moved.sessions] == [
        dt.date(2027, 2, 5),
        dt.date(2027, 3, 22),
        dt.date(2027, 4, 30),
    ]
    for time in ("2pm", "12:30-09:30", "12:30-12:30"):
        assert refusal(lambda t=time: reschedule(series, 2, dt.date(2027, 3, 22), t)) == (
            f"time: {time!r} is not a time range (expected HH:MM-HH:MM, such as 14:00-17:00)"
        )
    assert refusal(lambda: reschedule(series, 2, dt.date(2027, 5, 1))) == (
        "date 2027-05-01: session 3 (2027-04-30) is not after session 2 (2027-05-01)"
    )
    assert refusal(lambda: reschedule(series, 3, dt.date(9001, 1, 1))) == (
        "date: 9001-01-01 is out of range (expected a date from 1900-01-01 to 9000-12-31)"
    )


def test_the_next_session_is_the_first_with_nothing_recorded() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    assert next_session(series).number == 1
    series = record(series, 1, key_messages=["One pound"])
    assert next_session(series).number == 2
    series = record(series, 2, conflicts=["Who pays"])
    assert refusal(lambda: next_session(series)) == (
        "every session of this series has a record; add sessions to the file to go on"
    )


# --- What a session reviews, judged at its own date ------------------------------------------


def test_the_review_of_a_session_worked_out_by_hand() -> None:
    """Session 3 (2027-04-30) reviews what sessions 1 and 2 recorded: A1 is overdue (due in
    March), A2 is open (due in May), A3 was done on 2027-04-01 (done by session 3, but open at
    session 2, 2027-03-19); it recalls session 2's key messages."""
    people = [Member(name=n, organisation=o) for n, o in (("Ann", "ICB"), ("Bo", "Trust"))]
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=4, members=people)
    series = record(
        series,
        1,
        key_messages=["One pound"],
        conflicts=["Who pays"],
        actions=[
            Action(owner="Ann", text="write", due=dt.date(2027, 3, 1)),
            Action(owner="Bo", text="call", due=dt.date(2027, 5, 1)),
        ],
    )
    series = record(
        series,
        2,
        key_messages=["Name the power", "Meet monthly"],
        actions=[
            Action(owner="Bo", text="map", done=True, done_on=dt.date(2027, 4, 1)),
        ],
    )
    review = review_for(series, 3)
    assert [(n, a.id) for n, a in review.open_actions] == [(1, "A1"), (1, "A2")]
    assert [(n, a.id) for n, a in review.done_actions] == [(2, "A3")]
    assert review.overdue == ["A1"]
    assert review.key_messages == [(1, "One pound"), (2, "Name the power"), (2, "Meet monthly")]
    assert review.recall == ["Name the power", "Meet monthly"]
    assert review.conflicts == [(1, "Who pays")]
    # Two members from two organisations: they are partners at every session, at one table.
    assert (review.pairs, review.resting, review.tables) == ([["Ann", "Bo"]], [], [["Ann", "Bo"]])
    assert not review.empty
    at_two = review_for(series, 2)
    assert [a.id for _, a in at_two.open_actions] == ["A1", "A2"]
    assert at_two.overdue == ["A1"]  # due 2027-03-01, before 2027-03-19
    assert at_two.recall == ["One pound"]
    first = review_for(new_series(title="T", start=dt.date(2027, 2, 5), count=2), 1)
    assert first.empty
    assert (first.recall, first.pairs, first.tables) == ([], [], [])


def test_a_session_records_cannot_fit_is_planned_as_the_file_has_it(library: Library) -> None:
    """A 75-minute six-weekly meeting plans its own two factors, but not a third with a block that
    returns to a conflict and a review of overdue actions: its plan is the file's own, and says
    why (with what was asked)."""
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=3, time="14:00-15:15")
    series = record(
        series,
        1,
        conflicts=["Who pays"],
        actions=[Action(owner="Ann", text="write", due=dt.date(2027, 3, 1))],
    )
    plans = plan_series(series, library)
    reasons = plans[1].reasons
    assert reasons[0].startswith(
        "What earlier sessions recorded asked for more than this meeting's time allows, so it is "
        "planned as the series file has it: "
    )
    assert "Conflict is in focus, and a block returns to it" in reasons[0]
    assert plans[1].focus == [SP, PC]
    assert not any(b.returns_to or b.reviews for b in plans[1].blocks)


def test_a_name_that_is_not_a_member_is_told_the_close_ones() -> None:
    """Close names are those at least half alike (difflib's ratio 0.5): "Asha Ode" is 0.67 like
    "Asha Patel" and 0.53 like "Ben Ode"; "Asha" is 0.57 like "Asha Patel"; "Ash" is like none."""
    series = with_members()
    tail = (
        "(members: Asha Patel, Ben Ode, Cara Lee; add one to the members list of the series file)"
    )
    assert refusal(lambda: member_named(series, "Asha Ode", "attended")) == (
        f"attended 'Asha Ode': not a member of this series; did you mean 'Asha Patel' or "
        f"'Ben Ode'? {tail}"
    )
    assert refusal(lambda: member_named(series, "Asha", "owner")) == (
        f"owner 'Asha': not a member of this series; did you mean 'Asha Patel'? {tail}"
    )
    assert refusal(lambda: member_named(series, "Ash", "owner")) == (
        f"owner 'Ash': not a member of this series {tail}"
    )
    assert member_named(series, " asha   PATEL ", "owner").name == "Asha Patel"


def test_twelve_members_are_listed_in_full() -> None:
    people = [Member(name=f"Member {i:02d}", organisation="ICB") for i in range(1, 13)]
    series = new_series(title="T", start=dt.date(2027, 2, 5), members=people)
    listed = ", ".join(f"Member {i:02d}" for i in range(1, 13))
    assert refusal(lambda: member_named(series, "Zed", "owner")) == (
        f"owner 'Zed': not a member of this series (members: {listed}; add one to the members "
        "list of the series file)"
    )


def test_pairs_met_are_two_or_three_members() -> None:
    series = with_members()
    assert parse_met(series, "asha patel = Ben Ode") == ["Asha Patel", "Ben Ode"]
    assert parse_met(series, "Asha Patel=Ben Ode=cara lee") == ["Asha Patel", "Ben Ode", "Cara Lee"]
    for text in ("Asha Patel", "Asha Patel=", "A=B=C=D"):
        assert refusal(lambda t=text: parse_met(series, t)) == (
            f"met {text!r}: expected 'NAME=NAME' (or 'NAME=NAME=NAME' for a trio)"
        )
    assert refusal(lambda: parse_met(series, "Asha Patel=asha patel")) == (
        "met 'Asha Patel=asha patel': names the same member twice"
    )
    bare = new_series(title="T", start=dt.date(2027, 2, 5))
    assert refusal(lambda: parse_met(bare, "A=B")) == (
        "met: this series names no members; add them with series new members or in the file"
    )


def test_a_member_is_one_name_and_one_organisation() -> None:
    assert parse_member(" Asha Patel = Northshire ICB ") == Member(
        name="Asha Patel", organisation="Northshire ICB"
    )
    for text in ("Asha Patel", "=ICB", "Asha=", "Asha=ICB=Trust"):
        assert refusal(lambda t=text: parse_member(t)) == (
            f"members {text!r}: expected 'NAME=ORGANISATION', such as 'Asha Patel=Northshire ICB'"
        )


def test_a_series_id_comes_from_its_title_and_start() -> None:
    """Up to 40 characters of the title's words joined by hyphens (no hyphen left at the end),
    then eight hex digits from the title and the start; "series" for a title without words."""
    start = dt.date(2027, 2, 5)
    made = series_id("Northshire Leaders: 2027!", start)
    assert re.fullmatch(r"northshire-leaders-2027-[0-9a-f]{8}", made)
    assert series_id("Northshire Leaders: 2027!", start) == made
    assert series_id("Northshire Leaders: 2027!", dt.date(2027, 2, 6)) != made
    assert series_id("Northshire leaders: 2027!", start) != made  # the title as typed counts
    assert re.fullmatch(r"series-[0-9a-f]{8}", series_id("!!! ???", start))
    assert re.fullmatch("a" * 39 + r"-[0-9a-f]{8}", series_id("a" * 39 + " b", start))


def test_a_series_runs_within_the_calendar() -> None:
    """From 1900-01-01; the last session at least 30 days before 9000-12-31 (so 9000-12-01)."""
    assert new_series(title="T", start=dt.date(1900, 1, 1), count=1).sessions[0].date == dt.date(
        1900, 1, 1
    )
    assert refusal(lambda: new_series(title="T", start=dt.date(1899, 12, 31))) == (
        "start: 1899-12-31 is too long ago (expected a date from 1900-01-01 on)"
    )
    assert refusal(lambda: new_series(title="T", start=dt.date(9001, 1, 1))) == (
        "start: 9001-01-01 is too far ahead (expected a date before 9000-12-31)"
    )
    # The calendar's last day itself is not too far ahead, but leaves no room for a session.
    assert refusal(lambda: new_series(title="T", start=dt.date(9000, 12, 31), count=1)) == (
        "count: 1 sessions every 6 weeks from 9000-12-31 would run past 9000-12-31; start "
        "earlier or plan fewer sessions"
    )
    last = new_series(title="T", start=dt.date(9000, 10, 20), count=2)  # a Friday
    assert [s.date for s in last.sessions] == [dt.date(9000, 10, 20), dt.date(9000, 12, 1)]
    assert refusal(lambda: new_series(title="T", start=dt.date(9000, 10, 21), count=2)) == (
        "count: 2 sessions every 6 weeks from 9000-10-21 would run past 9000-12-31; start "
        "earlier or plan fewer sessions"
    )
    assert len(new_series(title="T", start=dt.date(2027, 2, 5), count=100).sessions) == 100


def test_sessions_out_of_order_are_located() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=3)
    data = series.model_dump(mode="json")
    data["sessions"][1]["number"] = 5
    data["sessions"][2]["date"] = "2027-03-19"  # the same day as session 2
    with pytest.raises(ValidationError) as caught:
        Series.model_validate(data)
    assert "sessions are numbered 1, 2, 3... in order; expected 2, found 5" in str(caught.value)
    # A file reader checks the order itself, to point at each session's own line.
    unchecked = Series.model_validate(data, context={"order_checked_by_caller": True})
    assert order_issues(unchecked) == [
        (
            ("sessions", 1, "number"),
            "sessions are numbered 1, 2, 3... in order; expected 2, found 5",
        ),
        (("sessions", 2, "date"), "session 3 (2027-03-19) is not after session 5 (2027-03-19)"),
    ]
    assert order_issues(series) == []
    data = series.model_dump(mode="json")
    data["sessions"][1]["date"] = "2027-02-04"  # before session 1
    swapped = Series.model_validate(data, context={"order_checked_by_caller": True})
    assert order_issues(swapped) == [
        (("sessions", 1, "date"), "session 2 (2027-02-04) is not after session 1 (2027-02-05)")
    ]


def test_a_new_series_by_default() -> None:
    """Eight sessions for twelve people, every six weeks from an away-day, the six-weekly meetings
    from 14:00 to 17:00 in Europe/London, seed 1."""
    series = new_series(title="T", start=dt.date(2027, 2, 5))
    assert (len(series.sessions), series.participants, series.every_weeks) == (8, 12, 6)
    assert (series.time, series.timezone, series.seed) == ("14:00-17:00", "Europe/London", 1)
    assert [s.format for s in series.sessions[:2]] == ["away-day", "six-weekly"]
    assert (series.members, series.organisations, series.location, series.skip) == (
        [],
        [],
        None,
        [],
    )


def test_what_the_series_model_refuses_is_named_by_its_field() -> None:
    """A pydantic refusal is reported as "field: message", a message's first letter in lower case,
    and a field inside a list by its path."""

    def new(**options: object) -> str:
        return refusal(lambda: new_series(title="T", start=dt.date(2027, 2, 5), **options))

    assert new(participants=1) == "participants: input should be greater than or equal to 2"
    assert new(every_weeks=53) == "every_weeks: input should be less than or equal to 52"
    assert new(organisations=["A\nB"]) == (
        "organisations.0: a control character (code 0x0a) at position 2; expected one line of "
        "plain text"
    )


def test_a_session_may_move_to_the_calendars_first_and_last_days() -> None:
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    assert reschedule(series, 1, dt.date(1900, 1, 1)).session(1).date == dt.date(1900, 1, 1)
    assert reschedule(series, 2, dt.date(9000, 12, 31)).session(2).date == dt.date(9000, 12, 31)
    assert refusal(lambda: reschedule(series, 1, dt.date(1899, 12, 31))) == (
        "date: 1899-12-31 is out of range (expected a date from 1900-01-01 to 9000-12-31)"
    )
