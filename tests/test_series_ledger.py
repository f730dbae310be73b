"""Series files as a ledger: members, action ids, the action commands, schema upgrades and safe writes."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from syslead.series.file import dump_series, load_series
from syslead.series.programme import new_series

from .conftest import Run

Cli = Callable[..., Run]

MEMBERS = [
    "Asha Patel=Northshire ICB",
    "Ben Ode=Northshire Council",
    "Cara Lee=Northshire ICB",
    "Dev Rao=Northshire Acute Trust",
]


def make(cli: Cli, tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "series.yaml"
    members = [x for m in MEMBERS for x in ("--member", m)]
    result = cli(
        "series", "new", str(path), "--title", "Northshire", "--start", "2027-02-05",
        "--count", "4", *members, *args,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return path


def record(cli: Cli, path: Path, *args: str) -> Run:
    result = cli("series", "record", str(path), *args)
    assert result.exit_code == 0, result.stderr
    return result


def test_members_and_their_organisations(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    data = yaml.safe_load(path.read_text())
    assert data["schema_version"] == 2
    assert data["members"][0] == {"name": "Asha Patel", "organisation": "Northshire ICB"}
    assert data["organisations"] == [
        "Northshire ICB",
        "Northshire Council",
        "Northshire Acute Trust",
    ]
    assert data["participants"] == 4
    record(cli, path, "--session", "1", "--attended", "asha  PATEL", "--attended", "Ben Ode")
    data = yaml.safe_load(path.read_text())
    assert data["sessions"][0]["record"]["attended"] == ["Asha Patel", "Ben Ode"]


def test_member_errors(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    before = path.read_text()
    for args, expected in [
        (["--attended", "Asha Patell"], "--attended 'Asha Patell': not a member of this series; did you mean 'Asha Patel'?"),
        (["--met", "Asha Patel"], "--met 'Asha Patel': expected 'NAME=NAME'"),
        (["--met", "Asha Patel=Zed"], "--met 'Zed': not a member of this series"),
        (["--met", "Asha Patel=asha patel"], "names the same member twice"),
    ]:  # fmt: skip
        result = cli("series", "record", str(path), "--session", "1", *args)
        assert result.exit_code == 1, args
        assert expected in result.stderr
    assert path.read_text() == before
    bad = cli(
        "series", "new", str(tmp_path / "x.yaml"), "--title", "X", "--start", "2027-02-05",
        "--member", "Nobody",
    )  # fmt: skip
    assert bad.exit_code == 1
    assert "expected 'NAME=ORGANISATION'" in bad.stderr
    twice = cli(
        "series", "new", str(tmp_path / "x.yaml"), "--title", "X", "--start", "2027-02-05",
        "--member", "A B=One", "--member", "a b=Two",
    )  # fmt: skip
    assert "named more than once" in twice.stderr


def test_a_missing_member_in_the_file_is_located(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    record(cli, path, "--session", "1", "--attended", "Ben Ode", "--met", "Ben Ode=Dev Rao")
    text = path.read_text().replace("  - Ben Ode\n    met:", "  - Ben Oda\n    met:")
    text = text.replace("    - - Ben Ode\n      - Dev Rao", "    - - Ben Ode\n      - Dev Roa")
    path.write_text(text)
    result = cli("series", "status", str(path))
    assert result.exit_code == 1
    lines = text.splitlines()
    attended = lines.index("    - Ben Oda") + 1
    met = lines.index("      - Dev Roa") + 1
    assert (
        f"{path}:{attended}:7: sessions[0].record.attended[0]: 'Ben Oda' is not a member"
        in result.stderr
    )
    assert f"{path}:{met - 1}" in result.stderr
    assert "'Dev Roa' is not a member" in result.stderr


def test_actions_get_stable_ids_and_a_ledger(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    first = record(
        cli, path, "--session", "1",
        "--action", "Asha Patel: draft the joint letter [due 2027-03-01]",
        "--action", "Ben Ode: share the winter figures [due 2027-04-20]",
    )  # fmt: skip
    assert "actions A1, A2" in first.stderr
    record(cli, path, "--session", "2", "--action", "Dev Rao: map the discharge pathway")
    rows = list(
        csv.DictReader(
            io.StringIO(cli("series", "action", "list", str(path), "--to", "csv").stdout)
        )
    )
    assert [r["id"] for r in rows] == ["A1", "A2", "A3"]
    # Judged against the session being prepared (session 3, 2027-04-30): A1 and A2 are overdue.
    assert [r["state"] for r in rows] == ["overdue", "overdue", "open"]
    early = json.loads(
        cli("series", "action", "list", str(path), "--to", "json", "--today", "2027-03-10").stdout
    )
    assert [e["state"] for e in early] == ["overdue", "open", "open"]
    done = cli(
        "series", "action", "done", str(path), "a2", "--note", "Shared at the board",
        "--today", "2027-04-01",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    moved = cli("series", "action", "reassign", str(path), "A3", "--owner", "cara lee")
    assert moved.exit_code == 0, moved.stderr
    entries = json.loads(cli("series", "action", "list", str(path), "--to", "json").stdout)
    assert entries[1] == {
        "id": "A2",
        "session": 1,
        "owner": "Ben Ode",
        "text": "share the winter figures",
        "due": "2027-04-20",
        "state": "done",
        "done_on": "2027-04-01",
        "note": "Shared at the board",
    }
    assert entries[2]["owner"] == "Cara Lee"

    def ids(*args: str) -> list[str]:
        out = cli("series", "action", "list", str(path), "--to", "json", *args).stdout
        return [e["id"] for e in json.loads(out)]

    assert ids("--open") == ["A1", "A3"]
    assert ids("--overdue") == ["A1"]
    assert ids("--done") == ["A2"]
    assert ids("--owner", "ASHA PATEL") == ["A1"]
    # A new action after others keeps counting, never reusing an id.
    record(cli, path, "--session", "2", "--action", "Asha Patel: another")
    assert ids()[-1] == "A4"
    table = cli("series", "action", "list", str(path))
    assert "A4" in table.stdout
    assert "overdue" in table.stdout


def test_action_errors(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    empty = cli("series", "action", "done", str(path), "A1")
    assert empty.exit_code == 1
    assert "no action 'A1' in this series: no actions are recorded yet" in empty.stderr
    record(cli, path, "--session", "1", "--action", "Asha Patel: write")
    before = path.read_text()
    for args, expected in [
        (["done", str(path), "A9"], "no action 'A9' in this series: the actions are A1 to A1"),
        (["done", str(path), "A1", "--today", "2027-02-30"], "--today: '2027-02-30' is not a date"),
        (["reassign", str(path), "A1", "--owner", "Zed"], "--owner 'Zed': not a member"),
        (["reassign", str(path), "A7", "--owner", "Ben Ode"], "no action 'A7'"),
        (["list", str(path), "--today", "soon"], "--today: 'soon' is not a date"),
        (["done", str(tmp_path / "none.yaml"), "A1"], "none.yaml"),
    ]:  # fmt: skip
        result = cli("series", "action", *args)
        assert result.exit_code == 1, args
        assert expected in result.stderr, result.stderr
    assert path.read_text() == before
    assert cli("series", "action", "done", str(path), "A1").exit_code == 0
    again = cli("series", "action", "done", str(path), "A1")
    assert again.exit_code == 1
    assert "already done" in again.stderr


V1 = """\
# A syslead series: a recurring programme and the log of what each session agreed.
schema_version: 1
id: northshire-leaders-0a1b2c3d
title: Northshire leaders   # our name for it
timezone: Europe/London
every_weeks: 6
time: 14:00-17:00
participants: 12
seed: 1
sessions:
# the away-day
- number: 1
  date: '2027-02-05'
  format: away-day
  focus: [shared-purpose, personal-contact, conflict, altruism, long-term]
  record:
    actions:
    - owner: Council CEO
      text: draft the joint letter
      due: '2027-03-01'
      done: false
    - owner: ICB chair
      text: share the figures
      done: true
- number: 2
  date: 2027-03-19   # moved for the budget round
  format: six-weekly
  focus: [shared-purpose, personal-contact]
"""


def test_a_version_1_file_is_read_and_upgraded_on_the_next_write(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(V1)
    listed = json.loads(cli("series", "action", "list", str(path), "--to", "json").stdout)
    assert [(e["id"], e["state"]) for e in listed] == [("A1", "overdue"), ("A2", "done")]
    assert path.read_text() == V1  # reading writes nothing
    result = record(cli, path, "--session", "1", "--key-message", "One Northshire pound")
    assert "was a version 1 series file; it is now version 2" in result.stderr
    text = path.read_text()
    data = yaml.safe_load(text)
    assert data["schema_version"] == 2
    assert [a["id"] for a in data["sessions"][0]["record"]["actions"]] == ["A1", "A2"]
    # Comments, flow lists, plain dates and key order survive the write.
    for kept in (
        "title: Northshire leaders   # our name for it",
        "# the away-day",
        "date: 2027-03-19   # moved for the budget round",
        "focus: [shared-purpose, personal-contact]",
    ):
        assert kept in text
    assert list(data) == [
        "schema_version", "id", "title", "timezone", "every_weeks", "time", "participants",
        "seed", "sessions",
    ]  # fmt: skip
    again = record(cli, path, "--session", "1", "--key-message", "Second")
    assert "version 1" not in again.stderr


def test_comments_and_key_order_survive_every_write(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    text = path.read_text()
    text = text.replace("seed: 1\n", "# Keep the seed: the packs are printed.\nseed: 1\n")
    # A person moved the location key up and wrote a note beside a session.
    text = text.replace("timezone: Europe/London\n", "timezone: Europe/London  # for the ics\n")
    text = text.replace("- number: 3\n", "- number: 3  # the budget meeting\n")
    path.write_text(text)
    record(cli, path, "--session", "1", "--action", "Asha Patel: write [due 2027-03-01]")
    assert cli("series", "action", "done", str(path), "A1", "--today", "2027-02-20").exit_code == 0
    assert cli("series", "action", "reassign", str(path), "A1", "--owner", "Ben Ode").exit_code == 0
    moved = cli("series", "reschedule", str(path), "--session", "3", "--date", "2027-05-07")
    assert moved.exit_code == 0, moved.stderr
    after = path.read_text()
    for kept in (
        "# Keep the seed: the packs are printed.\nseed: 1",
        "timezone: Europe/London  # for the ics",
        "- number: 3  # the budget meeting",
        "the log. Comments you add are kept",
    ):
        assert kept in after
    assert "comments added by hand are not kept" not in after
    assert load_series(path).sessions[2].date == dt.date(2027, 5, 7)


def test_a_new_file_and_a_rewrite_agree() -> None:
    series = new_series(title="T", start=dt.date(2027, 1, 15), count=3)
    text = dump_series(series)
    assert dump_series(series, text) == text


@pytest.mark.parametrize(
    "zone", ["Europe", "America", "Europe/", "../../etc/passwd", "Mars/Olympus"]
)
def test_a_time_zone_that_is_not_a_zone(cli: Cli, tmp_path: Path, zone: str) -> None:
    result = cli(
        "series", "new", str(tmp_path / "s.yaml"), "--title", "T", "--start", "2027-02-05",
        "--tz", zone,
    )  # fmt: skip
    assert result.exit_code in (1, 2)
    assert "--tz" in result.stderr
    assert "internal error" not in result.stderr
    path = tmp_path / "ok.yaml"
    assert cli("series", "new", str(path), "--title", "T", "--start", "2027-02-05").exit_code == 0
    path.write_text(path.read_text().replace("timezone: Europe/London", f"timezone: '{zone}'"))
    status = cli("series", "status", str(path))
    assert status.exit_code == 1
    line = path.read_text().splitlines().index(f"timezone: '{zone}'") + 1
    assert f"{path}:{line}:11: timezone:" in status.stderr


def test_dates_at_the_calendar_edges(cli: Cli, tmp_path: Path) -> None:
    def new(*args: str) -> Run:
        return cli("series", "new", str(tmp_path / "s.yaml"), "--title", "T", *args)

    for args, expected in [
        (["--start", "0001-01-01"], "--start: 0001-01-01 is too long ago"),
        (["--start", "9999-12-31"], "--start: 9999-12-31 is too far ahead"),
        (["--start", "9000-06-01", "--count", "8"], "would run past 9000-12-31"),
        (["--start", "8990-01-01", "--count", "100", "--every", "52"], "would run past"),
    ]:
        result = new(*args)
        assert result.exit_code == 1, args
        assert expected in result.stderr
    path = tmp_path / "ok.yaml"
    assert cli("series", "new", str(path), "--title", "T", "--start", "2027-02-05").exit_code == 0
    for date in ("0001-01-03", "9999-12-31"):
        text = path.read_text().replace("2027-02-05", date)
        path.write_text(text)
        status = cli("series", "status", str(path))
        assert status.exit_code == 1
        assert "is out of range (expected a date from 1900-01-01 to 9000-12-31)" in status.stderr
        path.write_text(text.replace(date, "2027-02-05"))
    late = cli("series", "reschedule", str(path), "--session", "8", "--date", "9999-12-31")
    assert late.exit_code == 1
    assert "out of range" in late.stderr


def test_a_writer_waits_for_the_lock_then_gives_up(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    before = path.read_text()
    fd = os.open(tmp_path / ".series.yaml.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = cli(
            "series", "record", str(path), "--session", "1", "--key-message", "x",
            env={"SYSLEAD_LOCK_TIMEOUT": "1.3"},
        )  # fmt: skip
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert result.exit_code == 1
    assert "another writer is changing this series; waiting for it to finish" in result.stderr
    assert "gave up after 1.3 seconds waiting for another writer" in result.stderr
    assert path.read_text() == before


def test_a_lock_file_that_cannot_be_made(cli: Cli, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    path = make(cli, tmp_path)
    tmp_path.chmod(0o555)
    try:
        result = cli("series", "record", str(path), "--session", "1", "--key-message", "x")
    finally:
        tmp_path.chmod(0o755)
    assert result.exit_code == 1
    assert "cannot make the lock file" in result.stderr


def test_duplicate_action_ids_in_a_file_are_located(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    record(cli, path, "--session", "1", "--action", "A B: one", "--action", "C D: two")
    text = path.read_text().replace("id: A2", "id: A1")
    path.write_text(text)
    result = cli("series", "action", "list", str(path))
    line = [i for i, x in enumerate(text.splitlines(), 1) if "id: A1" in x][1]
    assert f"{path}:{line}" in result.stderr
    assert "action id A1 is used twice" in result.stderr


def test_v1_text_fixture_is_valid_yaml() -> None:
    assert yaml.safe_load(textwrap.dedent(V1))["schema_version"] == 1
