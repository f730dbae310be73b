"""Hints that work: a message that says what would work names only options the command has, and
following it succeeds.

Each case provokes a hint, reads the suggestion out of the message, runs the command again with it,
and expects a plan. Every ``--option`` a message names must be one the command's ``--help`` lists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import Run
from .reading import output

Cli = Callable[..., Run]
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
END_HINT = re.compile(r"--end (\d\d:\d\d) would work")


def options_named(message: str) -> set[str]:
    return set(OPTION.findall(message))


def assert_options_exist(cli: Cli, command: list[str], message: str) -> None:
    help_text = output(cli(*command, "--help"))
    missing = {o for o in options_named(message) if o not in help_text}
    assert not missing, f"{' '.join(command)}: the hint names {missing}: {message}"


def planned(result: Run) -> dict[str, Any]:
    """The plan a run that worked printed as JSON."""
    assert result.exit_code == 0, result.stderr
    plan: dict[str, Any] = json.loads(result.stdout)
    return plan


def with_option(args: list[str], option: str, value: str) -> list[str]:
    """The arguments with ``option`` set to ``value`` (replaced where given, else added)."""
    out = list(args)
    if option in out:
        out[out.index(option) + 1] = value
    else:
        out += [option, value]
    return out


WINDOWS = [
    ["--format", "six-weekly", "--end", "15:00"],
    ["--format", "six-weekly", "--end", "23:30"],
    ["--format", "six-weekly", "--start", "09:00", "--end", "16:00"],
    ["--format", "day", "--end", "12:30"],
    ["--format", "six-weekly", "--end", "15:30", "--focus", "conflict", "--participants", "3"],
    ["--format", "day", "--start", "08:00", "--end", "11:00", "--participants", "200"],
]


@pytest.mark.parametrize("args", WINDOWS, ids=lambda a: " ".join(a))
def test_plan_session_window_hints_work(cli: Cli, args: list[str]) -> None:
    first = cli("plan-session", *args)
    assert first.exit_code == 1
    assert_options_exist(cli, ["plan-session"], first.stderr)
    found = END_HINT.search(first.stderr)
    assert found, first.stderr
    again = cli("plan-session", *with_option(args, "--end", found[1]), "--to", "json")
    assert planned(again)["end"] == found[1]


def test_fewer_focus_factors_is_a_hint_that_works(cli: Cli) -> None:
    args = ["--format", "six-weekly", "--end", "15:30"]
    first = cli("plan-session", *args)
    assert (first.exit_code, first.stdout) == (1, "")
    assert first.stderr.rstrip().endswith("or use fewer --focus factors")
    again = cli("plan-session", *args, "--focus", "personal-contact", "--to", "json")
    plan = planned(again)
    assert (plan["focus"], plan["start"], plan["end"]) == (["personal-contact"], "14:00", "15:30")


def test_an_away_day_meal_hint_works(cli: Cli) -> None:
    first = cli("plan-session", "--end", "16:00")
    assert first.exit_code == 1
    assert_options_exist(cli, ["plan-session"], first.stderr)
    found = re.search(r"end at (\d\d:\d\d) or later", first.stderr)
    assert found, first.stderr
    assert planned(cli("plan-session", "--end", found[1], "--to", "json"))["end"] == found[1]
    assert "--format day" in first.stderr
    day = planned(cli("plan-session", "--end", "16:00", "--format", "day", "--to", "json"))
    assert (day["format"], day["end"]) == ("day", "16:00")


def test_render_hints_name_no_option_render_lacks(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("plan-session", "--to", "yaml", "-o", "plan.yaml").exit_code == 0
    text = Path("plan.yaml").read_text(encoding="utf-8")
    Path("long.yaml").write_text(text.replace("minutes: 45", "minutes: 200", 1), encoding="utf-8")
    result = cli("render", "long.yaml")
    assert result.exit_code == 1
    assert "shorten earlier blocks by" in result.stderr
    assert_options_exist(cli, ["render"], result.stderr)


def test_series_new_time_hint_works(cli: Cli, tmp_path: Path) -> None:
    base = ["series", "new", str(tmp_path / "p.yaml"), "--title", "T", "--start", "2027-01-15"]
    base += ["--count", "3", "--first-format", "six-weekly"]
    first = cli(*base, "--time", "14:00-15:00")
    assert first.exit_code == 1
    assert_options_exist(cli, ["series", "new"], first.stderr)
    found = re.search(r"--time (\d\d:\d\d-\d\d:\d\d)", first.stderr)
    assert found, first.stderr
    again = cli(*base, "--time", found[1])
    assert again.exit_code == 0, again.stderr
    assert again.stderr.startswith(f"wrote {tmp_path / 'p.yaml'}: 3 sessions from 2027-01-15")


def test_series_reschedule_time_hint_works(cli: Cli, tmp_path: Path) -> None:
    path = str(tmp_path / "p.yaml")
    made = cli("series", "new", path, "--title", "T", "--start", "2027-01-15", "--count", "3")
    assert made.exit_code == 0, made.stderr
    move = ["series", "reschedule", path, "--session", "2", "--date", "2027-03-01"]
    first = cli(*move, "--time", "14:00-15:00")
    assert first.exit_code == 1
    assert_options_exist(cli, ["series", "reschedule"], first.stderr)
    found = re.search(r"--time (\d\d:\d\d-\d\d:\d\d)", first.stderr)
    assert found, first.stderr
    again = cli(*move, "--time", found[1])
    assert again.exit_code == 0, again.stderr
    assert again.stderr.startswith(f"moved session 2 of {path} to 2027-03-01")
    text = Path(path).read_text(encoding="utf-8")
    second = yaml.load(text, Loader=yaml.BaseLoader)["sessions"][1]  # times as written
    assert (second["date"], f"{second['start']}-{second['end']}") == ("2027-03-01", found[1])
