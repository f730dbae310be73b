"""Every command's default terminal output at 80 columns, read as a person would read it.

The commands whose default output is a table for people (plan-session, render, playbooks list,
assess report, scenario fixed-budget, series status, series action list, series pairs) are run in
process at COLUMNS=80. The others print documents or data by default (Markdown: handout,
principles, playbooks show, assess questionnaire, the scenario's sheets; JSON: playbooks schema;
one-line messages: validate, series new and record), which a terminal wraps itself.

Read from the output: no line is longer than 80 characters; nothing is cut short with "…"; every
word of the names that matter (the library's titles and factor names, organisations, members) is
found whole, so no word was split across two lines; every amount the JSON twin gives appears in
full, to the penny; 30 organisations give a table that shows every one of them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import pytest

from .conftest import Run
from .reading import output, terminal_table, terminal_tables

Cli = Callable[..., Run]

WIDTH = 80
SHORT_NAMES = {
    "shared-purpose": "Shared purpose",
    "personal-contact": "Personal contact",
    "conflict": "Conflict",
    "altruism": "Altruism",
    "long-term": "Long-term commitment",
}
"""The five factors as the terminal names them, short enough for a column."""
BORDERS = re.compile(r"[\s│┃┏┓┗┛┡┩┣┫╇╈┳┻━─┃└┘┌┐├┤┬┴┼╭╮╰╯═║]+")
PUNCTUATION = ",.;:()?!\"'"


@pytest.fixture
def narrow(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The cli fixture, on a terminal 80 columns wide (the fixture itself sets 120)."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    return cli


def tokens(text: str) -> set[str]:
    """The words of a terminal table: split at spaces and box lines, trimmed of punctuation."""
    return {t.strip(PUNCTUATION) for t in BORDERS.split(text)} - {""}


def words(names: Iterable[str]) -> set[str]:
    return {w.strip(PUNCTUATION) for name in names for w in name.split()} - {""}


def read(result: Run) -> str:
    """The output of a run that worked, checked for width and for anything cut short."""
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.strip()
    long = [line for line in text.splitlines() if len(line) > WIDTH]
    assert not long, f"{len(long)} lines longer than {WIDTH}, such as {long[0]!r}"
    assert "…" not in text, "something was cut short"
    return text


def assert_whole(text: str, expected: Iterable[str]) -> None:
    """Every expected word appears whole: a word split across lines would be missing."""
    missing = sorted(words(expected) - tokens(text))
    assert not missing, f"words split or lost: {missing[:12]}"


def money(value: str, signed: bool = False) -> str:
    """An amount from the JSON ('110000000.00') as the table prints it ('£110,000,000')."""
    amount = Decimal(value)
    text = f"{abs(amount):,.2f}".removesuffix(".00")
    sign = "-" if amount < 0 else ("+" if signed and amount > 0 else "")
    return f"{sign}£{text}"


def amounts(data: dict) -> set[str]:
    """Every amount of the scenario's JSON, formatted as the terminal shows it."""
    found = {money(data["budget"])}
    for org in data["organisations"]:
        found |= {money(org["planned"]), money(org["actual"])}
        if Decimal(org["deviation"]):
            found.add(money(org["deviation"], signed=True))
    for rule in data["rules"]:
        found.add(money(rule["gap"], signed=True))
        found |= {money(v) for v in rule["payments"].values()}
        found |= {money(v) for v in rule["net"].values()}
    return found


def scenario_at_80(narrow: Cli, *args: str) -> None:
    table = read(narrow("scenario", "fixed-budget", *args))
    data = json.loads(output(narrow("scenario", "fixed-budget", *args, "--to", "json")))
    missing = sorted(amounts(data) - tokens(table))
    assert not missing, f"amounts missing or cut: {missing[:8]}"
    names = [org["name"] for org in data["organisations"]]
    assert_whole(table, names + [rule["title"] for rule in data["rules"]])


def test_scenario_examples(narrow: Cli) -> None:
    scenario_at_80(narrow, "--example")
    scenario_at_80(narrow)  # a generated cast of five, with amounts to the penny after sharing
    scenario_at_80(
        narrow,
        "--org",
        "Northshire Hospitals NHS Foundation Trust=481.5m",
        "--org",
        "Northshire County Council adult social care=191m",
        "--org",
        "Northshire Community Services=125m",
        "--overperformer",
        "Northshire Hospitals NHS Foundation Trust",
        "--by",
        "7.25%",
    )


ORGANISATIONS = [f"Organisation number {n} of the Northshire system" for n in range(1, 31)]


def pounds(cell: str) -> Decimal:
    """A cell such as '£9,956,666.66' or '+£1,300,000' as an amount."""
    return Decimal(cell.replace("£", "").replace(",", ""))


def test_thirty_organisations_give_a_readable_table(narrow: Cli) -> None:
    orgs = [f"{name}={10 + n}m" for n, name in enumerate(ORGANISATIONS)]
    args = [a for org in orgs for a in ("--org", org)]
    over = ["--overperformer", ORGANISATIONS[3], "--by", "10%"]
    scenario_at_80(narrow, *args, *over)
    text = read(narrow("scenario", "fixed-budget", *args, *over))
    assert text.splitlines()[0].strip() == "A fixed budget of £735,000,000"  # £10m + ... + £39m
    plans, *by_rule = terminal_tables(text)
    # Every organisation has a row of its own in every table, whole and in order.
    assert plans[0] == ["organisation", "plan", "out-turn", "difference"]
    assert [row[0] for row in plans[1:]] == ORGANISATIONS
    for table in by_rule:
        assert [row[0] for row in table[1:]] == [*ORGANISATIONS, "gap"]
    # The fourth is planned at £13m and does 10% more: £1.3m over, worked by hand.
    fourth = plans[4]
    assert fourth == [ORGANISATIONS[3], "£13,000,000", "£14,300,000", "+£1,300,000"]
    assert all(row[1] == f"£{10 + n},000,000" for n, row in enumerate(plans[1:]))
    assert {row[3] for n, row in enumerate(plans[1:]) if n != 3} == {"on plan"}
    rules = {title: table for table in by_rule for title in table[0][1:]}
    column = {title: table[0].index(title) for table in by_rule for title in table[0][1:]}

    def paid(title: str, row: int) -> str:
        return rules[title][row][column[title]]

    assert paid("Payment by results", 4) == "£14,300,000"  # paid for all it did
    assert paid("Payment by results", 31) == "+£1,300,000"
    assert paid("Block contract", 4) == "£13,000,000"  # paid its plan, whatever it did
    assert paid("Block contract", 31) == "£0"
    assert paid("Marginal rate", 4) == "£13,390,000"  # 30% of the £1.3m above plan
    # Equal shares of the gap: each partner gives up £1.3m / 30, to the penny, and the system
    # ends on its budget.
    shared = "Gain/loss share: after sharing"
    given = [pounds(paid("Gain/loss share", n)) - pounds(paid(shared, n)) for n in range(1, 31)]
    assert sum(given) == Decimal("1300000")
    assert max(given) - min(given) <= Decimal("0.01")
    assert paid(shared, 31) == "£0"


def test_playbooks_list(narrow: Cli) -> None:
    table = read(narrow("playbooks", "list"))
    rows = json.loads(output(narrow("playbooks", "list", "--to", "json")))
    assert_whole(table, [row["title"] for row in rows] + [row["id"] for row in rows])
    assert_whole(table, [factor for row in rows for factor in row["factors"]])


def test_plan_session_and_render(narrow: Cli, tmp_path: Path) -> None:
    args = [
        "--participants",
        "14",
        "--org",
        "Northshire Hospitals NHS Foundation Trust",
        "--org",
        "Northshire County Council",
        "--issue",
        "Winter discharge delays across the whole footprint",
    ]
    table = read(narrow("plan-session", *args))
    plan = json.loads(output(narrow("plan-session", *args, "--to", "json")))
    assert table.splitlines()[0].strip() == plan["title"]
    assert_whole(table, [block["title"] for block in plan["blocks"]])
    assert_whole(table, plan["organisations"])
    # Read as a table, row by row, it says what the JSON twin says, factors by their short names.
    rows = terminal_table(table)
    assert rows[0] == ["time", "min", "kind", "session", "factors"]
    expected = [
        [
            f"{b['start']}-{b['end']}",
            str(b["minutes"]),
            b["kind"],
            b["title"] + (f": {b['issue']}" if b["issue"] else ""),
            ", ".join(SHORT_NAMES[f] for f in b["factors"]),
        ]
        for b in plan["blocks"]
    ]
    assert rows[1:] == expected
    assert any(b["issue"] for b in plan["blocks"])  # the live issue has a block of its own
    saved = tmp_path / "plan.yaml"
    assert narrow("plan-session", *args, "-o", str(saved)).exit_code == 0
    rendered = read(narrow("render", str(saved)))
    assert_whole(rendered, [block["title"] for block in plan["blocks"]])
    assert terminal_table(rendered) == rows


def answers_file(narrow: Cli, tmp_path: Path, organisations: list[str]) -> Path:
    header = output(narrow("assess", "questionnaire", "--to", "csv")).strip().split(",")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    scores = "12345"
    for n, organisation in enumerate(organisations * 2):
        row = {"respondent": f"R{n}", "organisation": organisation}
        for i, column in enumerate(c for c in header[2:] if not c.endswith("comment")):
            row[column] = scores[(n * 3 + i) % 5]
        writer.writerow(row)
    path = tmp_path / "answers.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("count", [4, 30])
def test_assess_report(narrow: Cli, tmp_path: Path, count: int) -> None:
    organisations = [
        "Northshire Hospitals NHS Foundation Trust",
        "Northshire County Council",
        "Community services",
        "ICB",
        *ORGANISATIONS,
    ][:count]
    path = answers_file(narrow, tmp_path, organisations)
    # Two respondents an organisation: --min-group 2 shows each of them (the default, 3, pools them).
    table = read(narrow("assess", "report", str(path), "--min-group", "2"))
    report = json.loads(
        output(narrow("assess", "report", str(path), "--min-group", "2", "--to", "json"))
    )
    assert_whole(table, [factor["title"] for factor in report["factors"]])
    assert_whole(table, organisations)
    for factor in report["factors"]:
        assert f"{factor['mean']:.2f}" in table


def test_series_tables(narrow: Cli, tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    members = {
        "Asha Patel": "Northshire Hospitals NHS Foundation Trust",
        "Ben Ode": "Northshire County Council",
        "Carys Llewellyn-Whitcombe": "Northshire Integrated Care Board",
        "Dev Raman": "Northshire Hospitals NHS Foundation Trust",
    }
    created = narrow(
        "series",
        "new",
        str(path),
        "--title",
        "Northshire leaders",
        "--start",
        "2027-01-15",
        "--count",
        "6",
        *[a for name, org in members.items() for a in ("--member", f"{name}={org}")],
    )
    assert created.exit_code == 0, created.stderr
    action = "Council chief executive: draft the joint letter to the regulator [due 2027-02-12]"
    recorded = narrow("series", "record", str(path), "--session", "1", "--action", action)
    assert recorded.exit_code == 0, recorded.stderr
    status = read(narrow("series", "status", str(path), "--today", "2027-01-20"))
    assert_whole(status, ["Northshire leaders", "draft the joint letter to the regulator"])
    ledger = read(narrow("series", "action", "list", str(path)))
    assert_whole(ledger, ["Council chief executive", "draft the joint letter to the regulator"])
    pairs = read(narrow("series", "pairs", str(path)))
    assert_whole(pairs, list(members))
