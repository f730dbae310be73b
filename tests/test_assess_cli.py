"""The assess commands and plan-session --focus-from, run as a facilitator would."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from .conftest import Run

Cli = Callable[..., Run]


def answers(cli: Cli, tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    header = cli("assess", "questionnaire", "--to", "csv").stdout.strip().split(",")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in header})
    path = tmp_path / "answers.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def everyone(value: str, **overrides: str) -> dict[str, str]:
    prefixes = ("sp", "pc", "cf", "al", "lt")
    row = {f"{p}-{i}": value for p in prefixes for i in range(1, 5)}
    row.update(overrides)
    return row


def test_questionnaire_formats(cli: Cli) -> None:
    data = json.loads(cli("assess", "questionnaire", "--to", "json").stdout)
    statements = data["statements"]
    assert len(statements) == 20
    assert {"id", "factor", "text", "reverse"} <= set(statements[0])
    template = cli("assess", "questionnaire", "--to", "csv").stdout
    header = next(csv.reader(io.StringIO(template)))
    assert header[:2] == ["respondent", "organisation"]
    assert {s["id"] for s in statements} <= set(header)
    md = cli("assess", "questionnaire").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    assert sum(t.type == "table_open" for t in tokens) == 5
    html = cli("assess", "questionnaire", "--to", "html").stdout
    assert html.startswith("<!DOCTYPE html>")


def test_report_and_focus_from(cli: Cli, tmp_path: Path) -> None:
    # Everyone agrees (4) except on personal contact, where all score low (reverse items high).
    low_contact = {"pc-1": "1", "pc-2": "5", "pc-3": "1", "pc-4": "5"}
    path = answers(
        cli,
        tmp_path,
        [
            {"respondent": "A", "organisation": "Council", **everyone("4", **low_contact)},
            {"respondent": "B", "organisation": "Trust", **everyone("4", **low_contact)},
            {"respondent": "C", "organisation": "Trust", **everyone("4", **low_contact)},
        ],
    )
    report = json.loads(cli("assess", "report", str(path), "--to", "json").stdout)
    assert report["recommended_focus"][0] == "personal-contact"
    by_factor = {f["factor"]: f for f in report["factors"]}
    assert by_factor["personal-contact"]["mean"] == 1.0
    assert by_factor["personal-contact"]["n"] == 12
    table = cli("assess", "report", str(path)).stdout
    assert "Recommended focus" in table
    html = cli("assess", "report", str(path), "--to", "html").stdout
    assert html.count("<svg") == 1
    plan = cli("plan-session", "--focus-from", str(path), "--format", "six-weekly", "--to", "json")
    assert plan.exit_code == 0, plan.stderr
    assert json.loads(plan.stdout)["focus"] == report["recommended_focus"]
    assert "focus from" in plan.stderr
    clash = cli("plan-session", "--focus-from", str(path), "--focus", "1")
    assert clash.exit_code == 1
    assert "give it without --focus" in clash.stderr


def test_bad_csv_lists_rows_and_columns(cli: Cli, tmp_path: Path) -> None:
    path = answers(
        cli, tmp_path, [everyone("4", **{"sp-1": "7"}), everyone("4", **{"cf-2": "often"})]
    )
    result = cli("assess", "report", str(path))
    assert result.exit_code == 1
    assert "answers.csv:2: sp-1" in result.stderr
    assert "answers.csv:3: cf-2" in result.stderr
    assert "Traceback" not in result.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert cli("assess", "report", str(empty)).exit_code == 1
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = cli("assess", "report", str(binary))
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr
    focus = cli("plan-session", "--focus-from", str(path))
    assert focus.exit_code == 1
    assert "sp-1" in focus.stderr


def test_report_says_on_stderr_when_the_focus_is_capped(cli: Cli, tmp_path: Path) -> None:
    """Four factors below the midpoint, the focus keeps three: stderr names the one left out."""
    statements = json.loads(cli("assess", "questionnaire", "--to", "json").stdout)["statements"]
    target = {"shared-purpose": 1, "personal-contact": 2, "conflict": 2, "altruism": 2}
    row = {
        s["id"]: str(6 - value if s["reverse"] else value)
        for s in statements
        for value in [target.get(s["factor"], 4)]
    }
    path = answers(cli, tmp_path, [{"respondent": name, **row} for name in "ABC"])
    for to in ("table", "json", "md"):
        result = cli("assess", "report", str(path), "--to", to)
        assert result.exit_code == 0, result.stderr
        assert "4 factors are flagged for focus" in result.stderr
        assert "keeps at most 3" in result.stderr
        assert (
            "also flagged: Behaving altruistically towards each other (below the midpoint)"
            in result.stderr
        )
        assert "flagged for focus" not in result.stdout
    data = json.loads(cli("assess", "report", str(path), "--to", "json").stdout)
    assert data["recommended_focus"] == ["shared-purpose", "personal-contact", "conflict"]
    assert data["focus_left_out"] == {"altruism": ["below-midpoint"]}
    uncapped = answers(cli, tmp_path, [{"respondent": "A", **everyone("4")}])
    assert cli("assess", "report", str(uncapped)).stderr == ""


def test_the_example_answers_are_filled_in_and_always_the_same(cli: Cli, tmp_path: Path) -> None:
    first = cli("assess", "questionnaire", "--example")
    assert first.exit_code == 0, first.stderr
    assert cli("assess", "questionnaire", "--example", "--to", "csv").stdout == first.stdout
    rows = list(csv.DictReader(io.StringIO(first.stdout)))
    assert len(rows) == 10
    assert all(row["sp-1"] in "12345" and row["organisation"] for row in rows)
    path = tmp_path / "answers.csv"
    assert cli("assess", "questionnaire", "--example", "-o", str(path)).exit_code == 0
    report = json.loads(cli("assess", "report", str(path), "--to", "json").stdout)
    assert report["respondents"] == 10
    assert report["recommended_focus"][0] == "conflict"
    assert "disagreement" in {flag for flags in report["focus_reasons"].values() for flag in flags}
    refused = cli("assess", "questionnaire", "--example", "--to", "md")
    assert refused.exit_code == 2
    assert "the example is a CSV of answers" in refused.stderr
