"""The agenda of a plan as a table for the terminal, and the facts every document of a plan shares."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from syslead.library.loader import Library
from syslead.planning.plan import Plan

if TYPE_CHECKING:
    from rich.table import Table

FORMAT_LABELS = {
    "away-day": "Afternoon and evening away session",
    "six-weekly": "Six-weekly meeting",
    "day": "A day away",
}


def long_date(day: dt.date) -> str:
    """``Friday 15 January 2027``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def factor_names(library: Library, ids: list[str]) -> str:
    """Short factor titles, for agenda columns."""
    names = []
    for factor_id in ids:
        entry = library.entries.get(factor_id)
        names.append(getattr(entry, "short_title", factor_id))
    return ", ".join(names)


def next_meeting_text(plan: Plan) -> str:
    """When the group meets next, in words."""
    if plan.next_meeting:
        return f"{long_date(plan.next_meeting)}, six weeks on"
    return "six weeks on; agree the date before everyone leaves"


def header_lines(plan: Plan, library: Library) -> list[str]:
    """The facts under a plan's title, one per line."""
    when = long_date(plan.date) if plan.date else "Date to be agreed"
    lines = [
        f"{FORMAT_LABELS[plan.format]}: {when}, {plan.start} to {plan.end}",
        f"{plan.participants} participants",
    ]
    if plan.organisations:
        lines.append("Organisations: " + ", ".join(plan.organisations))
    lines.append("Focus: " + factor_names(library, plan.focus))
    return lines


def _agenda_table(plan: Plan, library: Library, kind: bool) -> Table:
    """One row per block; ``kind`` (activity, break...) may be left out on a narrow terminal."""
    from rich.table import Table
    from rich.text import Text

    table = Table(caption=Text(f"plan id {plan.plan_id}"))
    table.add_column("time", no_wrap=True)
    table.add_column("min", justify="right")
    if kind:
        table.add_column("kind")
    table.add_column("session")
    table.add_column("factors")
    for block in plan.blocks:
        style = "dim" if block.kind in {"break", "meal"} else ""
        table.add_row(
            f"{block.start}-{block.end}",
            str(block.minutes),
            *([block.kind] if kind else []),
            Text(f"{block.title}: {block.issue}" if block.issue else block.title),
            Text(factor_names(library, block.factors)),
            style=style,
        )
    return table


def plan_table(plan: Plan, library: Library) -> Any:
    """A rich renderable: the plan's title, its facts and its agenda.

    No word is split across lines: on a narrow terminal the kind column goes (breaks and meals
    stay dim), see :mod:`syslead.terminal`.
    """
    from rich.console import Group
    from rich.text import Text

    from syslead.terminal import Fitted

    agenda = Fitted(_agenda_table(plan, library, True), _agenda_table(plan, library, False))
    facts = Text("\n".join(header_lines(plan, library)))
    footer = Text(f"Next meeting: {next_meeting_text(plan)}.")
    return Group(Text(plan.title, style="bold"), facts, agenda, footer)
