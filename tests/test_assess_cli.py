"""The assess commands and plan-session --focus-from, run as a facilitator would."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from .conftest import Run
from .reading import same_json

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


def scored_rows(
    cli: Cli, people: list[tuple[str, str, dict[str, int | None]]]
) -> list[dict[str, str]]:
    """CSV rows for people who hold one view per factor: every statement scores that view.

    A reverse-worded statement is answered 6 - view, so that it too scores the view; None leaves
    the factor blank.
    """
    statements = json.loads(cli("assess", "questionnaire", "--to", "json").stdout)["statements"]
    rows = []
    for name, organisation, views in people:
        row = {"respondent": name, "organisation": organisation}
        for s in statements:
            view = views[s["factor"]]
            if view is not None:
                row[s["id"]] = str(6 - view if s["reverse"] else view)
        rows.append(row)
    return rows


def test_report_json_from_the_command_line_pins_every_key_and_value(
    cli: Cli, tmp_path: Path
) -> None:
    """docs/formats.md's shape of `assess report --to json`, with the default --min-group of 3.

    Five people, one view per factor each (sp, pc, cf, al, lt):
      Trust T1 4 3 1 4 5 | T2 4 3 2 4 5 | T3 5 3 5 4 5
      Council C1 2 3 3 5 4 (alone: pooled with the Hospice)
      Hospice H1 4 3 3 - 4 (no answers on altruism)
    The Council and the Hospice pool to two people, fewer than three: counted in the totals only.
    """
    views = [
        ("T1", "Trust", {"sp": 4, "pc": 3, "cf": 1, "al": 4, "lt": 5}),
        ("T2", "Trust", {"sp": 4, "pc": 3, "cf": 2, "al": 4, "lt": 5}),
        ("T3", "Trust", {"sp": 5, "pc": 3, "cf": 5, "al": 4, "lt": 5}),
        ("C1", "Council", {"sp": 2, "pc": 3, "cf": 3, "al": 5, "lt": 4}),
        ("H1", "Hospice", {"sp": 4, "pc": 3, "cf": 3, "al": None, "lt": 4}),
    ]
    names = {"sp": "shared-purpose", "pc": "personal-contact", "cf": "conflict"}
    names |= {"al": "altruism", "lt": "long-term"}
    people = [(n, o, {names[k]: v for k, v in view.items()}) for n, o, view in views]
    rows = scored_rows(cli, people)
    rows[3]["cf-comment"] = "Money, always money."
    path = answers(cli, tmp_path, rows)
    result = cli("assess", "report", str(path), "--to", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    titles = {
        f["factor"]: f["title"]
        for f in json.loads(cli("assess", "questionnaire", "--to", "json").stdout)["factors"]
    }

    def factor(
        name: str,
        pooled: tuple[float, float, int, int, int, int],
        people: tuple[float, float, float],
        flags: list[str],
    ) -> dict[str, object]:
        mean, sd, low, high, n, respondents = pooled
        return {
            "factor": name,
            "title": titles[name],
            "mean": mean,
            "sd": sd,
            "min": low,
            "max": high,
            "n": n,
            "respondents": respondents,
            "respondent_sd": people[0],
            "respondent_min": people[1],
            "respondent_max": people[2],
            "flags": flags,
        }

    everyone_ = [
        # sp: views 4 4 5 2 4, mean 3.8; four answers each: SS = 4 * (3 * 0.04 + 1.44 + 3.24)
        # = 19.2, sd sqrt(19.2 / 19) = 1.0052; between people SS 4.8, sd sqrt(1.2) = 1.0954.
        factor("shared-purpose", (3.8, 1.01, 2, 5, 20, 5), (1.1, 2.0, 5.0), ["disagreement"]),
        factor("personal-contact", (3.0, 0.0, 3, 3, 20, 5), (0.0, 3.0, 3.0), []),
        # cf: views 1 2 5 3 3, mean 2.8; SS = 4 * 8.8 = 35.2, sd sqrt(35.2 / 19) = 1.3611;
        # between people sqrt(8.8 / 4) = 1.4832.
        factor(
            "conflict",
            (2.8, 1.36, 1, 5, 20, 5),
            (1.48, 1.0, 5.0),
            ["lowest", "below-midpoint", "disagreement"],
        ),
        # al: views 4 4 4 5 (the Hospice left it blank), mean 4.25; SS = 12 * 0.0625 + 4 *
        # 0.5625 = 3, sd sqrt(3 / 15) = 0.4472; between people sqrt(0.75 / 3) = 0.5.
        factor("altruism", (4.25, 0.45, 4, 5, 16, 4), (0.5, 4.0, 5.0), []),
        # lt: views 5 5 5 4 4, mean 4.6; SS = 12 * 0.16 + 8 * 0.36 = 4.8, sd sqrt(4.8 / 19) =
        # 0.5026; between people sqrt(1.2 / 4) = 0.5477.
        factor("long-term", (4.6, 0.5, 4, 5, 20, 5), (0.55, 4.0, 5.0), []),
    ]
    trust = [
        # sp: 4 4 5, mean 13/3; SS = 4 * 6/9, sd sqrt(24/9 / 11) = 0.4924; people sqrt(1/3).
        factor("shared-purpose", (4.33, 0.49, 4, 5, 12, 3), (0.58, 4.0, 5.0), []),
        factor("personal-contact", (3.0, 0.0, 3, 3, 12, 3), (0.0, 3.0, 3.0), []),
        # cf: 1 2 5, mean 8/3; SS = 4 * 78/9, sd sqrt(312/9 / 11) = 1.7753; people sqrt(13/3).
        factor(
            "conflict",
            (2.67, 1.78, 1, 5, 12, 3),
            (2.08, 1.0, 5.0),
            ["lowest", "below-midpoint", "disagreement"],
        ),
        factor("altruism", (4.0, 0.0, 4, 4, 12, 3), (0.0, 4.0, 4.0), []),
        factor("long-term", (5.0, 0.0, 5, 5, 12, 3), (0.0, 5.0, 5.0), []),
    ]
    expected = {
        "questionnaire": "five-factor",
        "respondents": 5,
        "scale": {"min": 1, "max": 5},
        "factors": everyone_,
        "by_organisation": [
            {"organisation": "Trust", "respondents": 3, "pooled": 0, "factors": trust}
        ],
        "min_group": 3,
        "hidden_respondents": 2,
        "differences": [],
        "flags": {
            "lowest": ["conflict"],
            "below-midpoint": ["conflict"],
            "disagreement": ["shared-purpose", "conflict"],
            "no-answers": [],
        },
        "recommended_focus": ["shared-purpose", "conflict"],
        "focus_reasons": {
            "shared-purpose": ["disagreement"],
            "conflict": ["lowest", "below-midpoint", "disagreement"],
        },
        "focus_left_out": {},
        "thresholds": {
            "disagreement_sd": 0.8,
            "disagreement_range": 2.0,
            "disagreement_min_respondents": 3,
            "low_mean": 3.0,
            "max_focus": 3,
        },
        "comments": {"conflict": ["Money, always money."]},
    }
    same_json(json.loads(result.stdout), expected)
