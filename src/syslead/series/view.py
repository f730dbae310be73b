"""The series status as rich tables for the terminal."""

from __future__ import annotations

from typing import Any

from syslead.library.models import FACTOR_IDS


def status_table(data: dict[str, Any]) -> Any:
    """Sessions with their focus, factor coverage, and open actions by owner."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    sessions = Table(title=Text(f"{data['title']} ({data['timezone']})"), title_justify="left")
    for column in ("#", "date", "format", "focus", "recorded"):
        sessions.add_column(column)
    for s in data["sessions"]:
        marker = "next" if s["number"] == data["next_session"] else ("yes" if s["recorded"] else "")
        sessions.add_row(str(s["number"]), s["date"], s["format"], ", ".join(s["focus"]), marker)
    coverage = Table(title="Factor coverage", title_justify="left")
    coverage.add_column("factor")
    coverage.add_column("sessions")
    for factor in FACTOR_IDS:
        coverage.add_row(factor, ", ".join(str(n) for n in data["coverage"][factor]) or "none")
    parts: list[Any] = [sessions, coverage]
    for gap in data["coverage_gaps"]:
        parts.append(
            Text(
                f"Sessions {gap['from_session']} to {gap['from_session'] + 4} leave out: {', '.join(gap['missing'])}"
            )
        )
    actions = Table(title="Open actions by owner", title_justify="left")
    for column in ("owner", "session", "action", "due"):
        actions.add_column(column, overflow="fold")
    for owner, items in data["open_actions"].items():
        for item in items:
            due = (item["due"] or "") + (" (overdue)" if item["overdue"] else "")
            actions.add_row(owner, str(item["session"]), Text(item["text"]), due)
    parts.append(actions if data["open_actions"] else Text("No open actions."))
    return Group(*parts)
