"""The agenda on the terminal and the facts every document of a plan shares (planning/agenda.py).

The table is read as a table: its columns and cells from rich's own Table, not from printed text.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from syslead.library.loader import Library, load_library
from syslead.planning.agenda import (
    factor_names,
    header_lines,
    long_date,
    next_meeting_text,
    plan_table,
)
from syslead.planning.plan import Block, Plan


@cache
def library() -> Library:
    return load_library()


def small_plan(**fields: object) -> Plan:
    blocks = [
        Block(
            start="14:00",
            end="14:20",
            minutes=20,
            kind="opening",
            title="Check-in",
            activity="opening-six-weekly",
            factors=["personal-contact", "shared-purpose"],
        ),
        Block(start="14:20", end="14:35", minutes=15, kind="break", title="Break"),
        Block(
            start="14:35",
            end="16:40",
            minutes=125,
            kind="activity",
            title="Live issue",
            activity="live-issue",
            factors=["conflict"],
            issue="Winter discharge delays",
        ),
        Block(
            start="16:40",
            end="17:00",
            minutes=20,
            kind="close",
            title="Close",
            activity="close-six-weekly",
            factors=["long-term"],
        ),
    ]
    data: dict[str, object] = {
        "title": "Winter together",
        "format": "six-weekly",
        "start": "14:00",
        "end": "17:00",
        "participants": 9,
        "focus": ["conflict", "long-term"],
        "seed": 1,
        "plan_id": "SW-1400-1700-F35-P9-S1",
        "blocks": blocks,
    }
    return Plan.model_validate(data | fields)


def test_dates_and_the_next_meeting_in_words() -> None:
    assert long_date(dt.date(2027, 1, 15)) == "Friday 15 January 2027"
    assert long_date(dt.date(2027, 3, 1)) == "Monday 1 March 2027"
    dated = small_plan(next_meeting=dt.date(2027, 2, 26))
    assert next_meeting_text(dated) == "Friday 26 February 2027, six weeks on"
    assert next_meeting_text(small_plan()) == "six weeks on; agree the date before everyone leaves"


def test_factor_names_are_the_short_titles_and_an_unknown_id_stays_as_it_is() -> None:
    names = factor_names(library(), ["long-term", "shared-purpose", "kindness"])
    assert names == "Long-term commitment, Shared purpose, kindness"
    assert factor_names(library(), []) == ""


def test_the_facts_under_a_plan_title() -> None:
    assert header_lines(small_plan(), library()) == [
        "Six-weekly meeting: Date to be agreed, 14:00 to 17:00",
        "9 participants",
        "Focus: Conflict, Long-term commitment",
    ]
    dated = small_plan(date=dt.date(2027, 1, 15), organisations=["City Council", "Acute Trust"])
    assert header_lines(dated, library()) == [
        "Six-weekly meeting: Friday 15 January 2027, 14:00 to 17:00",
        "9 participants",
        "Organisations: City Council, Acute Trust",
        "Focus: Conflict, Long-term commitment",
    ]


def cells(table: Table) -> list[list[str]]:
    columns = [[str(cell) for cell in column.cells] for column in table.columns]
    return [list(row) for row in zip(*columns, strict=True)]


def test_the_agenda_table_row_by_row() -> None:
    group = plan_table(small_plan(next_meeting=dt.date(2027, 2, 26)), library())
    assert isinstance(group, Group)
    title, facts, agenda, footer = group.renderables
    assert isinstance(title, Text)
    assert (title.plain, title.style) == ("Winter together", "bold")
    assert isinstance(facts, Text)
    assert facts.plain.splitlines() == header_lines(small_plan(), library())
    assert isinstance(footer, Text)
    assert footer.plain == "Next meeting: Friday 26 February 2027, six weeks on."
    wide, narrow = agenda.tables
    assert [c.header for c in wide.columns] == ["time", "min", "kind", "session", "factors"]
    assert [c.header for c in narrow.columns] == ["time", "min", "session", "factors"]
    assert cells(wide) == [
        ["14:00-14:20", "20", "opening", "Check-in", "Personal contact, Shared purpose"],
        ["14:20-14:35", "15", "break", "Break", ""],
        ["14:35-16:40", "125", "activity", "Live issue: Winter discharge delays", "Conflict"],
        ["16:40-17:00", "20", "close", "Close", "Long-term commitment"],
    ]
    assert [row[:2] + row[3:] for row in cells(wide)] == cells(narrow)
    assert [row.style for row in wide.rows] == ["", "dim", "", ""]
    assert isinstance(wide.caption, Text)
    assert wide.caption.plain == "plan id SW-1400-1700-F35-P9-S1"
    assert wide.columns[0].no_wrap
    assert wide.columns[1].justify == "right"


def header_words(width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(plan_table(small_plan(), library()))
    lines = console.export_text().splitlines()
    assert all(len(line) <= width for line in lines)
    header = next(line for line in lines if line.startswith("┃"))
    return header.replace("┃", " ").split()


def test_a_narrow_terminal_drops_the_kind_column() -> None:
    assert header_words(60) == ["time", "min", "kind", "session", "factors"]
    assert header_words(50) == ["time", "min", "session", "factors"]
