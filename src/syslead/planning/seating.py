"""A starting seating plan that mixes organisations at every table.

Small-group work in system leadership sessions is meant to cross organisational lines. Without an
attendance list syslead assumes each organisation sends a similar number of people, deals them out
table by table in turn, and says so; the facilitator adjusts it on the day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

TABLE_SIZE = 6
"""Tables of about six suit most of the small-group work in the library."""


@dataclass(frozen=True)
class Table:
    """One table: how many people from each organisation sit at it."""

    number: int
    seats: dict[str, int]

    @property
    def size(self) -> int:
        """How many people sit at the table."""
        return sum(self.seats.values())


def expected_attendance(organisations: Sequence[str], participants: int) -> dict[str, int]:
    """Participants spread as evenly as possible across the organisations, the first ones taking any extra."""
    if not organisations:
        return {}
    base, extra = divmod(participants, len(organisations))
    return {org: base + (1 if i < extra else 0) for i, org in enumerate(organisations)}


def seating(
    organisations: Sequence[str], participants: int, table_size: int = TABLE_SIZE
) -> list[Table]:
    """Tables of about ``table_size``, each as mixed as the numbers allow.

    People are dealt out organisation by organisation, one to each table in turn, so that no table
    holds a second person from an organisation before every table has had one.
    """
    attendance = expected_attendance(organisations, participants)
    if not attendance:
        return []
    tables = max(1, -(-participants // table_size))
    seats: list[Counter[str]] = [Counter() for _ in range(tables)]
    turn = 0
    for org, count in attendance.items():
        for _ in range(count):
            seats[turn % tables][org] += 1
            turn += 1
    return [
        Table(number, {org: table[org] for org in organisations if table[org]})
        for number, table in enumerate(seats, 1)
    ]
