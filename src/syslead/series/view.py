"""The series status as rich tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from syslead.library.models import FACTOR_IDS

if TYPE_CHECKING:
    from rich.console import Group, RenderableType
    from rich.table import Table

    from syslead.series.actions import LedgerEntry
    from syslead.series.status import SeriesStatus


def status_table(status: SeriesStatus) -> Group:
    """Sessions with their focus, factor coverage, and open actions by owner."""
    from rich.console import Group
    from rich.text import Text

    parts: list[RenderableType] = [_sessions_table(status), _coverage_table(status)]
    for gap in status.coverage_gaps:
        parts.append(
            Text(
                f"Sessions {gap.from_session} to {gap.from_session + 4} leave out: {', '.join(gap.missing)}"
            )
        )
    parts.append(_actions_table(status) if status.open_actions else Text("No open actions."))
    return Group(*parts)


def _sessions_table(status: SeriesStatus) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"{status.title} ({status.timezone})"), title_justify="left")
    for column in ("#", "date", "format", "focus", "recorded"):
        table.add_column(column)
    for s in status.sessions:
        marker = "next" if s.number == status.next_session else ("yes" if s.recorded else "")
        table.add_row(str(s.number), s.date.isoformat(), s.format, ", ".join(s.focus), marker)
    return table


def _coverage_table(status: SeriesStatus) -> Table:
    from rich.table import Table

    table = Table(title="Factor coverage", title_justify="left")
    table.add_column("factor")
    table.add_column("sessions")
    for factor in FACTOR_IDS:
        table.add_row(factor, ", ".join(str(n) for n in status.coverage[factor]) or "none")
    return table


def _actions_table(status: SeriesStatus) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Open actions by owner", title_justify="left")
    for column in ("owner", "session", "action", "due"):
        table.add_column(column, overflow="fold")
    for owner, items in status.open_actions.items():
        for item in items:
            due = (item.due.isoformat() if item.due else "") + (
                " (overdue)" if item.overdue else ""
            )
            table.add_row(owner, str(item.session), Text(item.text), due)
    return table


def ledger_table(entries: Sequence[LedgerEntry]) -> Table:
    """The action ledger: id, session, owner, action, due and state."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Actions", title_justify="left")
    for column in ("id", "session", "owner", "action", "due", "state"):
        table.add_column(column, overflow="fold")
    for e in entries:
        state = e.state + (f" ({e.done_on})" if e.state == "done" and e.done_on else "")
        text = e.text + (f" ({e.note})" if e.note else "")
        table.add_row(
            e.id,
            str(e.session),
            Text(e.owner),
            Text(text),
            e.due.isoformat() if e.due else "",
            state,
        )
    return table
