"""The fixed-budget scenario as rich tables for the terminal.

Every amount is printed in full, to the penny, as the JSON gives it. When the rules-by-organisation
table is too wide for the terminal (three organisations or more at 80 columns), it turns round:
one row per organisation and as many rules side by side as fit, in as many tables as it takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from syslead.scenario.model import Scenario
from syslead.scenario.money import format_money, format_signed
from syslead.scenario.rules import RuleResult
from syslead.terminal import Fitted

if TYPE_CHECKING:
    from decimal import Decimal

    from rich.console import Console, ConsoleOptions, Group, RenderableType
    from rich.table import Table


class _Figures(NamedTuple):
    """One column of the turned table: a rule (or its net after sharing) and its amounts."""

    heading: str
    amounts: list[str]
    gap: str


def _situation(scenario: Scenario) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"A fixed budget of {format_money(scenario.budget)}", title_justify="left")
    table.add_column("organisation")
    for column in ("plan", "out-turn", "difference"):
        table.add_column(column, justify="right")
    for org in scenario.organisations:
        table.add_row(
            Text(org.name),
            format_money(org.planned),
            format_money(org.actual),
            format_signed(org.deviation) if org.deviation else "on plan",
        )
    return table


def _by_rule(scenario: Scenario, results: Sequence[RuleResult]) -> Table:
    """A row per rule, a column per organisation: the layout when it fits."""
    from rich.table import Table
    from rich.text import Text

    figures = Table(title="What each organisation is paid, by rule", title_justify="left")
    # A rule squeezed narrower than this reads badly: the table turns round instead.
    figures.add_column("rule", min_width=20)
    for name in scenario.names:
        figures.add_column(Text(name), justify="right")
    figures.add_column("gap", justify="right")
    for result in results:
        figures.add_row(
            Text(f"{result.title} ({result.terms})" if result.terms else result.title),
            *[format_money(result.payments[name]) for name in scenario.names],
            format_signed(result.gap),
        )
        if result.sharing and result.shares is not None:
            figures.add_row(
                Text("  after sharing the gap", style="italic"),
                *[format_money(result.net[name]) for name in scenario.names],
                "£0",
                style="dim",
            )
    return figures


def _columns(scenario: Scenario, results: Sequence[RuleResult]) -> list[_Figures]:
    def amounts(values: dict[str, Decimal]) -> list[str]:
        return [format_money(values[name]) for name in scenario.names]

    columns = []
    for result in results:
        columns.append(_Figures(result.title, amounts(result.payments), format_signed(result.gap)))
        if result.sharing:
            columns.append(_Figures(f"{result.title}: after sharing", amounts(result.net), "£0"))
    return columns


def _turned(scenario: Scenario, columns: Sequence[_Figures], title: str) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("organisation")
    for figures in columns:
        table.add_column(Text(figures.heading), justify="right")
    for index, name in enumerate(scenario.names):
        table.add_row(Text(name), *(figures.amounts[index] for figures in columns))
    table.add_row(Text("gap", style="italic"), *(figures.gap for figures in columns), style="dim")
    return table


def _by_organisation(
    scenario: Scenario, results: Sequence[RuleResult], console: Console, options: ConsoleOptions
) -> Group:
    """A row per organisation and as many rules side by side as fit, table after table."""
    from rich.console import Group
    from rich.text import Text

    from syslead.terminal import fit_table

    columns = _columns(scenario, results)
    parts: list[RenderableType] = []
    start = 0
    while start < len(columns):
        title = "What each organisation is paid, by rule" + (" (continued)" if start else "")
        count = len(columns) - start
        table = _turned(scenario, columns[start:], title)
        while not fit_table(table, console, options) and count > 1:
            count -= 1
            table = _turned(scenario, columns[start : start + count], title)
        parts.append(table)
        start += count
    terms = [f"{r.title}: {r.terms}." for r in results if r.terms]
    if terms:
        parts.append(Text("Terms. " + " ".join(terms)))
    return Group(*parts)


def scenario_table(scenario: Scenario, results: Sequence[RuleResult]) -> Group:
    """The situation, then each organisation's payment and the system gap under every rule."""
    from rich.console import Group
    from rich.text import Text

    def turned(console: Console, options: ConsoleOptions) -> RenderableType:
        return _by_organisation(scenario, results, console, options)

    note = Text(
        "The gap is what the system pays above its budget. Under the sharing rules each partner is "
        "paid for its work and then bears a share of the gap; the net is what it keeps."
    )
    return Group(
        Fitted(_situation(scenario)),
        Fitted(_by_rule(scenario, results), narrow=turned),
        note,
    )
