"""The action ledger in the domain: states on a given day, selection, marking done, reassigning,
and the CSV and JSON a script reads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable

import pytest

from syslead.errors import SysleadError
from syslead.series.actions import (
    find_action,
    ledger,
    ledger_csv,
    ledger_json,
    mark_done,
    reassign,
    select,
    state_of,
)
from syslead.series.programme import Action, Member, Series, new_series, record

DAY = dt.date(2027, 4, 1)


def refusal(call: Callable[[], object]) -> str:
    with pytest.raises(SysleadError) as caught:
        call()
    return str(caught.value)


def three_actions(members: list[Member] | None = None) -> Series:
    """A1 (Ann, due 2027-03-01), A2 (Bo, due 2027-04-01) at session 1; A3 (ann, none) at 2."""
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=3, members=members or [])
    series = record(
        series,
        1,
        actions=[
            Action(owner="Ann", text="write the letter", due=dt.date(2027, 3, 1)),
            Action(owner="Bo", text="=SUM(A1:A9)", due=DAY),
        ],
    )
    return record(series, 2, actions=[Action(owner="ann", text="-map the pathway")])


def test_state_on_a_day() -> None:
    due = Action(owner="A", text="t", due=DAY)
    assert [state_of(due, DAY + dt.timedelta(days=d)) for d in (-1, 0, 1)] == [
        "open",
        "open",
        "overdue",
    ]
    done = due.model_copy(update={"done": True, "done_on": DAY})
    assert [state_of(done, DAY + dt.timedelta(days=d)) for d in (-1, 0, 1)] == [
        "open",
        "done",
        "done",
    ]
    # Marked done in a file written before dates were kept: done whatever the day.
    assert state_of(due.model_copy(update={"done": True}), dt.date(1900, 1, 1)) == "done"
    assert state_of(Action(owner="A", text="t"), dt.date(9000, 1, 1)) == "open"


def test_select_by_state_and_owner_case_and_spacing_aside() -> None:
    entries = ledger(three_actions(), DAY)
    assert [(e.id, e.session, e.owner, e.state) for e in entries] == [
        ("A1", 1, "Ann", "overdue"),
        ("A2", 1, "Bo", "open"),
        ("A3", 2, "ann", "open"),
    ]
    assert [e.id for e in select(entries)] == ["A1", "A2", "A3"]
    assert [e.id for e in select(entries, ["open"])] == ["A2", "A3"]
    assert [e.id for e in select(entries, ["overdue", "done"])] == ["A1"]
    assert [e.id for e in select(entries, [], " ANN ")] == ["A1", "A3"]
    assert [e.id for e in select(entries, ["open"], "ann")] == ["A3"]
    assert select(entries, ["done"]) == []


def test_mark_done_records_the_day_and_note_and_refuses_twice() -> None:
    series = mark_done(three_actions(), " a2 ", DAY, "  Sent to the boards ")
    _, action = find_action(series, "A2")
    assert (action.done, action.done_on, action.note) == (True, DAY, "Sent to the boards")
    _, untouched = find_action(series, "A1")
    assert (untouched.done, untouched.done_on, untouched.note) == (False, None, None)
    assert (
        refusal(lambda: mark_done(series, "A2", DAY))
        == "action A2 is already done (since 2027-04-01)"
    )
    legacy = series.model_copy(deep=True)
    legacy.sessions[0].record.actions[0].done = True
    assert refusal(lambda: mark_done(legacy, "A1", DAY)) == "action A1 is already done"
    assert refusal(lambda: mark_done(three_actions(), "A1", DAY, " ")) == (
        "note: expected some text, got an empty value"
    )
    assert find_action(mark_done(three_actions(), "A1", DAY), "A1")[1].note is None


def test_reassign_names_a_member_and_tidies_spacing() -> None:
    series = reassign(three_actions(), "a3", "  Cara   Lee ")
    assert find_action(series, "A3") == (
        2,
        Action(id="A3", owner="Cara Lee", text="-map the pathway"),
    )
    assert (
        refusal(lambda: reassign(series, "A3", "  "))
        == "owner: expected a name, got an empty value"
    )
    people = [
        Member(name="Ann Lee", organisation="ICB"),
        Member(name="Bo Ek", organisation="Trust"),
    ]
    named = three_actions(people)
    assert find_action(reassign(named, "A1", "bo  ek"), "A1")[1].owner == "Bo Ek"
    assert refusal(lambda: reassign(named, "A1", "Cy")).startswith("owner 'Cy': not a member")
    assert refusal(lambda: reassign(named, "A9", "Bo Ek")) == (
        "no action 'A9' in this series: the actions are A1 to A3 (see syslead series action list)"
    )


def test_csv_has_a_header_empty_cells_and_no_formulas() -> None:
    series = mark_done(three_actions(), "A1", dt.date(2027, 2, 20), "+1 done")
    text = ledger_csv(ledger(series, DAY))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["id", "session", "owner", "text", "due", "state", "done_on", "note"],
        ["A1", "1", "Ann", "write the letter", "2027-03-01", "done", "2027-02-20", "'+1 done"],
        ["A2", "1", "Bo", "'=SUM(A1:A9)", "2027-04-01", "open", "", ""],
        ["A3", "2", "ann", "'-map the pathway", "", "open", "", ""],
    ]


def test_json_is_an_array_of_the_documented_fields() -> None:
    data = json.loads(ledger_json(ledger(three_actions(), DAY)))
    assert data[2] == {
        "id": "A3",
        "session": 2,
        "owner": "ann",
        "text": "-map the pathway",
        "due": None,
        "state": "open",
        "done_on": None,
        "note": None,
    }
    assert [e["text"] for e in data] == ["write the letter", "=SUM(A1:A9)", "-map the pathway"]


def test_json_and_csv_text_as_a_script_reads_it() -> None:
    """JSON indented by two with names as typed (not \\u escapes); CSV lines end in a bare newline;
    a cell starting with @ is quoted against a spreadsheet's formula, as = + - are."""
    series = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    series = record(series, 1, actions=[Action(owner="Zoë", text="@ the board")])
    entries = ledger(series, DAY)
    assert ledger_json(entries).startswith(
        '[\n  {\n    "id": "A1",\n    "session": 1,\n    "owner": "Zoë",'
    )
    text = ledger_csv(entries)
    assert text == "id,session,owner,text,due,state,done_on,note\nA1,1,Zoë,'@ the board,,open,,\n"
    assert ledger_json([]) == "[]"


def test_an_unknown_action_in_a_series_with_none() -> None:
    empty = new_series(title="T", start=dt.date(2027, 2, 5), count=2)
    assert refusal(lambda: find_action(empty, "A1")) == (
        "no action 'A1' in this series: no actions are recorded yet (see syslead series action list)"
    )
