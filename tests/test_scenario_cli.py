"""The scenario commands end to end: figures, documents, sheets, errors, and their place in the pack."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from .conftest import Run

Cli = Callable[..., Run]


def test_worked_example_to_the_penny(cli: Cli) -> None:
    data = json.loads(cli("scenario", "fixed-budget", "--example", "--to", "json").stdout)
    assert data["budget"] == "140000000.00"
    rules = {r["rule"]: r for r in data["rules"]}
    trust = "Acute trust"
    assert rules["payment-by-results"]["payments"][trust] == "110000000.00"
    assert rules["payment-by-results"]["gap"] == "10000000.00"
    assert rules["block"]["payments"][trust] == "100000000.00"
    assert rules["block"]["gap"] == "0.00"
    assert rules["marginal-rate"]["payments"][trust] == "103000000.00"
    assert rules["blended"]["payments"][trust] == "102000000.00"
    assert rules["aligned"]["payments"][trust] == "107500000.00"
    assert data["organisations"][0] == {
        **data["organisations"][0],
        "name": trust,
        "planned": "100000000.00",
        "actual": "110000000.00",
    }


def test_pooled_shares_from_the_command_line(cli: Cli) -> None:
    args = [
        "--org",
        "Acute trust=100m",
        "--org",
        "Community services=£40,000,000",
        "--overperformer",
        "Acute trust",
        "--by",
        "10%",
    ]
    data = json.loads(
        cli("scenario", "fixed-budget", *args, "--rule", "pooled", "--to", "json").stdout
    )
    (pooled,) = data["rules"]
    assert pooled["rule"] == "pooled-budget"
    assert pooled["shares"] == {"Acute trust": "7142857.14", "Community services": "2857142.86"}


def test_table_on_the_terminal(cli: Cli) -> None:
    result = cli("scenario", "fixed-budget", "--example")
    assert result.exit_code == 0
    assert "Marginal rate" in result.stdout
    assert "£103,000,000" in result.stdout


def test_brief_and_key(cli: Cli) -> None:
    base = [
        "scenario",
        "fixed-budget",
        "--org",
        "Northshire Council=160m",
        "--org",
        "Northshire Hospitals=360m",
        "--actual",
        "Northshire Hospitals=378m",
        "--to",
        "md",
    ]
    brief = cli(*base, "--audience", "participant").stdout
    key = cli(*base).stdout
    assert "103" not in brief
    assert (
        "£365,400,000" not in brief
    )  # the marginal rule's figure for the hospital stays in the key
    assert "£365,400,000" in key
    tokens = MarkdownIt("commonmark").enable("table").parse(key)
    assert any(t.type == "table_open" for t in tokens)
    html = cli(*base[:-2], "--to", "html").stdout

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.tags.append(tag)

    parser = Tags()
    parser.feed(html)
    assert "table" in parser.tags
    assert "script" not in parser.tags


def test_generated_from_names_is_deterministic(cli: Cli) -> None:
    args = (
        "scenario",
        "fixed-budget",
        "--org",
        "Northshire Council",
        "--org",
        "Northshire Hospitals NHS Trust",
        "--seed",
        "4",
        "--to",
        "json",
    )
    first = cli(*args).stdout
    assert first == cli(*args).stdout
    assert json.loads(first)["seed"] == 4
    assert cli("scenario", "fixed-budget", "--to", "json").exit_code == 0  # a default cast


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--org", "A=10m", "--org", "B=5m", "--actual", "C=3m"],
            "--actual: 'C' is not one of the organisations",
        ),
        (["--org", "A=-10m", "--org", "B=5m"], "--org"),
        (["--org", "A=ten", "--org", "B=5m"], "'ten'"),
        (["--org", "A=10m", "--org", "B=5m", "--blended-share", "150%"], "--blended-share"),
        (["--org", "A=10m", "--org", "B=5m", "--split", "A=60%", "--split", "B=30%"], "--split"),
        (["--org", "A=10m", "--org", "B=5m", "--by", "10%"], "--by needs --overperformer"),
        (["--example", "--seed", "3"], "--example is the worked example"),
        (["--example", "--risk-share", "150%"], "syslead: --risk-share: '150%' is more than 100%"),
        (
            ["--example", "--threshold", "Hospice=1m"],
            "syslead: --threshold: 'Hospice' is not one of the organisations given with --org",
        ),
        (["--example", "--cap", "-2m"], "syslead: --cap: '-2m' is negative"),
        (["--org", "A=10m", "--org", "B=-5m"], "syslead: --org B: '-5m' is negative"),
        (["--example", "--rule", "fair"], "syslead: --rule: unknown rule 'fair'"),
        (["--example", "--to", "table", "-o", "x.txt"], "a table is for the terminal"),
        (["--org", "A=100m=5", "--org", "B=5m"], "--org: 'A=100m=5' has more than one '='"),
        (["--org", "A=100m", "--org", "B=5m", "--actual", "A=1=2"], "--actual: 'A=1=2' has"),
        (["--org", "A=10.005", "--org", "B=5m"], "--org A: '10.005' has a fraction of a penny"),
        (["--example", "--budget", "140m"], "--example is the worked example, with its own"),
        (["--org", "A=1m", "--org", "B=5m", "--budget", "1.000000001m"], "a fraction of a penny"),
        (["--example", "--marginal-rate", "1.5"], "--marginal-rate: '1.5' is above 1"),
        (["--example", "--blended-share", "20"], "write 20% (or 0.2) for 20 per cent"),
        (["--example", "--aligned-share", "75"], "--aligned-share: '75' is above 1"),
        (["--example", "--risk-share", "50"], "--risk-share: '50' is above 1"),
        (["--example", "--basis", "split", "--split", "Acute trust=60"], "--split Acute trust"),
        (["--example", "--cap", "2.5"], "--cap: '2.5' could be a percentage or pounds"),
        (["--example", "--collar", "0.025"], "write 2.5% for a share of each plan"),
    ],
)
def test_bad_input_is_one_message(
    cli: Cli, args: list[str], expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("scenario", "fixed-budget", *args)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("option", "value", "rule"),
    [
        ("--marginal-rate", "0.3", "marginal-rate"),
        ("--blended-share", "0.2", "blended"),
        ("--aligned-share", "0.75", "aligned"),
        ("--risk-share", "0.5", "capped-risk-share"),
    ],
)
def test_a_share_option_reads_a_fraction_and_a_percentage_alike(
    cli: Cli, option: str, value: str, rule: str
) -> None:
    """The one convention: 0.3 and 30% give the same figures, and 1 is 100%, for every share."""

    def figures(text: str) -> object:
        args = ["scenario", "fixed-budget", "--example", "--rule", rule, option, text]
        result = cli(*args, "--to", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["rules"]

    percent = f"{Decimal(value) * 100:f}%"
    assert figures(value) == figures(percent)
    assert figures("1") == figures("100%")
    assert figures("1") != figures("1%")


def test_power_and_observation_sheets(cli: Cli) -> None:
    power = cli("scenario", "power-sheet", "--org", "City | Council", "--org", "Acute Trust").stdout
    tokens = MarkdownIt("commonmark").enable("table").parse(power)
    cells = [t.content for t in tokens if t.type == "inline"]
    assert "City | Council" in [c.replace("\\|", "|") for c in cells] or any(
        "City" in c for c in cells
    )
    assert "Acute Trust" in cells
    sheet = cli("scenario", "observation-sheet", "--name", "Sam", "--name", "Alex").stdout
    assert "| Sam |" in sheet
    assert "| Alex |" in sheet
    blank = cli("scenario", "observation-sheet", "--participants", "5").stdout
    assert blank.count("|  |  |  |  |  |  |  |  |") == 5


def test_pack_carries_conflict_documents(cli: Cli, tmp_path: Path) -> None:
    # Find a seed whose conflict-focused plan uses the fixed-budget rehearsal.
    for seed in range(1, 40):
        plan = json.loads(
            cli("plan-session", "--focus", "conflict", "--seed", str(seed), "--to", "json").stdout
        )
        if any(b["activity"] == "fixed-budget-rehearsal" for b in plan["blocks"]):
            break
    else:  # pragma: no cover - the library has the exercise; some seed must use it
        pytest.fail("no seed used the fixed-budget rehearsal")
    out = tmp_path / "pack"
    result = cli(
        "plan-session",
        "--focus",
        "conflict",
        "--seed",
        str(seed),
        "--org",
        "Northshire Council",
        "--org",
        "Northshire Hospitals NHS Trust",
        "--out-dir",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    assert {
        "budget-brief.md",
        "budget-key.md",
        "budget-brief.html",
        "budget-key.html",
        "power-sheet.md",
        "observation-sheet.md",
    } <= names
    assert "Northshire Hospitals NHS Trust" in (out / "budget-key.md").read_text()
    assert yaml.safe_load((out / "plan.yaml").read_text())["focus"] == ["conflict"]
    six = tmp_path / "six"
    assert (
        cli(
            "plan-session", "--format", "six-weekly", "--focus", "1", "--out-dir", str(six)
        ).exit_code
        == 0
    )
    assert not {"power-sheet.md", "budget-key.md"} & {p.name for p in six.iterdir()}


def test_brief_and_key_with_one_command(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "budget"
    result = cli(
        "scenario",
        "fixed-budget",
        "--org",
        "Northshire Council=160m",
        "--org",
        "Northshire Hospitals=360m",
        "--overperformer",
        "Northshire Hospitals",
        "--by",
        "4%",
        "--out-dir",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "budget-brief.html",
        "budget-brief.md",
        "budget-key.html",
        "budget-key.md",
        "budget.json",
    ]
    key = (out / "budget-key.md").read_text()
    brief = (out / "budget-brief.md").read_text()
    assert "Northshire Hospitals" in key
    assert "Northshire Hospitals" in brief
    assert "facilitator key" in key
    figures = json.loads((out / "budget.json").read_text())
    assert figures["organisations"][1]["actual"] == "374400000.00"
    again = cli("scenario", "fixed-budget", "--example", "--out-dir", str(out))
    assert again.exit_code == 1
    assert "already exist" in again.stderr


def _rule_json(cli: Cli, *args: str) -> dict[str, object]:
    result = cli("scenario", "fixed-budget", *args, "--to", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    (rule,) = json.loads(result.stdout)["rules"]
    assert isinstance(rule, dict)
    return rule


def test_risk_share_option_sets_the_share_of_the_difference(cli: Cli) -> None:
    """--risk-share 10% pays the trust 10% of its £10m: £101m, inside the 2.5% cap."""
    rule = _rule_json(cli, "--example", "--rule", "capped", "--risk-share", "10%")
    assert rule["payments"] == {"Acute trust": "101000000.00", "Community services": "40000000.00"}
    assert rule["gap"] == "1000000.00"
    assert rule["terms"] == "10% share, cap 2.5% of plan, collar 2.5% of plan"


def test_split_option_gives_an_organisation_left_out_no_share(cli: Cli) -> None:
    """An organisation the --split leaves out carries none of the £10m gap (60:40:0)."""
    rule = _rule_json(
        cli,
        *("--org", "A trust=100m", "--org", "Community=40m", "--org", "Council=60m"),
        *("--overperformer", "A trust", "--by", "10%"),
        *("--split", "A trust=60%", "--split", "Community=40%", "--rule", "gain-loss"),
    )
    assert rule["basis"] == "split"
    assert rule["shared_by"] == {"A trust": "0.6", "Community": "0.4", "Council": "0"}
    assert rule["shares"] == {"A trust": "6000000.00", "Community": "4000000.00", "Council": "0.00"}
    assert rule["net"] == {
        "A trust": "104000000.00",
        "Community": "36000000.00",
        "Council": "60000000.00",
    }


def test_contribution_option_weighs_the_pool(cli: Cli) -> None:
    """--contribution 'Acute trust=20m' shares the £10m pool 20:40 (community's plan counts)."""
    rule = _rule_json(cli, "--example", "--rule", "pooled", "--contribution", "Acute trust=20m")
    assert rule["shared_by"] == {
        "Acute trust": "20000000.00",
        "Community services": "40000000.00",
    }
    assert rule["shares"] == {"Acute trust": "3333333.33", "Community services": "6666666.67"}
    assert rule["terms"] == "pro rata to agreed contributions"
