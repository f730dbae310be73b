"""The fixed-budget scenario as rich tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from syslead.scenario.model import Scenario
from syslead.scenario.money import format_short, format_signed
from syslead.scenario.rules import RuleResult


def scenario_table(scenario: Scenario, results: Sequence[RuleResult]) -> Any:
    """The situation, then a row per rule with each organisation's payment and the system gap."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    situation = Table(
        title=f"A fixed budget of {format_short(scenario.budget)}", title_justify="left"
    )
    for column in ("organisation", "plan", "out-turn", "difference"):
        situation.add_column(column, justify="left" if column == "organisation" else "right")
    for org in scenario.organisations:
        situation.add_row(
            Text(org.name),
            format_short(org.planned),
            format_short(org.actual),
            format_signed(org.deviation) if org.deviation else "on plan",
        )
    figures = Table(title="What each organisation is paid, by rule", title_justify="left")
    figures.add_column("rule")
    for name in scenario.names:
        figures.add_column(Text(name), justify="right")
    figures.add_column("gap", justify="right")
    for result in results:
        figures.add_row(
            Text(f"{result.title} ({result.terms})" if result.terms else result.title),
            *[format_short(result.payments[name]) for name in scenario.names],
            format_signed(result.gap) if result.gap else "£0",
        )
        if result.sharing and result.shares is not None:
            figures.add_row(
                Text("  after sharing the gap", style="italic"),
                *[format_short(result.net[name]) for name in scenario.names],
                "£0",
                style="dim",
            )
    note = Text(
        "The gap is what the system pays above its budget. Under the sharing rules each partner is "
        "paid for its work and then bears a share of the gap; the net is what it keeps."
    )
    return Group(situation, figures, note)
