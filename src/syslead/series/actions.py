"""The action ledger: every action a session agreed, with its stable id, owner, due date and state.

An action is overdue when its due date is before the reference day (the date of the session being
prepared, unless a caller gives another day) and it was not done by then. Marking an action done
records the day, so a session already held keeps the review it had.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from syslead.errors import SysleadError, ref
from syslead.series.programme import Action, Series, member_named, replace_session

State = Literal["open", "overdue", "done"]


class LedgerEntry(BaseModel):
    """One action as the ledger lists it."""

    model_config = ConfigDict(frozen=True)

    id: str
    session: int
    owner: str
    text: str
    due: dt.date | None
    state: State
    done_on: dt.date | None
    note: str | None


def state_of(action: Action, day: dt.date) -> State:
    """Done (by ``day``), overdue (due before ``day``) or open."""
    if action.done_by(day):
        return "done"
    if action.due is not None and action.due < day:
        return "overdue"
    return "open"


def reference_day(series: Series, today: dt.date) -> dt.date:
    """The date of the session being prepared (the first with nothing recorded), else today."""
    upcoming = next((s for s in series.sessions if not s.held), None)
    return upcoming.date if upcoming is not None else today


def ledger(series: Series, day: dt.date) -> list[LedgerEntry]:
    """Every action in the order it was recorded, with its state on ``day``."""
    return [
        LedgerEntry(
            id=a.id or "",
            session=s.number,
            owner=a.owner,
            text=a.text,
            due=a.due,
            state=state_of(a, day),
            done_on=a.done_on,
            note=a.note,
        )
        for s in series.sessions
        for a in s.record.actions
    ]


def select(
    entries: Sequence[LedgerEntry], states: Sequence[State] = (), owner: str | None = None
) -> list[LedgerEntry]:
    """The entries in any of ``states`` (all when none), for ``owner`` (case aside) when given."""
    wanted = " ".join(owner.split()).casefold() if owner else None
    return [
        e
        for e in entries
        if (not states or e.state in states)
        and (wanted is None or " ".join(e.owner.split()).casefold() == wanted)
    ]


def find_action(series: Series, action_id: str) -> tuple[int, Action]:
    """The session number and action with this id, or an error listing the ids there are."""
    wanted = action_id.strip().upper()
    for session in series.sessions:
        for action in session.record.actions:
            if action.id == wanted:
                return session.number, action
    ids = [a.id for s in series.sessions for a in s.record.actions if a.id]
    known = f"the actions are {ids[0]} to {ids[-1]}" if ids else "no actions are recorded yet"
    raise SysleadError(
        f"no action {action_id!r} in this series: {known} (see syslead series action list)"
    )


def _with_action(series: Series, action_id: str, **update: object) -> Series:
    number, action = find_action(series, action_id)
    session = series.session(number)
    actions = [
        a.model_copy(update=update) if a.id == action.id else a for a in session.record.actions
    ]
    record = session.record.model_copy(update={"actions": actions})
    return replace_session(series, number, record=record)


def mark_done(series: Series, action_id: str, day: dt.date, note: str | None = None) -> Series:
    """The series with an action marked done on ``day`` (with a note, when given)."""
    _, action = find_action(series, action_id)
    if action.done:
        raise SysleadError(
            f"action {action.id} is already done"
            + (f" (since {action.done_on})" if action.done_on else "")
        )
    if note is not None and not note.strip():
        raise SysleadError(f"{ref('note')}: expected some text, got an empty value")
    update: dict[str, object] = {"done": True, "done_on": day}
    if note is not None:
        update["note"] = note.strip()
    return _with_action(series, action_id, **update)


def reassign(series: Series, action_id: str, owner: str) -> Series:
    """The series with an action given to another owner (a member, when the series names them)."""
    if not owner.strip():
        raise SysleadError(f"{ref('owner')}: expected a name, got an empty value")
    if series.members:
        owner = member_named(series, owner, f"{ref('owner')}").name
    find_action(series, action_id)
    return _with_action(series, action_id, owner=" ".join(owner.split()))


def ledger_json(entries: Sequence[LedgerEntry]) -> str:
    """The entries as a JSON array (the shape docs/formats.md gives)."""
    return json.dumps([e.model_dump(mode="json") for e in entries], indent=2, ensure_ascii=False)


CSV_COLUMNS = ("id", "session", "owner", "text", "due", "state", "done_on", "note")


def ledger_csv(entries: Sequence[LedgerEntry]) -> str:
    """The entries as CSV with a header row; empty cells for no date or note."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        data = e.model_dump(mode="json")
        writer.writerow([_cell(data[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: object) -> object:
    """A cell's value; text a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
