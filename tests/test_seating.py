"""The starting seating plan: everyone seated, as few tables as the table size allows, tables even,
organisations mixed.

README: "With two or more --org names it adds a starting seating plan that mixes the organisations
at every table". The module promises tables of about ``table_size`` (six by default), each as mixed
as the numbers allow, with no table holding a second person from an organisation before every
table has had one, and, without an attendance list, organisations sending similar numbers.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from syslead.planning.seating import TABLE_SIZE, expected_attendance, seating


@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=12, unique=True),
    st.integers(min_value=2, max_value=200),
)
def test_attendance_is_shared_out_evenly_first_organisations_taking_any_extra(
    orgs: list[str], participants: int
) -> None:
    attendance = expected_attendance(orgs, participants)
    assert list(attendance) == orgs
    counts = list(attendance.values())
    assert sum(counts) == participants
    assert max(counts) - min(counts) <= 1
    assert counts == sorted(counts, reverse=True)  # the extra people go to the first organisations


@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=12, unique=True),
    st.integers(min_value=2, max_value=200),
    st.integers(min_value=2, max_value=10),
)
def test_everyone_is_seated_at_as_few_tables_as_fit_and_tables_are_mixed(
    orgs: list[str], participants: int, size: int
) -> None:
    tables = seating(orgs, participants, size)
    # As few tables as the table size allows: none over the size, and one table fewer would be.
    fewest = -(-participants // size)
    assert len(tables) == fewest
    assert (len(tables) - 1) * size < participants <= len(tables) * size
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    sizes = [t.size for t in tables]
    assert sum(sizes) == participants
    assert max(sizes) <= size
    assert min(sizes) >= 1
    assert max(sizes) - min(sizes) <= 1  # tables as even as the numbers allow
    attendance = expected_attendance(orgs, participants)
    for org, count in attendance.items():
        at = [t.seats.get(org, 0) for t in tables]
        assert sum(at) == count
        assert max(at) - min(at) <= 1  # nobody doubles up at a table while another has none of them
    for table in tables:
        assert all(n > 0 for n in table.seats.values())  # only organisations that sit there
        assert list(table.seats) == [o for o in orgs if o in table.seats]  # in the given order
        # As mixed as the numbers allow: everyone at a table from a different organisation, or
        # every organisation at the table.
        assert len(table.seats) == min(table.size, len(orgs))


def test_a_worked_example() -> None:
    """14 people from four organisations at tables of six: 4, 4, 3, 3 attend; three tables."""
    orgs = ["Council", "Hospitals", "Community", "ICB"]
    assert expected_attendance(orgs, 14) == {"Council": 4, "Hospitals": 4, "Community": 3, "ICB": 3}
    tables = seating(orgs, 14, 6)
    # Dealt in turn, table 1, 2, 3, 1, 2, 3...: Council to 1, 2, 3, 1; Hospitals to 2, 3, 1, 2;
    # Community to 3, 1, 2; ICB to 3, 1, 2. Table 1 has 5, table 2 has 5, table 3 has 4.
    assert [t.seats for t in tables] == [
        {"Council": 2, "Hospitals": 1, "Community": 1, "ICB": 1},
        {"Council": 1, "Hospitals": 2, "Community": 1, "ICB": 1},
        {"Council": 1, "Hospitals": 1, "Community": 1, "ICB": 1},
    ]
    assert [t.size for t in tables] == [5, 5, 4]


def test_the_default_table_is_six() -> None:
    """Tables of about six suit most of the library's small-group work: 13 people make 3 tables."""
    assert TABLE_SIZE == 6
    assert [t.size for t in seating(["A", "B"], 13)] == [5, 4, 4]
    assert [t.size for t in seating(["A", "B"], 12)] == [6, 6]


def test_no_organisations_no_seating() -> None:
    assert expected_attendance([], 12) == {}
    assert seating([], 12) == []


def test_one_table_for_a_small_group() -> None:
    tables = seating(["A", "B", "C"], 5, 6)
    assert len(tables) == 1
    assert tables[0].number == 1
    assert tables[0].seats == {"A": 2, "B": 2, "C": 1}
