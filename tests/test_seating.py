"""The starting seating plan: everyone seated, tables even, organisations mixed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from syslead.planning.seating import expected_attendance, seating


@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=12, unique=True),
    st.integers(min_value=2, max_value=200),
    st.integers(min_value=2, max_value=10),
)
def test_everyone_is_seated_and_tables_are_mixed(
    orgs: list[str], participants: int, size: int
) -> None:
    tables = seating(orgs, participants, size)
    assert sum(t.size for t in tables) == participants
    sizes = [t.size for t in tables]
    assert max(sizes) - min(sizes) <= 1  # tables as even as the numbers allow
    attendance = expected_attendance(orgs, participants)
    for org, count in attendance.items():
        at = [t.seats.get(org, 0) for t in tables]
        assert sum(at) == count
        assert max(at) - min(at) <= 1  # nobody doubles up at a table while another has none of them


def test_a_worked_example() -> None:
    tables = seating(["Council", "Hospitals", "Community", "ICB"], 14, 6)
    assert [t.size for t in tables] == [5, 5, 4]
    assert tables[0].seats == {"Council": 2, "Hospitals": 1, "Community": 1, "ICB": 1}
    assert all(len(t.seats) >= 3 for t in tables)
