"""plan-session and render through the command line, in process."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from .conftest import Run, WriteTree, activity_yaml

Cli = Callable[..., Run]


def test_plan_session_with_no_options_is_an_away_day(cli: Cli) -> None:
    result = cli("plan-session")
    assert result.exit_code == 0, result.stderr
    assert "Afternoon and evening away session" in result.stdout
    assert "Evening meal" in result.stdout
    assert "plan id AD-1300-2100-F12345-P12-S1" in result.stdout


def test_json_shape(cli: Cli) -> None:
    result = cli(
        "plan-session",
        "--to",
        "json",
        "--org",
        "City Council",
        "--org",
        "Acute Trust",
        "--date",
        "2027-01-15",
    )
    plan = json.loads(result.stdout)
    for key in (
        "title",
        "date",
        "format",
        "start",
        "end",
        "participants",
        "organisations",
        "focus",
        "seed",
        "blocks",
    ):
        assert key in plan
    assert plan["date"] == "2027-01-15"
    assert plan["next_meeting"] == "2027-02-26"
    assert plan["organisations"] == ["City Council", "Acute Trust"]
    assert plan["start"] == plan["blocks"][0]["start"] == "13:00"
    assert plan["end"] == plan["blocks"][-1]["end"] == "21:00"
    kinds = {b["kind"] for b in plan["blocks"]}
    assert kinds <= {"opening", "activity", "break", "meal", "close"}
    for block in plan["blocks"]:
        assert set(block) >= {"start", "end", "minutes", "kind", "title", "activity", "factors"}
        assert (block["activity"] is None) == (block["kind"] in {"break", "meal"})


def test_same_options_byte_identical(cli: Cli) -> None:
    args = ("plan-session", "--to", "yaml", "--seed", "42", "--focus", "3", "--focus", "altruism")
    assert cli(*args).stdout == cli(*args).stdout


def test_seed_changes_the_plan(cli: Cli) -> None:
    plans = {cli("plan-session", "--to", "json", "--seed", str(s)).stdout for s in range(6)}
    assert len(plans) > 1


def test_plan_id_rebuilds(cli: Cli) -> None:
    first = json.loads(
        cli(
            "plan-session", "--to", "json", "--format", "six-weekly", "--seed", "9", "--focus", "2"
        ).stdout
    )
    again = json.loads(cli("plan-session", "--to", "json", "--plan-id", first["plan_id"]).stdout)
    assert again == first


def test_plan_id_with_clashing_options(cli: Cli) -> None:
    result = cli("plan-session", "--plan-id", "AD-1300-2100-F12345-P12-S1", "--seed", "3")
    assert result.exit_code == 1
    assert "--plan-id already sets --seed" in result.stderr


def test_markdown_parses_with_an_agenda_table(cli: Cli) -> None:
    text = cli("plan-session", "--to", "md", "--date", "2027-01-15").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    plan = json.loads(cli("plan-session", "--to", "json").stdout)
    assert len(rows) == len(plan["blocks"]) + 1
    assert "Friday 26 February 2027" in text


def test_reference_away_day_markdown_snapshot(
    cli: Cli, snapshot: Callable[[str, str], None]
) -> None:
    """A reference plan, read through by hand once; any change to it must be deliberate.

    A missing or changed snapshot fails with a diff; ``pytest --regenerate-snapshots`` accepts it.
    """
    result = cli(
        "plan-session",
        "--to",
        "md",
        "--date",
        "2027-01-15",
        "--participants",
        "14",
        "--org",
        "Northshire County Council",
        "--org",
        "Northshire Hospitals NHS Trust",
        "--org",
        "Northshire Community Health",
        "--org",
        "Northshire ICB",
    )
    assert (result.exit_code, result.stderr) == (0, "")
    snapshot("away-day.md", result.stdout)


def test_output_file_and_force(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    assert cli("plan-session", "-o", str(target)).exit_code == 0
    assert yaml.safe_load(target.read_text())["format"] == "away-day"  # suffix chose YAML
    before = target.read_text()
    result = cli("plan-session", "-o", str(target), "--seed", "5")
    assert result.exit_code == 1
    assert "the file exists; use --force" in result.stderr
    assert target.read_text() == before
    assert cli("plan-session", "-o", str(target), "--seed", "5", "--force").exit_code == 0
    assert target.read_text() != before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--focus", "kindness"],
            "unknown factor 'kindness' (expected one of: 1 or shared-purpose, 2 or "
            "personal-contact, 3 or conflict, 4 or altruism, 5 or long-term)",
        ),
        (["--start", "25:00"], "--start: '25:00' is not a clock time (expected HH:MM, 24-hour)"),
        (["--start", "9am"], "--start: '9am' is not a clock time (expected HH:MM, 24-hour)"),
        (
            ["--start", "17:00", "--end", "14:00"],
            "the end 14:00 is not after the start 17:00 (sessions must start and end on the "
            "same day)",
        ),
        (["--participants", "1"], "--participants: expected a whole number from 2 to 200 (got 1)"),
        (
            ["--participants", "500"],
            "--participants: expected a whole number from 2 to 200 (got 500)",
        ),
        (
            ["--participants", "201"],
            "--participants: expected a whole number from 2 to 200 (got 201)",
        ),
        (
            ["--date", "2027-02-30"],
            "--date: not a date (expected YYYY-MM-DD, a real day of the year) (got '2027-02-30')",
        ),
        (
            ["--date", "9999-12-31"],
            "--date: too far ahead (expected a date before 9000-12-31) (got '9999-12-31')",
        ),
        # The opening (at least 15 minutes) and the close (at least 15) of a six-weekly meeting.
        (
            ["--format", "six-weekly", "--start", "14:00", "--end", "14:20"],
            "the window 14:00-14:20 is 20 minutes, too short for even the opening and the close "
            "(at least 30 minutes)",
        ),
        # Arrival 15, opening at least 30, the meal 60 and the close at least 20.
        (
            ["--start", "13:00", "--end", "14:30"],
            "the window 13:00-14:30 is 90 minutes, too short for an away-day's opening, evening "
            "meal and close (at least 125 minutes); use --format six-weekly for a shorter meeting",
        ),
        # Arrival 15, opening at least 30, lunch 45 and the close at least 20.
        (
            ["--format", "day", "--start", "09:30", "--end", "11:00"],
            "the window 09:30-11:00 is 90 minutes, too short for a day's opening, lunch and close "
            "(at least 110 minutes); use --format six-weekly for a shorter meeting",
        ),
        (
            ["--format", "six-weekly", "--start", "14:00", "--end", "15:00"],
            "no plan covers shared-purpose, personal-contact, conflict, altruism, long-term in "
            "14:00-15:00 (60 minutes) for 12 people: the window is too short; --end 16:15 would "
            "work (later), or use fewer --focus factors",
        ),
        (
            ["--format", "six-weekly", "--start", "08:00", "--end", "20:00"],
            "no plan covers shared-purpose, personal-contact, conflict, altruism, long-term in "
            "08:00-20:00 (720 minutes) for 12 people; try a different window, fewer --focus "
            "factors or another --participants",
        ),
        # The meal goes 80 minutes (the close's 30 and 50 more) before a 13:00 end: 10:40. Its
        # earliest evening time, 17:00, with the meal's 60 and those 80 minutes ends at 19:20.
        (
            ["--start", "09:00", "--end", "13:00"],
            "an away-day runs into the evening, with its meal at 17:00 or later, but 09:00-13:00 "
            "would put the meal at 10:40; end at 19:20 or later, or use --format day for a "
            "daytime session",
        ),
        (
            ["--meal", "16:00"],
            "--meal 16:00 is too early: an away-day's meal is an evening meal, at 17:00 or later",
        ),
        (
            ["--format", "six-weekly", "--meal", "15:00"],
            "--meal 15:00: a six-weekly has no meal; give it only with --format away-day or day",
        ),
        (
            ["--plan-id", "nonsense"],
            "'nonsense' is not a plan id (expected the form AD-1300-2100-F12345-P12-S1)",
        ),
        # After 13:00, arrival (15) and the shortest opening (30); before 21:00, the meal (60)
        # and the shortest close (20).
        (
            ["--meal", "13:10"],
            "a meal at 13:10 leaves no room for the opening before it or the close after it; "
            "choose a time from 13:45 to 19:40",
        ),
        # From 09:30 with arrival and opening, 10:15; to 16:30 less lunch (45) and close, 15:25.
        (
            ["--format", "day", "--meal", "16:00"],
            "a meal at 16:00 leaves no room for the opening before it or the close after it; "
            "choose a time from 10:15 to 15:25",
        ),
    ],
)
def test_bad_requests_exit_1_with_one_clear_message(
    cli: Cli, args: list[str], expected: str
) -> None:
    result = cli("plan-session", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"syslead: {expected}\n")


def saved_plan(cli: Cli, tmp_path: Path, *args: str) -> tuple[Path, dict]:  # type: ignore[type-arg]
    path = tmp_path / "plan.yaml"
    assert cli("plan-session", "--to", "yaml", "-o", str(path), *args).exit_code == 0
    return path, yaml.safe_load(path.read_text())


def edit(path: Path, data: dict) -> None:  # type: ignore[type-arg]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_render_untouched_plan_is_identical(cli: Cli, tmp_path: Path) -> None:
    path, _ = saved_plan(cli, tmp_path)
    assert cli("render", str(path), "--to", "yaml").stdout == path.read_text()


def test_render_recomputes_times_after_an_edit(cli: Cli, tmp_path: Path) -> None:
    path, data = saved_plan(cli, tmp_path, "--format", "six-weekly")
    blocks = data["blocks"]
    first = next(i for i, b in enumerate(blocks) if b["kind"] == "activity")
    second = next(i for i, b in enumerate(blocks) if b["kind"] == "break" and i > first)
    blocks[first]["minutes"] -= 5
    blocks[second]["minutes"] += 5
    blocks[first]["start"] = "00:00"  # stale times are ignored: they are worked out again
    edit(path, data)
    result = cli("render", str(path), "--to", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    out = plan["blocks"]
    assert out[first]["start"] == blocks[first - 1]["end"]
    for before, after in itertools.pairwise(out):
        assert before["end"] == after["start"]
    assert out[-1]["end"] == "17:00"


def test_render_swapped_activity_takes_its_title(cli: Cli, tmp_path: Path) -> None:
    from syslead.library.loader import load_library

    path, data = saved_plan(cli, tmp_path, "--format", "six-weekly")
    library = load_library()
    used = {b["activity"] for b in data["blocks"]}
    # Swap one activity for an unused one that covers the same factors at the same length.
    index, replacement = next(
        (i, a.id)
        for i, b in enumerate(data["blocks"])
        if b["kind"] == "activity"
        for a in library.activities
        if a.role == "activity"
        and a.id not in used
        and set(b["factors"]) <= set(a.factors)
        and a.duration.min <= b["minutes"] <= a.duration.max
        and a.group_size.min <= 12 <= a.group_size.max
    )
    data["blocks"][index]["activity"] = replacement
    data["blocks"][index]["title"] = "stale title"
    edit(path, data)
    result = cli("render", str(path), "--to", "json")
    assert result.exit_code == 0, result.stderr
    block = json.loads(result.stdout)["blocks"][index]
    assert block["activity"] == replacement
    assert block["title"] == library.activity(replacement).title
    assert block["factors"] == list(library.activity(replacement).factors)


def test_render_overrun_is_a_located_error(cli: Cli, tmp_path: Path) -> None:
    path, data = saved_plan(cli, tmp_path, "--format", "six-weekly")
    data["blocks"][1]["minutes"] += 10
    edit(path, data)
    result = cli("render", str(path))
    assert result.exit_code == 1
    assert "10 minutes after the plan's end at 17:00 (an overrun)" in result.stderr
    assert f"{path}:6:6: end:" in result.stderr  # the line of `end:`


def test_render_unknown_activity(cli: Cli, tmp_path: Path) -> None:
    path, data = saved_plan(cli, tmp_path)
    data["blocks"][1]["activity"] = "naming-powr"
    edit(path, data)
    result = cli("render", str(path))
    assert result.exit_code == 1
    assert (
        "blocks[1].activity: no playbook entry has the id 'naming-powr' (did you mean naming-power"
        in result.stderr
    )


def test_render_long_stretch_of_work(cli: Cli, tmp_path: Path) -> None:
    path, data = saved_plan(cli, tmp_path)
    blocks = data["blocks"]
    index = next(i for i, b in enumerate(blocks) if b["break_type"] == "break")
    blocks[index - 1]["minutes"] += blocks[index]["minutes"]
    del blocks[index]
    edit(path, data)
    result = cli("render", str(path))
    assert result.exit_code == 1
    assert "minutes of work without a break" in result.stderr


def test_render_meal_stays_put(cli: Cli, tmp_path: Path) -> None:
    path, data = saved_plan(cli, tmp_path)
    blocks = data["blocks"]
    blocks[1]["minutes"] += 5  # nothing shortened: everything before the meal now runs late
    edit(path, data)
    result = cli("render", str(path))
    assert result.exit_code == 1
    assert (
        "(locked at 18:30) end at 18:35, 5 minutes after it; shorten earlier blocks by 5 minutes"
        in result.stderr
    )


def test_render_bad_yaml_fields(cli: Cli, tmp_path: Path) -> None:
    path, data = saved_plan(cli, tmp_path)
    data["blocks"][2]["kind"] = "nap"
    data["colour"] = "red"
    edit(path, data)
    result = cli("render", str(path))
    assert result.exit_code == 1
    assert "blocks[2].kind: input should be" in result.stderr
    assert "colour: unknown field" in result.stderr


def test_render_hand_typed_unquoted_times(cli: Cli, tmp_path: Path) -> None:
    path, _ = saved_plan(cli, tmp_path, "--format", "six-weekly")
    text = re.sub(r"'(\d\d:\d\d)'", r"\1", path.read_text())  # 14:00 unquoted is text, not base 60
    assert "start: 14:00\n" in text
    path.write_text(text)
    assert cli("render", str(path), "--to", "json").exit_code == 0


def test_render_with_user_playbooks(cli: Cli, tmp_path: Path, write_tree: WriteTree) -> None:
    # planner: false keeps the planner from choosing it, so only the hand edit brings it in.
    ours = activity_yaml(id="our-conflict-exercise").replace("max: 40", "max: 60")
    ours += "planner: false\n"
    root = write_tree({"activities/ours.yaml": ours})
    path, data = saved_plan(
        cli, tmp_path, "--format", "six-weekly", "--focus", "conflict", "--playbooks", str(root)
    )
    assert "our-conflict-exercise" not in {b["activity"] for b in data["blocks"]}
    # Our activity (20-60 minutes, conflict) takes the place of one that runs as long.
    index = next(
        i
        for i, b in enumerate(data["blocks"])
        if b["kind"] == "activity" and 20 <= b["minutes"] <= 60
    )
    data["blocks"][index]["activity"] = "our-conflict-exercise"
    edit(path, data)
    result = cli("render", str(path), "--to", "json", "--playbooks", str(root))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["blocks"][index]["title"] == "A test activity"
    without = cli("render", str(path))
    assert without.exit_code == 1
    assert "no playbook entry has the id 'our-conflict-exercise'" in without.stderr


def test_render_missing_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", str(tmp_path / "none.yaml"))
    assert result.exit_code == 1
    assert "none.yaml: no such plan file" in result.stderr
