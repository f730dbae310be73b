"""What was recorded shapes what comes next: focus, blocks and reasons; the paper's moves across a
programme; and sessions already held keep their plans."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from syslead.library.loader import load_library
from syslead.series.file import load_series
from syslead.series.planned import plan_series
from syslead.series.programme import new_series, parse_action, record

from .conftest import Run

Cli = Callable[..., Run]


def test_a_recorded_conflict_and_an_overdue_action_shape_the_next_pack(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "series.yaml"
    made = cli(
        "series", "new", str(path), "--title", "Northshire", "--start", "2027-02-05",
        "--member", "Asha Patel=Northshire ICB", "--member", "Ben Ode=Northshire Council",
        "--member", "Cara Lee=Northshire ICB", "--member", "Dev Rao=Northshire Acute Trust",
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    # Session 3 does not have conflict in focus as the file stands.
    text = path.read_text()
    lines = text.splitlines()
    at = lines.index("- number: 3")
    focus = lines.index("  focus:", at)
    lines[focus + 1 : focus + 3] = ["  - altruism", "  - long-term"]
    path.write_text("\n".join(lines) + "\n")
    for args in (
        ["--session", "1", "--action", "Asha Patel: draft the joint letter [due 2027-03-01]"],
        ["--session", "1", "--key-message", "One Northshire pound"],
        [
            "--session", "2", "--conflict", "Who funds winter pressures",
            "--action", "Ben Ode: share the winter figures [due 2027-04-09]",
            "--key-message", "We carry winter risk together",
        ],
    ):  # fmt: skip
        result = cli("series", "record", str(path), *args)
        assert result.exit_code == 0, result.stderr
    done = cli("series", "action", "done", str(path), "A1", "--today", "2027-03-10")
    assert done.exit_code == 0, done.stderr
    out = tmp_path / "next"
    nxt = cli("series", "next", str(path), "--out-dir", str(out))
    assert nxt.exit_code == 0, nxt.stderr
    plan = yaml.safe_load((out / "plan.yaml").read_text())
    assert "session 3 of 8" in plan["title"]
    assert "conflict" in plan["focus"]
    returning = [b for b in plan["blocks"] if b.get("returns_to")]
    assert len(returning) == 1
    assert returning[0]["activity"] == "live-issue"
    assert (
        returning[0]["returns_to"] == "session 2 recorded: \u201cWho funds winter pressures\u201d"
    )
    review = [b for b in plan["blocks"] if b.get("reviews")]
    assert [b["activity"] for b in review] == ["unsticking-actions"]
    assert review[0]["reviews"] == ["A2: Ben Ode: share the winter figures (due 2027-04-09)"]
    assert plan["reasons"][0] == (
        "Conflict is in focus, and a block returns to it, because session 2 recorded: "
        "\u201cWho funds winter pressures\u201d."
    )
    assert "A2 was due before 2027-04-30 and not done" in plan["reasons"][1]
    sheet = (out / "facilitator.md").read_text()
    assert "## Why this session holds what it does" in sheet
    assert "Conflict is in focus, and a block returns to it, because session 2 recorded" in sheet
    assert "**Returns to.** Session 2 recorded:" in sheet
    assert "- A2: Ben Ode: share the winter figures (due 2027-04-09)" in sheet
    assert "| A2 | 2 | Ben Ode | share the winter figures | 2027-04-09 (overdue) |" in sheet
    assert "**Actions done**" in sheet
    assert "| A1 | 1 | Asha Patel | draft the joint letter | 2027-03-10 |" in sheet
    assert "what did you hear back?" in sheet
    assert "**Partners until the next meeting**" in sheet
    assert "**Seating by name**" in sheet
    # The participants' handout has the partners, not the conflict or the reasons.
    handout = (out / "participant.md").read_text()
    assert "**Partners until the next meeting**" in handout
    assert "Who funds winter pressures" not in handout
    assert "Why this session" not in handout


def test_sessions_already_held_keep_their_plans() -> None:
    library = load_library()
    series = new_series(title="T", start=dt.date(2027, 1, 15), count=4, first_format="six-weekly")
    series = record(
        series, 1, actions=[parse_action("A B: write [due 2027-02-01]")], conflicts=["Money"]
    )
    series = record(series, 2, key_messages=["Held"])
    held = plan_series(series, library)[:2]
    # Later records, and an action done after session 2, leave sessions 1 and 2 as they were.
    later = record(series, 2, conflicts=["Another"], actions=[parse_action("C D: more")])
    from syslead.series.actions import mark_done

    later = mark_done(later, "A1", dt.date(2027, 3, 20))
    again = plan_series(later, library)[:2]
    assert [p.model_dump() for p in again] == [p.model_dump() for p in held]
    assert any(b.reviews for b in held[1].blocks)  # the overdue action was reviewed at session 2


@pytest.mark.parametrize(
    ("count", "first"), [(6, "six-weekly"), (8, "away-day"), (8, "six-weekly"), (10, "six-weekly")]
)
def test_the_papers_moves_across_a_programme(count: int, first: str) -> None:
    library = load_library()
    series = new_series(title="T", start=dt.date(2027, 1, 15), count=count, first_format=first)
    plans = plan_series(series, library)
    moves = [
        {m for b in p.blocks if b.activity for m in library.activity(b.activity).moves}
        for p in plans
    ]
    assert any("budget-rehearsal" in m for m in moves), "the rehearsal at least once"
    assert any("name-power" in m for m in moves[:3]), "power named in the first three"
    counted = Counter(
        b.activity
        for p in plans
        for b in p.blocks
        if b.kind == "activity"
        and b.activity
        and not {"shared-business", "live-issue", "review"}
        & set(library.activity(b.activity).moves)
    )
    assert max(counted.values()) <= 2, counted.most_common(3)


def test_reasons_for_a_focus_added_by_a_conflict_are_in_the_json(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    assert cli("series", "new", str(path), "--title", "T", "--start", "2027-02-05").exit_code == 0
    assert (
        cli("series", "record", str(path), "--session", "1", "--conflict", "Who pays").exit_code
        == 0
    )
    import json

    plan = json.loads(cli("series", "next", str(path), "--to", "json").stdout)
    assert plan["reasons"] == [
        "Conflict is in focus, and a block returns to it, because session 1 recorded: "
        "\u201cWho pays\u201d."
    ]
    assert load_series(path).sessions[1].focus == ["shared-purpose", "personal-contact"]


@pytest.mark.parametrize(("count", "asked"), [(8, {1, 4, 8}), (5, {1, 3, 5}), (2, {1, 2})])
def test_the_questionnaire_is_suggested_first_middle_and_last(count: int, asked: set[int]) -> None:
    series = new_series(title="T", start=dt.date(2027, 1, 15), count=count, participants=12)
    plans = plan_series(series, load_library())
    suggested = {
        number
        for number, plan in enumerate(plans, start=1)
        if any("five-factor self-assessment" in reason for reason in plan.reasons)
    }
    assert suggested == asked
