"""The five factors over time: stored summaries, the trend report, confidentiality and focus."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import yaml

from syslead.assessment.questionnaire import load_questionnaire

from .conftest import Run

Cli = Callable[..., Run]

COLUMNS = [f"{p}-{i}" for p in ("sp", "pc", "cf", "al", "lt") for i in range(1, 5)]
REVERSED = {st.id for _, st in load_questionnaire().statements if st.reverse}


def answers(tmp_path: Path, name: str, rows: list[tuple[str, int, int]]) -> Path:
    """A CSV: each row (organisation, score for most statements, score for conflict's).

    Scores are as counted: a statement worded the other way round is answered 6 - score.
    """
    lines = ["respondent,organisation," + ",".join(COLUMNS)]
    for n, (org, score, conflict) in enumerate(rows, 1):
        scores = [conflict if c.startswith("cf") else score for c in COLUMNS]
        cells = [str(6 - v if c in REVERSED else v) for c, v in zip(COLUMNS, scores, strict=True)]
        lines.append(f"r{n},{org}," + ",".join(cells))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.lines: list[dict[str, str | None]] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "polyline":
            self.lines.append(dict(attrs))


def make(cli: Cli, tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    assert cli("series", "new", str(path), "--title", "T", "--start", "2027-02-05").exit_code == 0
    return path


def group(org: str, n: int, score: int, conflict: int) -> list[tuple[str, int, int]]:
    return [(org, score, conflict)] * n


def test_three_assessments_in_a_report_and_a_single_respondent_nowhere(
    cli: Cli, tmp_path: Path
) -> None:
    path = make(cli, tmp_path)
    for session, score in ((1, 2), (4, 3), (8, 4)):
        rows = group("Northshire ICB", 3, score, 1) + group("Northshire Council", 3, 4, 4)
        rows += group("Solo Hospice", 1, 1, 1)
        csv = answers(tmp_path, f"a{session}.csv", rows)
        result = cli("series", "assess", str(path), str(csv), "--session", str(session))
        assert result.exit_code == 0, result.stderr
        assert "counted in the totals only" in result.stderr
    stored = yaml.safe_load(path.read_text())
    summary = stored["sessions"][0]["assessment"]
    assert summary["respondents"] == 7
    assert "answers" not in json.dumps(summary)
    assert [g["organisation"] for g in summary["by_organisation"]] == [
        "Northshire Council",
        "Northshire ICB",
    ]
    page = cli("series", "report", str(path), "--to", "html")
    assert page.exit_code == 0, page.stderr
    parser = Text()
    parser.feed(page.stdout)
    text = " ".join(parser.text)
    assert sorted(line["data-factor"] or "" for line in parser.lines) == sorted(
        ["shared-purpose", "personal-contact", "conflict", "altruism", "long-term"]
    )
    assert all(len((line["points"] or "").split()) == 3 for line in parser.lines)
    assert "Session 1" in text
    assert "Session 8" in text
    assert "Solo Hospice" not in page.stdout
    assert "Solo Hospice" not in cli("series", "report", str(path), "--to", "md").stdout
    data = json.loads(cli("series", "report", str(path), "--to", "json").stdout)
    assert [a["session"] for a in data["assessments"]] == [1, 4, 8]
    assert "Solo Hospice" not in json.dumps(data)
    assert data["assessments"][0]["differences"][0]["factor"] == "conflict"
    status = json.loads(cli("series", "status", str(path), "--to", "json").stdout)
    assert [p["session"] for p in status["assessments"]] == [1, 4, 8]
    assert "The five factors over time" in cli("series", "status", str(path)).stdout


def test_small_organisations_are_pooled(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    rows = group("Big", 3, 3, 3) + group("Small A", 2, 4, 4) + group("Small B", 1, 2, 2)
    result = cli(
        "series", "assess", str(path), str(answers(tmp_path, "a.csv", rows)), "--session", "1"
    )
    assert result.exit_code == 0, result.stderr
    assert "shown together as 'other organisations'" in result.stderr
    data = json.loads(cli("series", "report", str(path), "--to", "json").stdout)
    groups = data["assessments"][0]["by_organisation"]
    assert [(g["organisation"], g["respondents"], g["pooled"]) for g in groups] == [
        ("Big", 3, False),
        ("other organisations", 3, True),
    ]
    two = cli(
        "series", "assess", str(path), str(answers(tmp_path, "a.csv", rows)), "--session", "2",
        "--min-group", "2",
    )  # fmt: skip
    assert two.exit_code == 0, two.stderr
    data = json.loads(cli("series", "report", str(path), "--to", "json").stdout)
    assert [g["organisation"] for g in data["assessments"][1]["by_organisation"]] == [
        "Big",
        "Small A",
    ]


def test_the_next_focus_weighs_the_latest_assessment(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    rows = group("A", 3, 4, 1) + group("B", 3, 4, 2)
    csv = answers(tmp_path, "a.csv", rows)
    # Session 2 (shared purpose, personal contact) is next; conflict is lowest at session 1.
    assert cli("series", "assess", str(path), str(csv), "--session", "1").exit_code == 0
    plan = json.loads(cli("series", "next", str(path), "--to", "json").stdout)
    assert plan["focus"] == ["shared-purpose", "personal-contact", "conflict"]
    assert plan["reasons"] == [
        "Conflict is in focus because the assessment at session 1 gave conflict the lowest mean "
        "(1.50 of 5)."
    ]


def test_assess_errors(cli: Cli, tmp_path: Path) -> None:
    path = make(cli, tmp_path)
    csv = answers(tmp_path, "a.csv", group("A", 3, 3, 3))
    before = path.read_text()
    for args, expected in [
        (["--session", "9"], "--session 9 is out of range"),
        (["--session", "1", "--min-group", "1"], "--min-group 1: must be at least 2"),
    ]:
        result = cli("series", "assess", str(path), str(csv), *args)
        assert result.exit_code == 1, args
        assert expected in result.stderr
    missing = cli("series", "assess", str(path), str(tmp_path / "none.csv"), "--session", "1")
    assert missing.exit_code == 1
    assert path.read_text() == before
    empty = cli("series", "report", str(path), "--to", "md")
    assert "No assessment is stored yet" in empty.stdout
    bad = cli("series", "report", str(path), "-o", str(tmp_path / "x.txt"))
    assert bad.exit_code == 1
