"""No figure for a small group: the report pools or leaves out organisations below --min-group."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run

Cli = Callable[..., Run]


def answers_csv(tmp_path: Path, cli: Cli, groups: dict[str, list[int]]) -> Path:
    """One row per person: every statement answered with that person's score (1 to 5)."""
    header = cli("assess", "questionnaire", "--to", "csv").stdout.splitlines()[0].split(",")
    statements = [c for c in header if c not in ("respondent", "organisation")]
    statements = [c for c in statements if not c.endswith("-comment")]
    rows = [",".join(header)]
    person = 0
    for organisation, scores in groups.items():
        for score in scores:
            person += 1
            cells = {"respondent": f"P{person}", "organisation": organisation}
            cells |= {s: str(score) for s in statements}
            rows.append(",".join(cells.get(column, "") for column in header))
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


GROUPS = {
    "Northshire ICB": [5, 4, 5, 4],
    "Northshire County Council": [2, 2, 3],
    "Solo Hospice": [1],
    "Lone Practice": [5],
}


def test_a_single_respondent_organisation_is_never_shown(cli: Cli, tmp_path: Path) -> None:
    path = answers_csv(tmp_path, cli, GROUPS)
    result = cli("assess", "report", str(path), "--to", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    shown = {o["organisation"]: o["respondents"] for o in data["by_organisation"]}
    assert shown == {"Northshire County Council": 3, "Northshire ICB": 4}
    assert all(n >= data["min_group"] for n in shown.values())
    assert data["hidden_respondents"] == 2  # the two small ones pool to 2, still below 3
    for to in ("md", "html"):
        text = cli("assess", "report", str(path), "--to", to).stdout
        assert "Solo Hospice" not in text
        assert "Lone Practice" not in text


def test_small_organisations_pool_when_the_pool_is_big_enough(cli: Cli, tmp_path: Path) -> None:
    path = answers_csv(tmp_path, cli, GROUPS)
    data = json.loads(cli("assess", "report", str(path), "--to", "json", "--min-group", "2").stdout)
    shown = {o["organisation"]: (o["respondents"], o["pooled"]) for o in data["by_organisation"]}
    assert shown["Other organisations"] == (2, 2)
    assert "Solo Hospice" not in shown
    assert data["hidden_respondents"] == 0


def test_where_organisations_differ_most(cli: Cli, tmp_path: Path) -> None:
    path = answers_csv(tmp_path, cli, GROUPS)
    data = json.loads(cli("assess", "report", str(path), "--to", "json").stdout)
    first = data["differences"][0]
    assert first["highest"] == "Northshire ICB"
    assert first["lowest"] == "Northshire County Council"
    assert first["gap"] == pytest.approx(first["highest_mean"] - first["lowest_mean"], abs=0.01)
    gaps = [d["gap"] for d in data["differences"]]
    assert gaps == sorted(gaps, reverse=True)
    md = cli("assess", "report", str(path), "--to", "md").stdout
    assert "## Where organisations differ most" in md


@pytest.mark.parametrize("value", ["1", "0", "-3"])
def test_min_group_is_never_below_two(cli: Cli, tmp_path: Path, value: str) -> None:
    path = answers_csv(tmp_path, cli, GROUPS)
    result = cli("assess", "report", str(path), "--min-group", value)
    assert result.exit_code == 1
    assert "--min-group" in result.stderr
    assert "at least 2" in result.stderr
