"""The series status as rich tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from syslead.library.models import FACTOR_IDS
from syslead.terminal import Fitted

if TYPE_CHECKING:
    from rich.console import Group, RenderableType
    from rich.table import Table

    from syslead.series.actions import LedgerEntry
    from syslead.series.status import SeriesStatus


def status_table(status: SeriesStatus) -> Group:
    """Sessions with their focus, factor coverage, and open actions by owner."""
    from rich.console import Group
    from rich.text import Text

    # Fitted: no word is split across lines on a narrow terminal (see syslead.terminal).
    parts: list[RenderableType] = [Fitted(_sessions_table(status)), Fitted(_coverage_table(status))]
    for gap in status.coverage_gaps:
        parts.append(
            Text(
                f"Sessions {gap.from_session} to {gap.from_session + 4} leave out: {', '.join(gap.missing)}"
            )
        )
    parts.append(
        Fitted(_actions_table(status)) if status.open_actions else Text("No open actions.")
    )
    if status.attendance and any(r.attended or r.missed for r in status.attendance):
        parts.append(Fitted(_attendance_table(status)))
    for absent in status.organisations_absent:
        parts.append(
            Text(
                f"{absent.organisation} sent nobody to sessions "
                f"{', '.join(str(n) for n in absent.sessions)}: worth a call before the next one."
            )
        )
    if status.pairs is not None:
        p = status.pairs
        parts.append(
            Text(
                f"Pairs between sessions: {p.met} of {p.cross_pairs} cross-organisation pairs "
                f"have met ({p.met_share:.0%}); after {p.held} session{'s' if p.held != 1 else ''} "
                f"the schedule gives {p.scheduled_share:.0%} and the best possible is "
                f"{p.best_share:.0%}."
            )
        )
    if status.assessments:
        parts.append(Fitted(trend_table(status)))
    return Group(*parts)


def _attendance_table(status: SeriesStatus) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Attendance", title_justify="left")
    for column in ("member", "organisation", "attended", "missed"):
        table.add_column(column, overflow="fold")
    for r in status.attendance:
        table.add_row(
            Text(r.name),
            Text(r.organisation),
            ", ".join(map(str, r.attended)) or "none",
            ", ".join(map(str, r.missed)) or "",
        )
    return table


SPARK = "▁▂▃▄▅▆▇█"


def _spark(mean: float | None) -> str:
    if mean is None:
        return " "
    index = round((min(5.0, max(1.0, mean)) - 1) / 4 * (len(SPARK) - 1))
    return SPARK[index]


def trend_table(status: SeriesStatus) -> Table:
    """Each factor's mean (and spread) at every assessment, with a small chart of the trend."""
    from rich.table import Table

    table = Table(title="The five factors over time (mean ± sd, 1-5)", title_justify="left")
    table.add_column("factor")
    for point in status.assessments:
        table.add_column(f"s{point.session}", justify="right")
    table.add_column("trend")
    for factor in FACTOR_IDS:
        cells = []
        means = []
        for point in status.assessments:
            found = next((f for f in point.factors if f.factor == factor), None)
            mean = found.mean if found else None
            means.append(mean)
            sd = found.sd if found and found.sd is not None else None
            cells.append(
                "-" if mean is None else f"{mean:.2f}" + (f" ±{sd:.2f}" if sd is not None else "")
            )
        table.add_row(factor, *cells, "".join(_spark(m) for m in means))
    return table


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
    for column in ("owner", "id", "session", "action", "due"):
        table.add_column(column, overflow="fold")
    for owner, items in status.open_actions.items():
        for item in items:
            due = (item.due.isoformat() if item.due else "") + (
                " (overdue)" if item.overdue else ""
            )
            table.add_row(Text(owner), item.id, str(item.session), Text(item.text), due)
    return table


def ledger_table(entries: Sequence[LedgerEntry]) -> Fitted:
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
    return Fitted(table)


def _group_text(group: Sequence[str]) -> str:
    return " and ".join([", ".join(group[:-1]), group[-1]]) if len(group) > 1 else group[0]


def pairs_table(rounds: Sequence[dict[str, Any]]) -> Group:
    """Each session's pairs and tables."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = []
    for r in rounds:
        parts.append(Text(f"Session {r['session']} ({r['date']}): meet before the next session"))
        table = Table()
        table.add_column("pair", overflow="fold")
        for group in r["pairs"]:
            table.add_row(Text(_group_text(group)))
        for name in r["resting"]:
            table.add_row(Text(f"{name} (no new partner this time)"))
        seats = Table()
        seats.add_column("table")
        seats.add_column("who sits there", overflow="fold")
        for number, people in enumerate(r["tables"], 1):
            seats.add_row(str(number), Text(", ".join(people)))
        parts += [Fitted(table), Fitted(seats)]
    return Group(*parts)


def pairs_md(title: str, rounds: Sequence[dict[str, Any]]) -> str:
    """Each session's pairs and tables as Markdown, to print or send."""
    from syslead.markup import md

    lines = [f"# {md(title)}: partners between sessions", ""]
    for r in rounds:
        lines += [
            f"## Session {r['session']} ({r['date']})",
            "",
            "Meet before the next session:",
            "",
        ]
        lines += [f"- {md(_group_text(g))}" for g in r["pairs"]]
        lines += [f"- {md(name)}: no new partner this time" for name in r["resting"]]
        lines += ["", "| Table | Who sits there |", "|---|---|"]
        lines += [f"| {n} | {md(', '.join(t))} |" for n, t in enumerate(r["tables"], 1)]
        lines.append("")
    return "\n".join(lines)
